"""“Tự soi, tự sửa”: a thematic meeting held in that mode, each member's self-review
against the 27 signs, the cell's assessments, printing; texts only behind a POST."""

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.meetings import services as meeting_services
from app.meetings.queries import member_choices
from app.org.models import OrgUnit
from app.self_examination.models import DegradationSign, SelfExamination, SelfReview


def _thematic(app, cell):
    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        meeting = meeting_services.schedule_meeting(
            None, unit, kind="thematic", planned_on=date.today(), topic="Tự soi, tự sửa năm 2026"
        )
        db.session.commit()
        return meeting.id, member_choices(unit, date.today())


def test_signs_are_seeded_in_three_groups_of_nine(app):
    with app.app_context():
        groups = db.session.execute(
            select(DegradationSign.group, db.func.count()).group_by(DegradationSign.group)
        ).all()
        assert sorted(groups) == [(1, 9), (2, 9), (3, 9)]


def test_session_from_self_review_to_print(app, client, login_as, cell):
    meeting_id, roster = _thematic(app, cell)
    (member_id, member_name), _ = roster
    login_as("xa")
    client.post(f"/meetings/{meeting_id}/self-examination/start")
    client.post(f"/meetings/{meeting_id}/self-examination/start")  # twice: still one session
    with app.app_context():
        examination = db.session.scalars(select(SelfExamination).where(SelfExamination.meeting_id == meeting_id)).one()
        signs = db.session.scalars(select(DegradationSign.id).order_by(DegradationSign.id).limit(2)).all()
    gate = client.get(f"/meetings/{meeting_id}/self-examination").get_data(as_text=True)
    assert "0/2 đảng viên" in gate and "Mở nội dung" in gate
    text = "Tôi còn ngại va chạm khi góp ý cho đồng chí khác"
    saved = client.post(
        f"/self-examinations/{examination.id}/members/{member_id}/save",
        data={"version": 0, "self_text": text, "correction_plan": "Góp ý thẳng thắn", "sign": signs},
    )
    assert saved.status_code == 200 and "Đã lưu" in saved.get_data(as_text=True)
    assert saved.headers["Cache-Control"].startswith("no-store")
    # A second writer with the old version does not overwrite the first.
    stale = client.post(
        f"/self-examinations/{examination.id}/members/{member_id}/save",
        data={"version": 0, "self_text": "Bản khác", "sign": []},
    )
    # Told without the saved text; comparing is an audited read that shows both.
    assert stale.status_code == 409 and text not in stale.get_data(as_text=True)
    assert "Bản khác" in stale.get_data(as_text=True)
    compared = client.post(
        f"/self-examinations/{examination.id}/members/{member_id}", data={"compare": "1", "self_text": "Bản khác"}
    ).get_data(as_text=True)
    assert text in compared and "Bản khác" in compared
    client.post(
        f"/self-examinations/{examination.id}/assessment",
        data={"version": 1, "collective_assessment": "Chi bộ đoàn kết", "head_member_id": member_id},
    )
    overview = client.post(f"/meetings/{meeting_id}/self-examination").get_data(as_text=True)
    assert "Chi bộ đoàn kết" in overview and "Đã viết" in overview
    printed = client.post(f"/self-examinations/{examination.id}/members/{member_id}/print").get_data(as_text=True)
    assert text in printed and member_name in printed and "BẢN TỰ KIỂM ĐIỂM" in printed
    summary = client.post(f"/self-examinations/{examination.id}/print").get_data(as_text=True)
    assert "Chi bộ đoàn kết" in summary and "1.1, 1.2" in summary
    with app.app_context():
        review = db.session.scalars(select(SelfReview).where(SelfReview.examination_id == examination.id)).one()
        assert review.version == 1 and len(review.signs) == 2
    # Those who see the meeting but may not read: the gate without the button, 403 on the texts.
    login_as("huyen")
    gate = client.get(f"/meetings/{meeting_id}/self-examination").get_data(as_text=True)
    assert "1/2 đảng viên" in gate and "Mở nội dung" not in gate
    assert client.post(f"/meetings/{meeting_id}/self-examination").status_code == 403
    assert client.post(f"/self-examinations/{examination.id}/members/{member_id}").status_code == 403


def test_only_thematic_meetings_and_only_admins_edit_signs(app, client, login_as, held_meeting):
    login_as("xa")
    client.post(f"/meetings/{held_meeting}/self-examination/start")
    with app.app_context():
        assert (
            db.session.scalars(select(SelfExamination).where(SelfExamination.meeting_id == held_meeting)).first()
            is None
        )
        sign = db.session.scalars(select(DegradationSign).order_by(DegradationSign.id)).first()
        original = sign.text
    assert (
        client.post("/reference/degradation-signs", data={"sign_id": sign.id, "text": "x", "active": "on"}).status_code
        == 403
    )
    assert original in client.get("/reference/degradation-signs").get_data(as_text=True)
    login_as("quantri")
    client.post("/reference/degradation-signs", data={"sign_id": sign.id, "text": original + " (sửa)", "active": "on"})
    with app.app_context():
        assert db.session.get(DegradationSign, sign.id).text.endswith("(sửa)")
    client.post("/reference/degradation-signs", data={"sign_id": sign.id, "text": original, "active": "on"})
