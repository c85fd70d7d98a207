"""Score sheets: the template that applies, facts prefilled, overrides need a reason,
grade bands with the criteria needed for Tốt, the official grade, the printed sheet."""

from datetime import date, time

import pytest
from sqlalchemy import select

from app.attendance import services as attendance
from app.extensions import db
from app.meetings.models import Meeting
from app.org.models import OrgUnit
from app.scoring import services
from app.scoring.models import MeetingGrade, ScoreSheet, ScoreTemplate


def _form(template, values, reasons=None):
    data = {f"points-{c.id}": values[c.id] for c in template.criteria}
    data.update({f"reason-{k}": v for k, v in (reasons or {}).items()})
    return data


def test_default_templates_are_shipped_and_the_type_specific_one_wins(app, held_meeting):
    with app.test_request_context():
        assert db.session.scalar(select(db.func.count()).select_from(ScoreTemplate)) >= 6
        meeting = db.session.get(Meeting, held_meeting)
        template = services.template_for(meeting)
        assert template.cell_types == "residential"  # the helper cells are residential
        assert sum(c.max_points for c in template.criteria) == 100
        meeting.kind = "thematic"
        assert "chuyên đề" in services.template_for(meeting).name
        db.session.rollback()


def test_grade_needs_full_marks_on_the_starred_criteria(app, held_meeting):
    with app.test_request_context():
        template = services.template_for(db.session.get(Meeting, held_meeting))
        full = {c.id: c.max_points for c in template.criteria}
        assert services.grade_of(template, full) == (100, "good")
        starred = next(c for c in template.criteria if c.needed_for_top)
        plain = next(c for c in template.criteria if not c.needed_for_top and c.max_points >= 6)
        assert services.grade_of(template, full | {plain.id: plain.max_points - 6})[1] == "good"  # 94
        assert services.grade_of(template, full | {starred.id: starred.max_points - 1})[1] == "fair"
        half = {c.id: c.max_points * 0.55 for c in template.criteria}
        assert services.grade_of(template, half)[1] == "average"


def test_facts_prefill_and_overrides_need_a_reason(app, client, login_as, held_meeting):
    with app.test_request_context():
        meeting = db.session.get(Meeting, held_meeting)
        attendance.mark_all_present(None, meeting)
        meeting.started_at, meeting.ended_at = time(19, 0), time(20, 0)  # 60 minutes: too short
        db.session.commit()
        found = services.facts(meeting)
        assert found["attendance_rate"].met and found["no_unexcused"].met
        assert not found["duration"].met and found["duration"].note == "60 phút"
        template = services.template_for(meeting)
        suggested = services.prefill(template, found)
        duration = next(c for c in template.criteria if c.fact == "duration")
        assert suggested[duration.id] == 0
    login_as("xa")
    page = client.get(f"/meetings/{held_meeting}/score").get_data(as_text=True)
    assert "60 phút" in page and "2/2 có mặt" in page
    refused = client.post(f"/meetings/{held_meeting}/score", data=_form(template, suggested | {duration.id: 8}))
    assert refused.status_code == 422 and "cần ghi lý do" in refused.get_data(as_text=True)
    ok = client.post(
        f"/meetings/{held_meeting}/score",
        data=_form(template, suggested | {duration.id: 8}, {duration.id: "Giờ kết thúc ghi nhầm trong biên bản"}),
    )
    assert ok.status_code == 303
    with app.app_context():
        sheet = db.session.scalars(select(ScoreSheet).where(ScoreSheet.meeting_id == held_meeting)).one()
        assert sheet.scorer_kind == "self"
        official = db.session.get(MeetingGrade, held_meeting)
        assert official.sheet_id == sheet.id and official.grade == sheet.grade


