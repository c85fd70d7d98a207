"""Supervising cadres: what an assignment opens, checking in, remarks into the minutes,
the office recording on their behalf, and assignments that end."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.attendance.services import attendance_sheet, tally
from app.extensions import db
from app.meetings import services as meeting_services
from app.meetings.models import Meeting
from app.minutes import services as minutes_services
from app.org.models import OrgUnit
from app.supervision.models import DelegateAttendance, SupervisionAssignment
from tests.conftest import user_by_name


@pytest.fixture()
def today_meeting(app, world):
    """A meeting today in the cell the demo cadre is in charge of."""
    with app.test_request_context():
        cell = db.session.get(OrgUnit, world["cell"])
        meeting = meeting_services.schedule_meeting(None, cell, kind="extraordinary", planned_on=date.today())
        db.session.commit()
        yield meeting.id
        # Leave the shared demo cell as it was: call the meeting off.
        meeting = db.session.get(Meeting, meeting.id)
        if meeting.status in ("planned", "prepared"):
            meeting_services.cancel(None, meeting, "Dọn dữ liệu kiểm thử")
            db.session.commit()


def test_cadre_sees_meetings_of_assigned_cells_only(client, login_as, world):
    login_as("giamsat")
    assert client.get(f"/cells/{world['cell']}/meetings").status_code == 200
    assert client.get(f"/units/{world['cell']}").status_code == 404  # the unit page and roster stay closed
    assert client.get(f"/units/{world['cell']}/members").status_code == 404
    assert client.get(f"/cells/{world['sibling_cell']}/meetings").status_code == 404
    assert client.get("/").headers["Location"].endswith("/schedule")


def test_check_in_remarks_and_check_out(app, client, login_as, today_meeting):
    login_as("giamsat")
    schedule = client.get("/schedule").get_data(as_text=True)
    assert f"/meetings/{today_meeting}" in schedule and "Có mặt" in schedule
    assert client.post(f"/meetings/{today_meeting}/check-in").status_code == 303
    client.post(f"/meetings/{today_meeting}/check-in")  # twice: still one record, first arrival time kept
    client.post(f"/meetings/{today_meeting}/remarks", data={"remarks": "Chi bộ cần bám sát nghị quyết của Đảng ủy."})
    client.post(f"/meetings/{today_meeting}/check-out")
    with app.app_context():
        rows = db.session.scalars(
            select(DelegateAttendance).where(DelegateAttendance.meeting_id == today_meeting)
        ).all()
        assert len(rows) == 1
        entry = rows[0]
        assert entry.is_assigned and not entry.on_behalf and entry.arrived_at and entry.left_at
    page = client.get(f"/meetings/{today_meeting}").get_data(as_text=True)
    assert "Ý kiến chỉ đạo: Chi bộ cần bám sát" in page


def test_delegates_never_count_in_the_members_rate(app, today_meeting):
    with app.test_request_context():
        meeting = db.session.get(Meeting, today_meeting)
        before = tally(attendance_sheet(meeting))
        from app.supervision import services

        services.check_in(user_by_name("giamsat"), meeting)
        after = tally(attendance_sheet(meeting))
        assert (before.total, before.present, before.expected) == (after.total, after.present, after.expected)
        db.session.rollback()


def test_remarks_print_in_the_minutes(app, client, login_as, today_meeting):
    login_as("giamsat")
    client.post(f"/meetings/{today_meeting}/check-in")
    client.post(f"/meetings/{today_meeting}/remarks", data={"remarks": "Đề nghị chi bộ quan tâm phát triển đảng viên."})
    with app.test_request_context():
        meeting = db.session.get(Meeting, today_meeting)
        meeting_services.mark_held(None, meeting, date.today(), None)
        minutes_services.open_minutes(None, meeting)
        db.session.commit()
    login_as("xa")
    printed = client.get(f"/meetings/{today_meeting}/print/minutes").get_data(as_text=True)
    assert "Đại biểu cấp trên dự: đồng chí Phạm Quang Huy" in printed
    assert "Đề nghị chi bộ quan tâm phát triển đảng viên." in printed


def test_check_in_only_on_the_day_and_apologies_beforehand(app, client, login_as, world):
    with app.test_request_context():
        cell = db.session.get(OrgUnit, world["cell"])
        later = meeting_services.schedule_meeting(
            None, cell, kind="extraordinary", planned_on=date.today() + timedelta(days=9)
        )
        db.session.commit()
        later_id = later.id
    login_as("giamsat")
    response = client.post(f"/meetings/{later_id}/check-in", follow_redirects=True)
    assert "Chỉ ghi có mặt vào ngày họp" in response.get_data(as_text=True)
    assert "Ghi lý do vắng" in client.post(
        f"/meetings/{later_id}/apologies", data={"reason": ""}, follow_redirects=True
    ).get_data(as_text=True)
    client.post(f"/meetings/{later_id}/apologies", data={"reason": "Họp Huyện ủy"})
    with app.app_context():
        entry = db.session.scalars(select(DelegateAttendance).where(DelegateAttendance.meeting_id == later_id)).one()
        assert entry.status == "apologized" and entry.reason == "Họp Huyện ủy"
    # The cadre marks the schedule seen (a POST: reading it writes nothing); then the
    # meeting is moved, and the schedule marks it as changed.
    assert "Đánh dấu đã xem" in client.get("/schedule").get_data(as_text=True)
    assert client.post("/schedule/seen").status_code == 303
    login_as("xa")
    client.post(
        f"/meetings/{later_id}/postpone",
        data={"new_on": (date.today() + timedelta(days=12)).isoformat(), "reason": "Trùng lịch"},
    )
    login_as("giamsat")
    schedule = client.get("/schedule").get_data(as_text=True)
    assert "Có thay đổi" in schedule and "hoãn sang" in schedule


def test_office_records_a_delegate_from_paper(app, client, login_as, today_meeting):
    login_as("xa")
    page = client.get(f"/meetings/{today_meeting}/delegates/new").get_data(as_text=True)
    assert "Phạm Quang Huy" in page  # the assigned cadre is offered
    client.post(
        f"/meetings/{today_meeting}/delegates/new",
        data={"name": "Đinh Văn Khải", "position": "Phó Bí thư Đảng ủy xã", "arrived_at": "19:30"},
    )
    with app.app_context():
        entry = db.session.scalars(
            select(DelegateAttendance).where(DelegateAttendance.meeting_id == today_meeting)
        ).one()
        assert entry.on_behalf and not entry.is_assigned and entry.user_id is None
    assert "văn phòng ghi thay" in client.get(f"/meetings/{today_meeting}").get_data(as_text=True)


def test_office_assigns_and_ends_and_access_follows(app, client, login_as, world):
    login_as("xa")
    with app.app_context():
        cadre = user_by_name("giamsat")
        cadre_id = cadre.id
    response = client.post(
        f"/units/{world['commune']}/supervision",
        data={
            "user_id": cadre_id,
            "cell_ids": [world["sibling_cell"]],
            "kind": "follows",
            "level": "commune",
            "from_on": (date.today() - timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 303
    again = client.post(
        f"/units/{world['commune']}/supervision",
        data={
            "user_id": cadre_id,
            "cell_ids": [world["sibling_cell"]],
            "kind": "follows",
            "level": "commune",
            "from_on": date.today().isoformat(),
        },
    )
    assert again.status_code == 422 and "đã được phân công" in again.get_data(as_text=True)
    login_as("giamsat")
    assert client.get(f"/cells/{world['sibling_cell']}/meetings").status_code == 200
    with app.app_context():
        assignment = db.session.scalars(
            select(SupervisionAssignment).where(
                SupervisionAssignment.user_id == cadre_id, SupervisionAssignment.cell_id == world["sibling_cell"]
            )
        ).one()
    login_as("bithu")
    assert client.post(f"/assignments/{assignment.id}/end").status_code == 404
    login_as("xa")
    client.post(f"/assignments/{assignment.id}/end", data={"to_on": date.today().isoformat()})
    login_as("giamsat")
    assert client.get(f"/cells/{world['sibling_cell']}/meetings").status_code == 404
    login_as("xa")
    listing = client.get(f"/units/{world['commune']}/supervision?ended=1").get_data(as_text=True)
    assert "đến " + date.today().strftime("%d/%m/%Y") in listing


def test_visit_quotas_per_province(client, login_as, world):
    login_as("quantri")
    page = client.get(f"/units/{world['province']}/visit-quotas").get_data(as_text=True)
    assert 'value="2"' in page and 'value="6"' in page
    client.post(f"/units/{world['province']}/visit-quotas", data={"province": 3, "district": 8, "commune": 10})
    page = client.get(f"/units/{world['province']}/visit-quotas").get_data(as_text=True)
    assert 'value="3"' in page and 'value="8"' in page and 'value="10"' in page
    login_as("xa")
    assert client.get(f"/units/{world['province']}/visit-quotas").status_code == 404
    assert client.get(f"/units/{world['commune']}/visit-quotas").status_code == 404
