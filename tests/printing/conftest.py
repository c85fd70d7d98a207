"""Fixtures of the print tests."""

from datetime import time

import pytest

from app.attendance import services as attendance
from app.extensions import db
from app.meetings.models import Meeting
from app.minutes import services as minutes_services
from app.org.queries import roster


@pytest.fixture()
def written_minutes(app, held_meeting):
    """Minutes with a chair, a minute taker, attendance and two speakers."""
    with app.test_request_context():
        meeting = db.session.get(Meeting, held_meeting)
        members = [r.member for r in roster(meeting.cell, meeting.on)]
        attendance.mark_all_present(None, meeting)
        minutes = minutes_services.open_minutes(None, meeting)
        meeting.chair_id, meeting.minute_taker_id = members[0].id, members[1].id
        meeting.started_at, meeting.ended_at = time(19, 30), time(21, 15)
        minutes.resolution = "Chi bộ thống nhất xây dựng đường giao thông nông thôn, vận động nhân dân hiến đất."
        for member in members:
            minutes_services.add_speaker(
                None, minutes.items[6], meeting, member, None, "Nhất trí với dự thảo nghị quyết."
            )
        db.session.commit()
        return held_meeting, members[0].full_name, members[1].full_name
