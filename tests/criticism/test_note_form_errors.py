"""A refused note form comes back alone, in its place, with every input and each
message by its field; nothing is written."""

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from app.criticism.models import CriticismNote
from app.extensions import db
from app.meetings.queries import member_choices
from app.org.models import OrgUnit

TEXT = "Đồng chí còn chậm nộp báo cáo tháng"


def _notes(app, meeting):
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(CriticismNote).where(CriticismNote.meeting_id == meeting)
        )


def _post(client, url, form_id, data):
    return client.post(url, data=data, headers={"HX-Request": "true", "HX-Trigger": form_id})


def test_a_commitment_without_due_date_keeps_the_whole_note_form(app, client, login_as, cell, held_meeting):
    with app.app_context():
        (first, _), (second, _) = member_choices(db.session.get(OrgUnit, cell), date.today())
    login_as("xa")
    data = {
        "form_token": "feedfacefeedfacefeedfacefeedface",
        "subject": "member",
        "subject_member_id": second,
        "kind": "criticism",
        "by_member_id": first,
        "by_name": "",
        "text": TEXT,
        "commitment": "Nộp báo cáo đúng hạn",
        "commitment_due": "",
    }
    response = _post(client, f"/meetings/{held_meeting}/notes/add", "note-add", data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#note-add" and response.headers["HX-Reswap"] == "outerHTML"
    assert response.headers["Cache-Control"].startswith("no-store")
    assert body.startswith("<form") or body.lstrip().startswith("<form")
    assert f">{TEXT}</textarea>" in body and 'value="Nộp báo cáo đúng hạn"' in body
    assert f'<option value="{second}" selected>' in body and '<option value="criticism" selected>' in body
    assert re.search(r'name="form_token" value="[0-9a-f]{32}"', body)  # a one-time token to send it again
    due_field = body.split('name="commitment_due"')[1]
    assert 'aria-invalid="true"' in due_field.split(">")[0]
    assert "Ghi hạn hoàn thành việc sửa chữa." in due_field
    assert _notes(app, held_meeting) == 0

    data["commitment_due"] = (date.today() + timedelta(days=20)).isoformat()
    assert _post(client, f"/meetings/{held_meeting}/notes/add", "note-add", data).status_code == 200
    assert _notes(app, held_meeting) == 1


def test_a_quick_add_refused_by_the_service_keeps_its_input(app, client, login_as, cell, held_meeting):
    with app.app_context():
        (first, _), _ = member_choices(db.session.get(OrgUnit, cell), date.today())
    login_as("xa")
    data = {"subject": "member", "subject_member_id": first, "kind": "criticism", "text": TEXT}
    response = _post(client, f"/meetings/{held_meeting}/notes/add", f"quick-form-{first}", data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and response.headers["HX-Retarget"] == f"#quick-form-{first}"
    assert "Ghi rõ ai phê bình" in body and f">{TEXT}</textarea>" in body
    assert _notes(app, held_meeting) == 0


def test_an_empty_edit_keeps_the_form_and_says_so_by_the_field(app, client, login_as, cell, held_meeting):
    with app.app_context():
        (first, _), _ = member_choices(db.session.get(OrgUnit, cell), date.today())
    login_as("xa")
    data = {"subject": "member", "subject_member_id": first, "kind": "self_criticism", "text": TEXT}
    client.post(f"/meetings/{held_meeting}/notes/add", data=data, headers={"HX-Request": "true"})
    with app.app_context():
        note = db.session.scalars(select(CriticismNote).where(CriticismNote.meeting_id == held_meeting)).one()
    response = _post(
        client,
        f"/notes/{note.id}/edit",
        f"edit-form-{note.id}",
        {"version": note.version, "kind": "praise", "text": " "},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and response.headers["HX-Retarget"] == f"#edit-form-{note.id}"
    assert '<option value="praise" selected>' in body and "Ghi nội dung tự phê bình, phê bình." in body
    # Another panel's form id never reaches the page: only the forms of this meeting's notes.
    other = _post(client, f"/notes/{note.id}/edit", "edit-form-999999999", {"version": note.version, "text": ""})
    assert other.status_code == 422 and other.headers["HX-Retarget"] == "#notes-message"
    assert TEXT not in other.get_data(as_text=True)  # a refusal carries no note's text
