"""Print pages (party document layout, DOMAIN §3) and the PDF of each."""

import os
import re

from flask import Blueprint, abort, current_app, make_response, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from app.attendance.services import attendance_sheet, guests, tally
from app.criticism.services import note_counts, notes_of, record_read
from app.extensions import db
from app.meetings import queries as meeting_queries
from app.minutes.models import MinutesItem
from app.minutes.services import check_vote, tasks_of
from app.org.access import Permission, get_meeting_or_404
from app.printing.layout import document_title
from app.printing.pdf import PdfUnavailable, html_to_pdf
from app.rules import RuleError
from app.scoring.models import MeetingGrade, ScoreSheet
from app.scoring.services import signatory
from app.supervision import queries as delegate_queries
from app.web.private import private_render

bp = Blueprint("printing", __name__)

DOCUMENTS = {
    "minutes": ("printing/minutes.html", "bien-ban"),
    "agenda": ("printing/agenda.html", "chuong-trinh"),
    "sign-in": ("printing/sign_in.html", "danh-sach-ky"),
    "extract": ("printing/extract.html", "trich-bien-ban"),
    "score-sheet": ("printing/score_sheet.html", "phieu-cham-diem"),
}


def _context(meeting, doc: str) -> dict:
    minutes = meeting_queries.minutes_of(meeting)
    context = {
        "meeting": meeting,
        "cell": meeting.cell,
        "title": document_title(meeting),
        "minutes": minutes,
        "doc": doc,
    }
    if doc == "score-sheet":
        # The official sheet, or another sheet of the meeting (?sheet=…, from the comparison).
        official = db.session.get(MeetingGrade, meeting.id)
        requested = request.args.get("sheet", type=int)
        sheet_id = requested or (official.sheet_id if official else None)
        sheet = db.session.get(ScoreSheet, sheet_id) if sheet_id else None
        if (sheet is None and (requested or official is None)) or (sheet and sheet.meeting_id != meeting.id):
            abort(404)
        context.update(official=official, sheet=sheet, scorer=signatory(sheet, meeting) if sheet else None)
        if requested:
            context["pdf_url"] = url_for("printing.pdf", meeting_id=meeting.id, doc=doc, sheet=sheet.id)
    if doc == "agenda":
        context["items"] = meeting.agenda_items
        context["total_minutes"] = sum(i.planned_minutes for i in meeting.agenda_items)
    elif doc == "sign-in":
        context["rows"] = attendance_sheet(meeting)
    elif doc in ("minutes", "extract"):
        if minutes is None:
            abort(404)
        rows = attendance_sheet(meeting)
        sheet_tally = tally(rows)
        context.update(
            tally=minutes.attendance_snapshot or sheet_tally.as_dict(),
            absentees=[r for r in rows if r.record and not r.record.is_present and not r.is_exempt],
            exempt=[r for r in rows if r.is_exempt],
            late=[r for r in rows if r.record and r.record.status in ("late", "left_early")],
            guests=guests(meeting),
            delegates=delegate_queries.delegates(meeting),
            tasks=tasks_of(meeting),
            copy="upward",
            # The copy sent upward says how many notes the cell's copy holds (no extract needs it).
            note_total=note_counts(meeting)["notes"] if doc == "minutes" else 0,
        )
        try:
            context["vote"] = check_vote(
                minutes.votes_for, minutes.votes_against, minutes.votes_other, context["tally"]["full_present"]
            )
        except RuleError:
            context["vote"] = None
        if doc == "extract":
            item_id = request.args.get("item", type=int)
            item = db.session.get(MinutesItem, item_id) if item_id else None
            if item is not None and item.minutes_id != minutes.id:
                abort(404)
            context["item"] = item
    return context


def _meeting(meeting_id: int):
    """The meeting with its cell and the cell's parent: the issuer in the header."""
    return get_meeting_or_404(current_user, meeting_id, options=meeting_queries.WITH_COMMUNE)


@bp.get("/meetings/<int:meeting_id>/print/<doc>")
def show(meeting_id: int, doc: str):
    meeting = _meeting(meeting_id)
    if doc not in DOCUMENTS:
        abort(404)
    return render_template(DOCUMENTS[doc][0], pdf=False, **_context(meeting, doc))


@bp.get("/meetings/<int:meeting_id>/print/<doc>.pdf")
def pdf(meeting_id: int, doc: str):
    meeting = _meeting(meeting_id)
    if doc not in DOCUMENTS:
        abort(404)
    return _pdf_response(meeting, doc, _context(meeting, doc))


@bp.post("/meetings/<int:meeting_id>/print/minutes/cell-copy")
def cell_copy(meeting_id: int):
    """The cell's own copy of the minutes, with the criticism and self-criticism
    section: opened with a POST, audited, never cached (the upward copy is the GET)."""
    meeting = get_meeting_or_404(current_user, meeting_id, Permission.read_notes, options=meeting_queries.WITH_COMMUNE)
    # Record the read first: committing afterwards would expire what the page loaded.
    record_read(current_user, meeting, "bản biên bản lưu chi bộ")
    db.session.commit()
    context = _context(meeting, "minutes")
    context.update(copy="cell", notes=notes_of(meeting))
    if request.form.get("format") == "pdf":
        response = _pdf_response(meeting, "minutes", context, suffix="-ban-luu-chi-bo")
    else:
        response = private_render(
            DOCUMENTS["minutes"][0],
            pdf=False,
            pdf_post=url_for("printing.cell_copy", meeting_id=meeting.id),
            **context,
        )
    response.headers["Cache-Control"] = "no-store, private"
    return response


def _pdf_response(meeting, doc: str, context: dict, suffix: str = ""):
    css_path = os.path.join(current_app.static_folder, "css", "document.css")
    with open(css_path, encoding="utf-8") as css:
        inline_css = Markup(css.read())  # our own stylesheet, no user content
    html = render_template(DOCUMENTS[doc][0], pdf=True, inline_css=inline_css, **context)
    try:
        data = html_to_pdf(html)
    except PdfUnavailable as error:
        return make_response(
            render_template(
                "errors/error.html",
                code=503,
                message=f"{error} Hãy dùng nút In của trình duyệt và chọn Lưu thành PDF.",
            ),
            503,
        )
    response = make_response(data)
    name = f"{DOCUMENTS[doc][1]}{suffix}-{re.sub(r'[^0-9]', '', meeting.on.isoformat())}-{meeting.id}.pdf"
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
