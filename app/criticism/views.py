"""Criticism and self-criticism notes of a meeting, and correction commitments.

The meeting page shows counts to everyone who sees the meeting; those entitled open
the texts with a POST (see app/web/private.py), which is audited."""

import re
import secrets
from datetime import date
from types import SimpleNamespace

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from app.criticism import services
from app.criticism.models import (
    REVIEW_OUTCOMES,
    Commitment,
    CriticismNote,
    NoteKind,
    NoteSubject,
)
from app.criticism.reading import commit_reads, open_texts
from app.extensions import db
from app.meetings import queries as meeting_queries
from app.meetings.models import AgendaItem, Meeting
from app.org.access import Permission, can, get_meeting_or_404
from app.org.models import Member
from app.web.authz import loads
from app.web.forms import attempt_edit, form_date
from app.web.htmx import wants_fragment
from app.web.private import private_render

bp = Blueprint("criticism", __name__)


READ = "ghi chép phê bình, tự phê bình"


def _panel(meeting: Meeting, *, notice: str = "", stale=None):
    """The opened notes of a meeting (a fragment for htmx, else the whole page), each
    text through app/criticism/reading.py, whose audit entries are committed first."""
    may_record = can(current_user, Permission.record_notes, meeting.cell) and services.may_change(meeting)
    notes = open_texts(current_user, READ, services.notes_of(meeting), opened=meeting)
    deleted = open_texts(current_user, READ, services.notes_of(meeting, deleted=True)) if may_record else []
    to_review = open_texts(current_user, "cam kết sửa chữa cần kiểm điểm", services.commitments_to_review(meeting))
    commit_reads()
    roster = meeting_queries.member_choices(meeting.cell, meeting.on) if may_record else []  # quick add
    per_member = {}
    for note in notes:
        if note.subject_member_id:
            per_member[note.subject_member_id] = per_member.get(note.subject_member_id, 0) + 1
    return private_render(
        "criticism/page.html",
        "panel",
        meeting=meeting,
        notes=notes,
        deleted=deleted,
        to_review=to_review,
        per_member=per_member,
        may_record=may_record,
        notice=notice,
        stale=stale,
        **_form_context(meeting, roster),
    )


def _form_context(meeting: Meeting, roster) -> dict:
    """What the panel's forms need besides texts (names, agenda, choices)."""
    return {
        "roster": roster,
        "agenda_items": meeting.agenda_items,
        "kinds": NoteKind,
        "subjects": NoteSubject,
        "outcomes": REVIEW_OUTCOMES,
        "token": secrets.token_hex(4),  # tells apart the element ids of the page's forms
        "today": date.today(),
        "crumbs": meeting_queries.meeting_crumbs(meeting),
    }


# The forms of the panel, by id (htmx sends it as HX-Trigger): a refused one comes back
# alone, in its place, so what is typed in the others stays as it is.
FORMS = re.compile(
    r"note-add|quick-form-(?P<member>\d{1,9})|(?:commit|edit)-form-(?P<note>\d{1,9})|review-form-(?P<commitment>\d{1,9})"
)


def _problems() -> dict[str, str]:
    """The note forms' own checks, each message by its field; the services check the
    rest, and their refusal goes on top of the same form."""
    problems = {}
    if "text" in request.form and not request.form["text"].strip():
        problems["text"] = services.TEXT_REQUIRED
    if (request.form.get("commitment") or "").strip() and form_date("commitment_due") is None:
        problems["commitment_due"] = services.DUE_REQUIRED
    return problems


def _form_again(meeting: Meeting, problems: dict[str, str], status: int = 422, stale: bool = False):
    """A refused write answers without any note's text: the form that was sent, with
    what was typed in it and each message by its field (htmx), or a page with the
    message and that input (a plain form)."""
    form_id = request.headers.get("HX-Trigger", "")
    failed = {"form": form_id, "posted": request.form, "problems": problems, "stale": stale}
    found = FORMS.fullmatch(form_id) if wants_fragment() else None
    error = problems.get("_", "Chưa ghi được: xem các ô được đánh dấu.")
    roster = meeting_queries.member_choices(meeting.cell, meeting.on)
    extra, known = {}, False
    if found is None:
        pass  # a plain form, or one not of this panel: the message alone
    elif found["member"]:
        member = db.session.get(Member, int(found["member"]))
        extra = {"block": ("criticism/quick_add.html", "quick_add"), "member": member}
        known = member is not None
    elif found["note"]:
        note = db.session.get(CriticismNote, int(found["note"]))
        known = note is not None and note.meeting_id == meeting.id
        if known:  # the form's own fields, never the note's text
            n = SimpleNamespace(id=note.id, version=note.version, kind=note.kind)
            block = "commit_form" if form_id.startswith("commit") else "edit_form"
            extra = {"block": ("criticism/page.html", block), "n": n}
    elif found["commitment"]:
        commitment = db.session.get(Commitment, int(found["commitment"]))
        known = commitment is not None and commitment.cell_id == meeting.cell_id
        extra = {"block": ("criticism/page.html", "review_form"), "c": SimpleNamespace(id=int(found["commitment"]))}
    else:
        extra, known = {"block": ("criticism/page.html", "note_add")}, True
    if not known:
        extra = {"block": ("criticism/refused.html", "refused")}
    template, block = extra.pop("block")
    response = private_render(
        template,
        block,
        status,
        meeting=meeting,
        failed=failed,
        error=error,
        may_record=True,
        here=None,
        **_form_context(meeting, roster),
        **extra,
    )
    if wants_fragment():
        response.headers["HX-Retarget"] = "#" + form_id if known else "#notes-message"
        response.headers["HX-Reswap"] = "outerHTML"
    return response


