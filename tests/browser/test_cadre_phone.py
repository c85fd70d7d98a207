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
    assert phone.outside_requests == []
    with app.test_request_context():
        meeting_services.cancel(None, db.session.get(Meeting, meeting_id), "Dọn dữ liệu kiểm thử")
        db.session.commit()
