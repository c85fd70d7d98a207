"""Unexcused absences in the last 12 months are shown on cell and commune pages, with
members at the removal limit (3) marked."""

from datetime import date, timedelta

import pytest

from app.attendance import services as attendance
from app.extensions import db
from app.meetings import services as meeting_services
from app.org.models import OrgUnit
from app.rules import RuleError


def test_members_at_the_limit_are_marked(app, client, login_as, cell):
    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        for weeks in (3, 8, 13):
            on = date.today() - timedelta(weeks=weeks)
            meeting = meeting_services.schedule_meeting(None, unit, kind="extraordinary", planned_on=on)
            meeting_services.mark_held(None, meeting, on, None)
            rows = attendance.attendance_sheet(meeting)
            attendance.mark(None, meeting, rows[0].member.id, "unexcused")
            if weeks != 13:
                attendance.mark(None, meeting, rows[1].member.id, "unexcused")
        db.session.commit()
        alerts = attendance.absence_alerts(unit, date.today())
        assert [a.unexcused for a in alerts] == [3, 2]
        assert alerts[0].at_limit and alerts[1].near_limit
        name = alerts[0].full_name
    login_as("xa")
    page = client.get(f"/units/{cell}").get_data(as_text=True)
    assert "Đủ điều kiện xem xét xóa tên" in page and "Sắp đến giới hạn" in page and name in page
    with app.app_context():
        commune_id = db.session.get(OrgUnit, cell).parent_id
    assert name in client.get(f"/units/{commune_id}").get_data(as_text=True)


def test_members_absent_once_are_folded_below_the_flagged_ones(app, client, login_as, cell):
    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        on = date.today() - timedelta(weeks=2)
        meeting = meeting_services.schedule_meeting(None, unit, kind="extraordinary", planned_on=on)
        meeting_services.mark_held(None, meeting, on, None)
        once = attendance.attendance_sheet(meeting)[0].member
        attendance.mark(None, meeting, once.id, "unexcused")
        db.session.commit()
        name = once.full_name
    login_as("xa")
    page = client.get(f"/units/{cell}").get_data(as_text=True)
    section = page[page.index('id="absence-alerts"') :]
    folded = section[section.index('<details class="absent-once">') :]
    assert "đảng viên vắng 1 lần" in folded and name in folded


def test_a_committee_meeting_calls_only_the_committee_and_its_absences_do_not_count(app, client, login_as, cell):
    from app.org import services as org_services
    from app.org.models import PositionTitle
    from app.org.queries import roster

    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        on = date.today() - timedelta(weeks=1)
        secretary, member = [r.member for r in roster(unit, on)]
        org_services.appoint(None, secretary, unit, PositionTitle.secretary, date(2020, 1, 1))
        committee = meeting_services.schedule_meeting(None, unit, kind="committee", planned_on=on)
        meeting_services.mark_held(None, committee, on, None)
        rows = attendance.attendance_sheet(committee)
        assert [r.member.id for r in rows] == [secretary.id]
        with pytest.raises(RuleError):
            attendance.mark(None, committee, member.id, "present")
        attendance.mark(None, committee, secretary.id, "unexcused")
        db.session.commit()
        assert attendance.absence_alerts(unit, date.today()) == []
        committee_id, member_name = committee.id, member.full_name
    login_as("xa")
    page = client.get(f"/meetings/{committee_id}/attendance").get_data(as_text=True)
    assert "chi ủy viên" in page and member_name not in page
