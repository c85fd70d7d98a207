"""A supervising cadre at phone width: the schedule, checking in, writing remarks."""

from datetime import date

import pytest

from app.extensions import db
from app.meetings import services as meeting_services
from app.meetings.models import Meeting
from app.org.models import OrgUnit
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture()
def phone(browser, live_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.outside_requests = []
    page.on("request", lambda r: None if r.url.startswith(live_url) else page.outside_requests.append(r.url))
    yield page
    context.close()


def test_cadre_checks_in_and_writes_remarks_on_a_phone(phone, live_url, app, world):
    with app.test_request_context():
        cell = db.session.get(OrgUnit, world["cell"])
        meeting = meeting_services.schedule_meeting(
            None, cell, kind="extraordinary", planned_on=date.today(), place="Nhà văn hóa thôn"
        )
        db.session.commit()
        meeting_id = meeting.id
    login(phone, live_url, "giamsat")
    phone.wait_for_selector("h1:has-text('Lịch dự sinh hoạt của tôi')")
    item = phone.locator(f"#schedule li:has(a[href='/meetings/{meeting_id}'])")
    item.locator("button:has-text('Có mặt')").click()
    phone.wait_for_selector(".flash-success:has-text('có mặt')")
    phone.wait_for_selector("#delegates li:has-text('Dự họp')")
    phone.fill("#remarks", "Chi bộ cần phát huy vai trò nêu gương của đảng viên.")
    phone.click("#delegates button:has-text('Lưu ý kiến')")
    phone.wait_for_selector("#delegates:has-text('Ý kiến chỉ đạo: Chi bộ cần phát huy')")
    # Nothing sticks out sideways on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1

    # The meeting is held; the cadre scores it from the phone.
    with app.test_request_context():
        meeting_services.mark_held(None, db.session.get(Meeting, meeting_id), date.today(), None)
        db.session.commit()
    phone.reload()
    phone.click(".steps >> text=Chấm điểm")
    # Wait for the comparison page before following its button: clicking while the
    # meeting page is still shown would hit the step link again.
    phone.wait_for_url(f"**/meetings/{meeting_id}/scores")
    phone.click(".page-head a.button:has-text('Chấm điểm')")
    phone.wait_for_selector("#score-sheet")
    phone.click("#score-sheet button:has-text('Lưu phiếu chấm')")
    phone.wait_for_selector(".flash-success:has-text('Đã lưu phiếu chấm')")
    assert "Cấp ủy viên phụ trách chấm" in phone.inner_text("#sheets")
    assert phone.outside_requests == []


def test_office_compares_sets_the_grade_and_prints_the_monthly_report(page, live_url, app, world):
    from sqlalchemy import select

    from app.scoring.models import ScoreSheet

    with app.app_context():
        sheet = db.session.scalars(
            select(ScoreSheet)
            .join(Meeting, ScoreSheet.meeting_id == Meeting.id)
            .where(ScoreSheet.scorer_kind == "in_charge", Meeting.cell_id == world["cell"], Meeting.kind == "regular")
            .order_by(Meeting.held_on)  # the oldest: other tests use the latest
        ).first()
        meeting = db.session.get(Meeting, sheet.meeting_id)
        meeting_id, month = meeting.id, f"{meeting.on.year}-{meeting.on.month}"
        cell_name = meeting.cell.name
    login(page, live_url, "xa")
    page.goto(f"{live_url}/meetings/{meeting_id}/scores")
    page.wait_for_selector("#sheets")
    page.select_option("#grade", "fair")
    page.fill("#grade-reason", "Đã đối chiếu phiếu của chi bộ và cấp ủy viên")
    page.click("button:has-text('Lưu')")
    page.wait_for_selector("#official-grade:has-text('Khá')")
    page.goto(f"{live_url}/units/{world['commune']}/score-report?month={month}")
    page.wait_for_selector("#score-report")
    page.click(".actions >> text=In")
    page.wait_for_selector("h1.doc-title:has-text('BẢNG TỔNG HỢP')")
    rows = page.locator("#score-report tr", has_text=cell_name).all_inner_texts()
    assert any("Khá" in row for row in rows)
    assert page.outside_requests == [] and page.console_errors == []
