"""Adopted minutes in a fresh cell, built through the services."""

from datetime import date, time, timedelta

import pytest

from app.extensions import db
from app.org.models import OrgUnit, PositionTitle


def adopt_meeting(cell_id: int, on: date, with_secretary: bool = True) -> int:
    """A regular meeting held on `on`, everyone present, minutes written and adopted."""
    from app.attendance import services as attendance
    from app.meetings import services as meetings
    from app.minutes import services as minutes_services
    from app.org import services as org
    from app.org.queries import roster
    from app.resolutions.services import secretary_on

    cell = db.session.get(OrgUnit, cell_id)
    members = [r.member for r in roster(cell, on)]
    if with_secretary and secretary_on(cell_id, on) is None:
        org.appoint(None, members[0], cell, PositionTitle.secretary, date(2020, 1, 1))
    meeting = meetings.schedule_meeting(None, cell, kind="regular", planned_on=on, place="Nhà văn hóa thôn")
    meetings.mark_held(None, meeting, on, None)
    attendance.mark_all_present(None, meeting)
    minutes = minutes_services.open_minutes(None, meeting)
    minutes_services.save_minutes(
        None,
        minutes,
        meeting,
        minutes.version,
        {
            "started_at": time(19, 30),
            "ended_at": time(21, 15),
            "chair_id": members[0].id,
            "minute_taker_id": members[1].id,
            "resolution": "Chi bộ thống nhất vận động nhân dân hiến đất làm đường giao thông nông thôn.",
            "votes_for": 2,
            "votes_against": 0,
            "votes_other": 0,
        },
        {minutes.items[3].id: {"content": "Chi bộ hoàn thành các chỉ tiêu tháng.", "conclusion": "Nhất trí."}},
    )
    minutes_services.add_task(
        None, minutes, meeting, members[1], None, "Vận động các hộ hiến đất mở rộng đường", on + timedelta(days=25)
    )
    minutes_services.adopt(None, minutes, meeting)
    return meeting.id


@pytest.fixture()
def adopted_meeting(app, cell):
    """A regular meeting of last month in a fresh cell, minutes adopted."""
    with app.test_request_context():
        on = date.today().replace(day=1) - timedelta(days=20)
        meeting_id = adopt_meeting(cell, on)
        db.session.commit()
        return meeting_id
