"""The year-end review: the year's facts per member, the member's self-assessment and
rating, the cell's proposal, the printed summary; texts only for those entitled."""

from datetime import date, timedelta

from sqlalchemy import select

from app.attendance.models import AttendanceRecord
from app.extensions import db
from app.meetings.queries import member_choices
from app.org.models import OrgUnit
from app.year_review import services
from app.year_review.models import YearReview


def test_facts_gather_the_year_in_bounded_queries(app, client, login_as, cell, held_meeting, count_queries):
    with app.app_context():
        unit = db.session.get(OrgUnit, cell)
        (first, _), (second, _) = member_choices(unit, date.today())
        db.session.add_all(
            [
                AttendanceRecord(meeting_id=held_meeting, member_id=first, status="present"),
                AttendanceRecord(meeting_id=held_meeting, member_id=second, status="unexcused"),
            ]
        )
        db.session.commit()
    login_as("xa")
    client.post(
        f"/meetings/{held_meeting}/notes/add",
        data={
            "kind": "praise",
            "subject": "member",
            "subject_member_id": first,
            "text": "Gương mẫu vận động nhân dân hiến đất làm đường",
        },
    )
    client.post(
        f"/meetings/{held_meeting}/notes/add",
        data={
            "kind": "reminder",
            "subject": "member",
            "subject_member_id": second,
            "by_name": "Bí thư",
            "text": "Vắng họp không báo",
            "commitment": "Dự họp đầy đủ",
            "commitment_due": (date.today() + timedelta(days=20)).isoformat(),
        },
    )
    with app.app_context():
        unit = db.session.get(OrgUnit, cell)
        year = (date.today() - timedelta(days=7)).year
        with count_queries() as statements:
            facts = {f.member.id: f for f in services.year_facts(unit, year)}
        assert len(statements) <= 6
        assert facts[first].attendance["present"] == 1 and facts[first].notes["praise"] == 1
        assert facts[second].attendance["unexcused"] == 1 and facts[second].commitments_total == 1


def test_member_review_saved_and_printed(app, client, login_as, cell, held_meeting):
    with app.app_context():
        (first, first_name), _ = member_choices(db.session.get(OrgUnit, cell), date.today())
    year = (date.today() - timedelta(days=7)).year
    login_as("xa")
    gate = client.get(f"/cells/{cell}/year-review/{year}").get_data(as_text=True)
    assert "2 đảng viên" in gate and "đề xuất xếp loại 0." in gate and "Mở nội dung" in gate
    base = f"/cells/{cell}/year-review/{year}/members/{first}"
    opened = client.post(base).get_data(as_text=True)
    assert first_name in opened and "Tự xếp loại" in opened
    bad = client.post(base + "/save", data={"version": 0, "proposed_rating": "tuyet-voi"})
    assert bad.status_code == 422
    saved = client.post(
        base + "/save",
        data={
            "version": 0,
            "self_assessment": "Hoàn thành tốt công tác mặt trận ở khu dân cư",
            "proposed_rating": "good",
            "cell_rating": "excellent",
        },
    )
    assert saved.status_code == 200 and "Đã lưu" in saved.get_data(as_text=True)
    stale = client.post(base + "/save", data={"version": 0, "self_assessment": "khác", "proposed_rating": "done"})
    assert stale.status_code == 409
    printed = client.post(f"/cells/{cell}/year-review/{year}/print").get_data(as_text=True)
    assert "BẢNG TỔNG HỢP" in printed and "Hoàn thành xuất sắc nhiệm vụ: 1" in printed
    assert "đề xuất xếp loại 1." in client.get(f"/cells/{cell}/year-review/{year}").get_data(as_text=True)
    with app.app_context():
        review = db.session.scalars(select(YearReview).where(YearReview.member_id == first)).one()
        assert (review.proposed_rating, review.cell_rating, review.version) == ("good", "excellent", 1)
    login_as("huyen")
    assert "Mở nội dung" not in client.get(f"/cells/{cell}/year-review/{year}").get_data(as_text=True)
    assert client.post(base).status_code == 403


def test_removal_mark_counts_months_not_meetings(app, client, login_as, cell):
    """Three unexcused absences in one month are one month missed: the row is not marked."""
    from app.attendance import services as attendance
    from app.meetings import services as meeting_services

    today = date.today()
    on = today.replace(day=1) if today.day > 1 else today
    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        for _ in range(3):
            meeting = meeting_services.schedule_meeting(None, unit, kind="extraordinary", planned_on=on)
            meeting_services.mark_held(None, meeting, on, None)
            absent = attendance.attendance_sheet(meeting)[0].member
            attendance.mark(None, meeting, absent.id, "unexcused")
        db.session.commit()
        facts = {f.member.id: f for f in services.year_facts(unit, on.year)}
        assert facts[absent.id].attendance["unexcused"] == 3 and facts[absent.id].unexcused_months == 1
        assert not facts[absent.id].at_removal_limit
    login_as("xa")
    page = client.post(f"/cells/{cell}/year-review/{on.year}").get_data(as_text=True)
    assert "3 (1 tháng)" in page and 'class="row-error"' not in page
