"""Retiring a cell in the browser: the form asks what becomes of its planned meetings
and shows what will happen before the office confirms."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.meetings import services as meetings
from app.meetings.models import Meeting
from app.org.models import OrgUnit
from tests.browser.conftest import login
from tests.conftest import make_cell

pytestmark = pytest.mark.browser


def test_office_retires_a_cell_and_moves_its_planned_meeting_after_confirming(page, live_url, app, world):
    with app.test_request_context():
        cell = make_cell(world["commune"], "Chi bộ thôn Giải Thể")
        successor = make_cell(world["commune"], "Chi bộ thôn Kế Thừa")
        meeting = meetings.schedule_meeting(None, cell, kind="regular", planned_on=date.today() + timedelta(days=5))
        db.session.commit()
        cell_id, successor_id, meeting_id = cell.id, successor.id, meeting.id

    login(page, live_url, "xa")
    page.goto(f"{live_url}/units/{cell_id}")
    page.click("text=Giải thể/Sáp nhập")
    page.wait_for_selector("#planned-meetings")
    assert "1 buổi sinh hoạt đã lên lịch từ hôm nay" in page.inner_text("#planned-meetings")
    page.select_option("#successor_id", str(successor_id))
    page.fill("#reason", "Sáp nhập hai thôn theo đề án")
    page.check("text=Chuyển các buổi sinh hoạt đã lên lịch sang chi bộ kế thừa")
    page.click("button:has-text('Tiếp tục')")
    page.wait_for_selector("#retire-confirmation")
    shown = page.inner_text("#retire-confirmation")
    assert "2 đảng viên đang sinh hoạt sẽ chuyển sang" in shown and "chuyển các buổi sinh hoạt" in shown
    with app.app_context():
        assert not db.session.get(OrgUnit, cell_id).is_retired  # nothing written before confirming
    page.click("button:has-text('Xác nhận giải thể/sáp nhập')")
    page.wait_for_selector("text=Đã ghi nhận giải thể/sáp nhập")
    assert "1 buổi sinh hoạt đã lên lịch" in page.content()
    with app.app_context():
        assert db.session.get(OrgUnit, cell_id).is_retired
        assert db.session.get(Meeting, meeting_id).cell_id == successor_id
    assert page.console_errors == []
