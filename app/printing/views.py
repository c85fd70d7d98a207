"""Print pages (party document layout, DOMAIN §3) and the PDF of each."""

import re

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user

from app.attendance.services import attendance_sheet
from app.criticism.reading import commit_reads, open_texts
from app.criticism.services import note_counts, notes_of
from app.extensions import db
from app.meetings import queries as meeting_queries
from app.meetings.models import Meeting
from app.minutes.models import MinutesItem
from app.minutes.record import minutes_record
from app.org.access import Permission
from app.org.history import unit_as_of
from app.printing.layout import document_title
from app.printing.pdf import pdf_response, private_print
from app.records import services as records
from app.records.models import DocumentKind
from app.resolutions.services import print_context as resolution_print_context
from app.resolutions.services import secretary_on
from app.scoring.models import MeetingGrade, ScoreSheet
from app.scoring.services import signatory
from app.web.authz import loads

bp = Blueprint("printing", __name__)

DOCUMENTS = {
    "minutes": ("printing/minutes.html", "bien-ban"),
    "agenda": ("printing/agenda.html", "chuong-trinh"),
    "sign-in": ("printing/sign_in.html", "danh-sach-ky"),
    "extract": ("printing/extract.html", "trich-bien-ban"),
    "score-sheet": ("printing/score_sheet.html", "phieu-cham-diem"),
    "resolution": ("resolutions/print.html", "nghi-quyet"),
}


def _context(meeting, doc: str, cell_notes: list | None = None) -> dict:
    minutes = meeting_queries.minutes_of(meeting)
    context = {
        "meeting": meeting,
        "cell": unit_as_of(meeting.cell, meeting.on),
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
    if doc == "resolution":
        resolution = resolution_print_context(meeting)
        if resolution is None:
            abort(404)
        context.update(resolution)
    if doc == "agenda":
        context["items"] = meeting.agenda_items
        context["total_minutes"] = sum(i.planned_minutes for i in meeting.agenda_items)
    elif doc == "sign-in":
        context["rows"] = attendance_sheet(meeting)
    elif doc in ("minutes", "extract"):
        if minutes is None:
            abort(404)
        # The cell's copy holds the criticism notes; the copy sent upward only says how
        # many there are (no extract needs them).
        if cell_notes is not None:
            record = minutes_record(meeting, minutes, notes=cell_notes)
        else:
            record = minutes_record(
                meeting, minutes, note_total=note_counts(meeting)["notes"] if doc == "minutes" else 0
            )
        context.update(record=record, tally=record.tally, vote=record.vote, copy=record.copy)
        # The version and code printed on adopted minutes (and cited by an extract).
        context["seal"] = records.current_version(DocumentKind.minutes, minutes.id) if minutes.is_adopted else None
        if doc == "extract":
            item_id = request.args.get("item", type=int)
            item = db.session.get(MinutesItem, item_id) if item_id else None
            if item is not None and item.minutes_id != minutes.id:
                abort(404)
            context["item"] = item
            context["secretary"] = secretary_on(meeting.cell_id, meeting.on)
    return context


def _filename(meeting, doc: str, suffix: str = "") -> str:
    return f"{DOCUMENTS[doc][1]}{suffix}-{re.sub(r'[^0-9]', '', meeting.on.isoformat())}-{meeting.id}.pdf"


@bp.get("/meetings/<int:meeting_id>/print/<doc>")
@loads(Meeting, Permission.view_meetings, options=meeting_queries.WITH_COMMUNE)
def show(meeting, doc: str):
    if doc not in DOCUMENTS:
        abort(404)
    # The same document as PDF: one item of an extract, one sheet of a score sheet.
    pdf_url = url_for(
        "printing.pdf",
        meeting_id=meeting.id,
        doc=doc,
        item=request.args.get("item", type=int),
        sheet=request.args.get("sheet", type=int),
    )
    return render_template(DOCUMENTS[doc][0], pdf=False, pdf_url=pdf_url, **_context(meeting, doc))


@bp.get("/meetings/<int:meeting_id>/print/<doc>.pdf")
@loads(Meeting, Permission.view_meetings, options=meeting_queries.WITH_COMMUNE)
def pdf(meeting, doc: str):
    if doc not in DOCUMENTS:
        abort(404)
    return pdf_response(DOCUMENTS[doc][0], _filename(meeting, doc), **_context(meeting, doc))


@bp.post("/meetings/<int:meeting_id>/print/minutes/cell-copy")
@loads(Meeting, Permission.read_notes, options=meeting_queries.WITH_COMMUNE)
def cell_copy(meeting):
    """The cell's own copy of the minutes, with the criticism and self-criticism
    section: opened with a POST, audited, never cached (the upward copy is the GET)."""
    notes = open_texts(current_user, "bản biên bản lưu chi bộ", notes_of(meeting), opened=meeting)
    # Commit the read before building the page: committing afterwards would expire it.
    commit_reads()
    context = _context(meeting, "minutes", cell_notes=notes)
    return private_print(DOCUMENTS["minutes"][0], _filename(meeting, "minutes", "-ban-luu-chi-bo"), **context)