def test_in_charge_cadre_sheet_becomes_official_and_office_can_override(app, client, login_as, world):
    with app.test_request_context():
        cell = db.session.get(OrgUnit, world["cell"])
        meeting = db.session.scalars(
            select(Meeting).where(Meeting.cell_id == cell.id, Meeting.status == "adopted").order_by(Meeting.id.desc())
        ).first()
        meeting_id = meeting.id
        template = services.template_for(meeting)
        suggested = services.prefill(template, services.facts(meeting))
    login_as("xa")
    client.post(
        f"/meetings/{meeting_id}/score", data=_form(template, suggested, {c: "Theo thực tế" for c in suggested})
    )
    low = {c.id: c.max_points * 0.6 for c in template.criteria}
    login_as("giamsat")  # in charge of this cell
    response = client.post(
        f"/meetings/{meeting_id}/score",
        data=_form(template, low, {c.id: "Chưa đạt yêu cầu" for c in template.criteria}),
    )
    assert response.status_code == 303
    with app.app_context():
        official = db.session.get(MeetingGrade, meeting_id)
        cadre_sheet = db.session.scalars(
            select(ScoreSheet).where(ScoreSheet.meeting_id == meeting_id, ScoreSheet.scorer_kind == "in_charge")
        ).one()
        assert official.sheet_id == cadre_sheet.id and official.grade == "average"
    login_as("xa")
    compare = client.get(f"/meetings/{meeting_id}/scores").get_data(as_text=True)
    assert "khác nhau" in compare and "Cấp ủy viên phụ trách chấm" in compare and "Chi bộ tự chấm" in compare
    assert client.post(f"/meetings/{meeting_id}/grade", data={"grade": "fair", "reason": ""}).status_code == 303
    client.post(f"/meetings/{meeting_id}/grade", data={"grade": "fair", "reason": "Đã xác minh lại số liệu dự họp"})
    with app.app_context():
        assert db.session.get(MeetingGrade, meeting_id).grade == "fair"
    printed = client.get(f"/meetings/{meeting_id}/print/score-sheet").get_data(as_text=True)
    assert "PHIẾU CHẤM ĐIỂM CHẤT LƯỢNG SINH HOẠT CHI BỘ" in printed and "Xếp loại chính thức: Khá" in printed
    minutes = client.get(f"/meetings/{meeting_id}/print/minutes").get_data(as_text=True)
    assert "xếp loại Khá" in minutes
    login_as("bithu")
    assert client.post(f"/meetings/{meeting_id}/grade", data={"grade": "good", "reason": "x"}).status_code == 403
    login_as("xem")
    assert client.get(f"/meetings/{meeting_id}/score").status_code == 403
    assert client.get(f"/meetings/{meeting_id}/scores").status_code == 200


@pytest.mark.parametrize("status", ["planned"])
def test_only_held_meetings_are_scored(app, client, login_as, cell, status):
    with app.test_request_context():
        from app.meetings import services as meeting_services

        meeting = meeting_services.schedule_meeting(
            None, db.session.get(OrgUnit, cell), kind="regular", planned_on=date(date.today().year + 1, 1, 5)
        )
        db.session.commit()
        template = services.template_for(meeting)
        values = {c.id: c.max_points for c in template.criteria}
        meeting_id = meeting.id
    login_as("xa")
    response = client.post(f"/meetings/{meeting_id}/score", data=_form(template, values, {c: "x" for c in values}))
    assert response.status_code == 422 and "đã diễn ra" in response.get_data(as_text=True)


@pytest.mark.parametrize("points", ["1e999", "nan", "-inf"])
def test_points_that_are_not_a_finite_number_are_refused(app, client, login_as, held_meeting, points):
    with app.test_request_context():
        template = services.template_for(db.session.get(Meeting, held_meeting))
        values = {c.id: 0 for c in template.criteria}
        first = template.criteria[0].id
    login_as("xa")
    refused = client.post(f"/meetings/{held_meeting}/score", data=_form(template, values | {first: points}))
    assert refused.status_code == 422 and "Điểm phải là số" in refused.get_data(as_text=True)