def _run(meeting: Meeting, action, success: str):
    """Run a write and answer with the panel (its texts opened and audited); a refused
    write answers with its own form and the message, without any note's text."""

    def refused(error, stale, status):
        return _form_again(meeting, {"_": error}, status, stale=status == 409)

    problems = _problems()
    if problems:
        return _form_again(meeting, problems)
    return attempt_edit(action, lambda: _panel(meeting, notice=success), refused)


@bp.get("/meetings/<int:meeting_id>/notes")
@loads(Meeting, Permission.view_meetings)
def closed(meeting):
    """No texts on a GET: back to the meeting, where the notes are opened with a POST."""
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#notes", 303)


@bp.post("/meetings/<int:meeting_id>/notes")
@loads(Meeting, Permission.read_notes, options=meeting_queries.WITH_COMMUNE)
def open_notes(meeting):
    """Open the notes; after a stale save (`compare`: the note, `text`: what the user
    had typed) the panel shows the saved text beside theirs, with the form at the
    saved version so that saving again is deliberate."""
    compare = request.form.get("compare", type=int)
    stale = {"note_id": compare, "mine": request.form.get("text", "")} if compare else None
    return _panel(meeting, stale=stale)


@bp.get("/meetings/<int:meeting_id>/notes/form")
@loads(Meeting, Permission.record_notes, options=meeting_queries.WITH_COMMUNE)
def note_form(meeting):
    """The quick-add form of one roster row (no texts in it)."""
    roster = meeting_queries.member_choices(meeting.cell, meeting.on)
    member = db.session.get(Member, request.args.get("member", type=int) or 0)
    if member is None or member.id not in dict(roster):
        abort(404)
    return private_render(
        "criticism/quick_add.html", "quick_add", meeting=meeting, member=member, **_form_context(meeting, roster)
    )


def _member_in_roster(meeting: Meeting, field: str) -> Member | None:
    member_id = request.form.get(field, type=int)
    if not member_id:
        return None
    if member_id not in dict(meeting_queries.member_choices(meeting.cell, meeting.on)):
        abort(400)
    return db.session.get(Member, member_id)


@bp.post("/meetings/<int:meeting_id>/notes/add")
@loads(Meeting, Permission.record_notes, options=meeting_queries.WITH_COMMUNE)
def add(meeting):
    item_id = request.form.get("agenda_item_id", type=int)
    item = db.session.get(AgendaItem, item_id) if item_id else None
    what = (request.form.get("commitment") or "").strip()
    form = request.form
    return _run(
        meeting,
        lambda: services.add_note(
            current_user,
            meeting,
            kind=form.get("kind", ""),
            subject=form.get("subject", NoteSubject.member.value),
            text=form.get("text", ""),
            subject_member=_member_in_roster(meeting, "subject_member_id"),
            by_member=_member_in_roster(meeting, "by_member_id"),
            by_name=form.get("by_name"),
            agenda_item=item,
            commitment=(what, form_date("commitment_due")) if what else None,
        ),
        "Đã ghi.",
    )


@bp.post("/notes/<int:note_id>/edit")
@loads(CriticismNote, Permission.record_notes, options=meeting_queries.WITH_COMMUNE)
def edit(note, meeting):
    return _run(
        meeting,
        lambda: services.edit_note(
            current_user,
            note,
            version=request.form.get("version", type=int) or 0,
            kind=request.form.get("kind", ""),
            text=request.form.get("text", ""),
        ),
        "Đã lưu thay đổi.",
    )


@bp.post("/notes/<int:note_id>/delete")
@loads(CriticismNote, Permission.record_notes, options=meeting_queries.WITH_COMMUNE)
def delete(note, meeting):
    return _run(meeting, lambda: services.set_deleted(current_user, note, True), "Đã xóa ghi chép (có thể khôi phục).")


@bp.post("/notes/<int:note_id>/restore")
@loads(CriticismNote, Permission.record_notes, options=meeting_queries.WITH_COMMUNE)
def restore(note, meeting):
    return _run(meeting, lambda: services.set_deleted(current_user, note, False), "Đã khôi phục ghi chép.")


@bp.post("/notes/<int:note_id>/commitments")
@loads(CriticismNote, Permission.record_notes, options=meeting_queries.WITH_COMMUNE)
def add_commitment(note, meeting):
    if note.is_deleted:
        abort(404)
    return _run(
        meeting,
        lambda: services.add_commitment(
            current_user, note, request.form.get("commitment", ""), form_date("commitment_due")
        ),
        "Đã ghi cam kết sửa chữa.",
    )


@bp.post("/notes/<int:note_id>/history")
@loads(CriticismNote, Permission.read_notes, options=meeting_queries.WITH_COMMUNE)
def history(note, meeting):
    revisions = open_texts(current_user, "lịch sử sửa một ghi chép", services.revisions_of(note), opened=meeting)
    commit_reads()
    return private_render(
        "criticism/history.html",
        "history",
        meeting=meeting,
        revisions=revisions,
        kinds=NoteKind,
        crumbs=meeting_queries.meeting_crumbs(meeting),
    )


@bp.post("/commitments/<int:commitment_id>/review")
@loads(Commitment, Permission.record_notes)
def review(commitment):
    meeting_id = request.form.get("meeting_id", type=int) or 0
    meeting = get_meeting_or_404(
        current_user, meeting_id, Permission.record_notes, options=meeting_queries.WITH_COMMUNE
    )
    if meeting.cell_id != commitment.cell_id:
        abort(404)
    return _run(
        meeting,
        lambda: services.review_commitment(
            current_user, commitment, meeting, request.form.get("outcome", ""), request.form.get("comment")
        ),
        "Đã ghi kết quả kiểm điểm cam kết.",
    )
