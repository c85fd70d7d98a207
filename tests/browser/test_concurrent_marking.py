"""Two clerks (or a double click) marking the same member at the same moment."""

import threading
import urllib.parse
import urllib.request

import pytest
from sqlalchemy import func, select

from app.attendance.models import AttendanceRecord
from app.extensions import db
from app.meetings.models import Meeting
from app.org.queries import roster
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_simultaneous_marks_leave_one_record(page, live_url, app, held_meeting):
    with app.app_context():
        meeting = db.session.get(Meeting, held_meeting)
        member_id = roster(meeting.cell, meeting.on)[0].member.id
    login(page, live_url, "xa")
    page.goto(f"{live_url}/meetings/{held_meeting}/attendance")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    url = f"{live_url}/meetings/{held_meeting}/attendance/{member_id}"
    statuses = []
    barrier = threading.Barrier(8)

    def click(status):
        body = urllib.parse.urlencode({"csrf_token": token, "status": status, "at_time": "19:45"}).encode()
        request = urllib.request.Request(url, data=body, method="POST")
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
        request.add_header("HX-Request", "true")
        request.add_header("Referer", live_url + "/")
        barrier.wait()
        with urllib.request.urlopen(request, timeout=30) as response:
            statuses.append(response.status)

    threads = [threading.Thread(target=click, args=("present" if i % 2 else "late",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * 8
    with app.app_context():
        count = db.session.scalar(
            select(func.count())
            .select_from(AttendanceRecord)
            .where(AttendanceRecord.meeting_id == held_meeting, AttendanceRecord.member_id == member_id)
        )
    assert count == 1
