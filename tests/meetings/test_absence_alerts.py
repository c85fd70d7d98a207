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
        assert [a.months for a in alerts] == [3, 2]
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
    assert "đảng viên vắng 1 tháng" in folded and name in folded


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


def _months_ago(count: int, day: int) -> date:
    """A day `count` calendar months before this one."""
    today = date.today()
    index = today.year * 12 + today.month - 1 - count
    return date(index // 12, index % 12 + 1, day)


def _absent_at(unit, on, member_index=0, kind="extraordinary"):
    """A meeting held on `on` where the unit's member at `member_index` is absent without reason."""
    meeting = meeting_services.schedule_meeting(None, unit, kind=kind, planned_on=on)
    meeting_services.mark_held(None, meeting, on, None)
    rows = attendance.attendance_sheet(meeting)
    attendance.mark(None, meeting, rows[member_index].member.id, "unexcused")
    return rows[member_index].member


def test_two_absences_on_one_day_count_as_one_month(app, client, login_as, cell):
    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        on = _months_ago(1, 12)
        member = _absent_at(unit, on)
        _absent_at(unit, on)
        db.session.commit()
        alerts = attendance.absence_alerts(unit, date.today())
        assert [(a.member_id, a.months) for a in alerts] == [(member.id, 1)]
        assert not alerts[0].flagged
    login_as("xa")
    page = client.get(f"/units/{cell}").get_data(as_text=True)
    section = page[page.index('id="absence-alerts"') :]
    assert "Đủ điều kiện xem xét xóa tên" not in section and "Sắp đến giới hạn" not in section


def test_two_meetings_in_one_month_count_once(app, cell):
    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        _absent_at(unit, _months_ago(2, 3))
        _absent_at(unit, _months_ago(2, 24))
        _absent_at(unit, _months_ago(4, 10))
        db.session.commit()
        [alert] = attendance.absence_alerts(unit, date.today())
        assert alert.months == 2 and alert.near_limit and not alert.at_limit


def test_three_distinct_months_reach_the_limit_and_older_months_do_not_count(app, cell):
    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        for months in (1, 5, 11):
            _absent_at(unit, _months_ago(months, 15))
        _absent_at(unit, _months_ago(12, 15))  # thirteen calendar months back: outside the year
        db.session.commit()
        [alert] = attendance.absence_alerts(unit, date.today())
        assert alert.months == 3 and alert.at_limit


def test_committee_meetings_in_other_months_are_not_counted(app, cell):
    from app.org import services as org_services
    from app.org.models import PositionTitle
    from app.org.queries import roster

    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        secretary = roster(unit, date.today())[0].member
        org_services.appoint(None, secretary, unit, PositionTitle.secretary, date(2020, 1, 1))
        _absent_at(unit, _months_ago(1, 8))
        _absent_at(unit, _months_ago(2, 8))
        committee_absentee = _absent_at(unit, _months_ago(3, 8), kind="committee")
        db.session.commit()
        assert committee_absentee.id == secretary.id
        [alert] = attendance.absence_alerts(unit, date.today())
        assert alert.member_id == secretary.id and alert.months == 2


def test_district_office_sees_counts_per_commune_and_names(app, client, login_as, world):
    from app.auth import services as auth_services
    from app.org.models import Role
    from tests.conftest import make_cell

    with app.test_request_context():
        here = make_cell(world["commune"], "Chi bộ thử vắng huyện A")
        there = make_cell(world["other_commune"], "Chi bộ thử vắng huyện B")
        at_limit = [_absent_at(here, _months_ago(m, 9)) for m in (1, 2, 3)][0]
        near_limit = [_absent_at(there, _months_ago(m, 9), member_index=1) for m in (1, 2)][0]
        names = at_limit.full_name, near_limit.full_name
        children = db.select(OrgUnit).where(OrgUnit.parent_id == world["district"])
        communes = {c.id: c for c in db.session.scalars(children)}
        # What each commune's own page counts: the district's figures must agree.
        expected = {}
        for commune in communes.values():
            flagged = [a for a in attendance.absence_alerts(commune, date.today()) if a.flagged]
            expected[commune.name] = (sum(a.at_limit for a in flagged), sum(a.near_limit for a in flagged))
        assert expected[communes[world["commune"]].name][0] >= 1  # the member absent three months
        assert expected[communes[world["other_commune"]].name][1] >= 1  # the one absent two
        other_district_commune = db.session.scalars(
            db.select(OrgUnit).where(OrgUnit.parent_id == world["other_district"], OrgUnit.kind == "commune")
        ).first()
        auth_services.create_account(
            None,
            username="xa_huyen_khac",
            full_name="Văn phòng xã huyện khác",
            password="khong-dung-mat-khau",
            role=Role.commune_office,
            unit=other_district_commune,
        )
        db.session.commit()
        other_district_commune_id = other_district_commune.id
    login_as("huyen")
    district_page = client.get(f"/units/{world['district']}").get_data(as_text=True)
    assert f'href="/units/{world["district"]}/absences"' in district_page
    page = client.get(f"/units/{world['district']}/absences").get_data(as_text=True)
    section = page[page.index('id="absence-by-commune"') :]
    for name in names:
        assert name in section
    for commune_name, (limit_count, near_count) in expected.items():
        if limit_count or near_count:
            row = section[section.index(f">{commune_name}<") :]
            row = row[: row.index("</tr>")]
            assert f'data-at-limit="{limit_count}"' in row and f'data-near-limit="{near_count}"' in row
    login_as("xa_huyen_khac")
    assert client.get(f"/units/{world['district']}/absences").status_code == 404
    assert client.get(f"/units/{world['district']}").status_code == 404
    assert names[0] not in client.get(f"/units/{other_district_commune_id}").get_data(as_text=True)


def test_the_list_is_a_district_page(client, login_as, world):
    login_as("xa")
    assert client.get(f"/units/{world['commune']}/absences").status_code == 404


def test_district_list_is_one_query(app, world, count_queries):
    with app.test_request_context():
        district = db.session.get(OrgUnit, world["district"])
        with count_queries() as statements:
            attendance.absence_by_commune(district, date.today())
        assert len(statements) == 1
