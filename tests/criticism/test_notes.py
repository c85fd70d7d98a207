"""Criticism notes of a meeting: recorded by the office, read only by those entitled,
every read audited, texts only in POST responses, soft delete, revisions, conflicts."""

from datetime import date, timedelta

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.criticism.models import Commitment, CriticismNote, NoteRevision
from app.extensions import db
from app.meetings.queries import member_choices
from app.org.models import OrgUnit

SECRET = "Đồng chí nhận khuyết điểm chậm nộp đảng phí quý III"


def _members(app, cell):
    with app.app_context():
        return member_choices(db.session.get(OrgUnit, cell), date.today())


def _add(client, meeting, member_id, **extra):
    data = {"kind": "self_criticism", "subject": "member", "subject_member_id": member_id, "text": SECRET}
    data.update(extra)
    return client.post(f"/meetings/{meeting}/notes/add", data=data, headers={"HX-Request": "true"})


def test_office_records_and_reads_notes_with_audit(app, client, login_as, cell, held_meeting):
    (first, _), (second, second_name) = _members(app, cell)
    login_as("xa")
    response = _add(client, held_meeting, first, form_token="0123456789abcdef0123456789abcdef")
    assert response.status_code == 200 and SECRET in response.get_data(as_text=True)
    assert response.headers["Cache-Control"].startswith("no-store")
    assert 'hx-history="false"' in response.get_data(as_text=True)
    # The same form posted twice (a double click) adds one note.
    _add(client, held_meeting, first, form_token="0123456789abcdef0123456789abcdef")
    due = (date.today() + timedelta(days=30)).isoformat()
    response = _add(
        client,
        held_meeting,
        second,
        kind="criticism",
        by_member_id=first,
        text="Chưa gương mẫu tham gia vệ sinh môi trường",
        commitment="Tham gia đầy đủ ngày chủ nhật xanh",
        commitment_due=due,
    )
    assert response.status_code == 200
    with app.app_context():
        notes = db.session.scalars(select(CriticismNote).where(CriticismNote.meeting_id == held_meeting)).all()
        assert len(notes) == 2
        assert db.session.scalars(select(Commitment).where(Commitment.note_id == notes[1].id)).one().member_id == second
        # Audit summaries never carry the text.
        summaries = db.session.scalars(select(AuditEntry.summary).where(AuditEntry.unit_id == cell)).all()
        assert summaries and not any("đảng phí" in s or "vệ sinh" in s for s in summaries)
    # The meeting page (a GET) shows counts, never the texts.
    page = client.get(f"/meetings/{held_meeting}").get_data(as_text=True)
    assert "2 ghi chép" in page and "1 tự phê bình" in page and "1 cam kết" in page and SECRET not in page
    # Opening the notes is a POST, audited.
    opened = client.post(f"/meetings/{held_meeting}/notes").get_data(as_text=True)
    assert SECRET in opened and second_name in opened
    with app.app_context():
        reads = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "note.read", AuditEntry.object_id == held_meeting)
        ).all()
        # Every answer that showed the texts: three writes (the replay too) and the opening.
        assert len(reads) == 4 and all(r.actor_id is not None for r in reads)
    assert client.get(f"/meetings/{held_meeting}/notes").status_code == 303


def test_criticism_needs_who_gave_it_and_errors_lose_nothing(app, client, login_as, cell, held_meeting):
    (first, _), _ = _members(app, cell)
    login_as("xa")
    response = _add(client, held_meeting, first, kind="criticism", text="Góp ý thẳng thắn")
    assert response.status_code == 422
    assert "ai phê bình" in response.get_data(as_text=True)
    response = _add(client, held_meeting, first, kind="criticism", by_name="Đ/c Lê Văn Tư, Đảng ủy viên", text="X")
    assert response.status_code == 200


def test_edit_conflict_delete_restore_and_revisions(app, client, login_as, cell, held_meeting):
    (first, _), _ = _members(app, cell)
    login_as("xa")
    _add(client, held_meeting, first)
    with app.app_context():
        note = db.session.scalars(select(CriticismNote).where(CriticismNote.meeting_id == held_meeting)).one()
    client.post(f"/notes/{note.id}/edit", data={"version": 1, "kind": "self_criticism", "text": "Bản sửa thứ nhất"})
    stale = client.post(f"/notes/{note.id}/edit", data={"version": 1, "kind": "self_criticism", "text": "Bản thứ hai"})
    assert stale.status_code == 409
    body = stale.get_data(as_text=True)
    # Refused without the saved text: the user's own input, and a way to compare (an audited read).
    assert "Bản sửa thứ nhất" not in body and "Bản thứ hai" in body
    compared = client.post(f"/meetings/{held_meeting}/notes", data={"compare": note.id, "text": "Bản thứ hai"})
    body = compared.get_data(as_text=True)
    assert "Bản sửa thứ nhất" in body and "Bản thứ hai" in body and 'name="version" value="2"' in body
    client.post(f"/notes/{note.id}/delete")
    with app.app_context():
        assert db.session.get(CriticismNote, note.id).is_deleted
    assert "Bản sửa thứ nhất" not in client.get(f"/meetings/{held_meeting}").get_data(as_text=True)
    client.post(f"/notes/{note.id}/restore")
    history = client.post(f"/notes/{note.id}/history").get_data(as_text=True)
    assert SECRET in history and "Khôi phục" in history
    with app.app_context():
        changes = db.session.scalars(
            select(NoteRevision.change).where(NoteRevision.note_id == note.id).order_by(NoteRevision.id)
        ).all()
        assert changes == ["created", "edited", "deleted", "restored"]
        assert not db.session.get(CriticismNote, note.id).is_deleted


def test_next_meeting_reviews_the_commitment(app, client, login_as, cell, held_meeting):
    (first, first_name), _ = _members(app, cell)
    login_as("xa")
    _add(client, held_meeting, first, commitment="Nộp đủ đảng phí", commitment_due=date.today().isoformat())
    response = client.post(
        f"/cells/{cell}/meetings/new", data={"kind": "regular", "planned_on": date.today().isoformat()}
    )
    next_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/meetings/{next_id}").get_data(as_text=True)
    assert "Cam kết sửa chữa cần kiểm điểm: 1" in page and first_name in page and "Nộp đủ đảng phí" not in page
    opened = client.post(f"/meetings/{next_id}/notes").get_data(as_text=True)
    assert "Nộp đủ đảng phí" in opened
    with app.app_context():
        commitment = db.session.scalars(select(Commitment).where(Commitment.cell_id == cell)).one()
    # Not at the meeting that made it.
    refused = client.post(f"/commitments/{commitment.id}/review", data={"meeting_id": held_meeting, "outcome": "done"})
    assert refused.status_code == 422
    client.post(
        f"/commitments/{commitment.id}/review", data={"meeting_id": next_id, "outcome": "done", "comment": "Đã nộp"}
    )
    with app.app_context():
        commitment = db.session.get(Commitment, commitment.id)
        assert commitment.status == "done" and commitment.reviews[0].meeting_id == next_id


def test_overdue_commitments_on_cell_and_commune_pages(app, client, login_as, world, cell, held_meeting):
    (first, first_name), _ = _members(app, cell)
    login_as("xa")
    _add(
        client,
        held_meeting,
        first,
        commitment="Khắc phục",
        commitment_due=(date.today() - timedelta(days=1)).isoformat(),
    )
    for unit in (cell, world["commune"]):
        page = client.get(f"/units/{unit}").get_data(as_text=True)
        assert "Cam kết sửa chữa quá hạn" in page and first_name in page and "Khắc phục" not in page
    login_as("huyen")
    page = client.get(f"/units/{world['commune']}").get_data(as_text=True)
    assert "Cam kết sửa chữa quá hạn" in page and first_name not in page


def test_minutes_print_in_two_copies(app, client, login_as, cell, held_meeting):
    (first, _), _ = _members(app, cell)
    login_as("xa")
    client.post(f"/meetings/{held_meeting}/minutes")
    _add(client, held_meeting, first)
    upward = client.get(f"/meetings/{held_meeting}/print/minutes").get_data(as_text=True)
    assert "Bản gửi cấp trên" in upward and SECRET not in upward and "lưu tại chi bộ" in upward
    cell_copy = client.post(f"/meetings/{held_meeting}/print/minutes/cell-copy")
    body = cell_copy.get_data(as_text=True)
    assert cell_copy.headers["Cache-Control"].startswith("no-store")
    assert "Bản lưu tại chi bộ" in body and SECRET in body
    # Inside the content, at the item where criticism is taken, before the conclusion.
    assert body.index("tự phê bình và phê bình") < body.index(SECRET) < body.index("III. KẾT LUẬN")
    pdf = client.post(f"/meetings/{held_meeting}/print/minutes/cell-copy", data={"format": "pdf"})
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert "ban-luu-chi-bo" in pdf.headers["Content-Disposition"]
    login_as("huyen")
    assert client.post(f"/meetings/{held_meeting}/print/minutes/cell-copy").status_code == 403


def test_notes_about_the_committee_or_the_cell(app, client, login_as, cell, held_meeting):
    (first, _), _ = _members(app, cell)
    login_as("xa")
    response = _add(client, held_meeting, first, subject="committee", kind="reminder", by_name="Đ/c Bí thư Đảng ủy")
    assert response.status_code == 200 and "Chi ủy" in response.get_data(as_text=True)
    assert _add(client, held_meeting, "", subject="member").status_code == 422
    with app.app_context():
        note = db.session.scalars(select(CriticismNote).where(CriticismNote.meeting_id == held_meeting)).one()
        assert note.subject == "committee" and note.subject_member_id is None
