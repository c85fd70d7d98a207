"""Numbers and seals of party documents.

Numbers: "Số 01-BB/CB", "Số 01-NQ/CB" run from 01 per cell, document type and
committee term (nhiệm kỳ). The term is derived from the document's date on the party's
five-year congress cycle (2020–2025, 2025–2030, …; `PARTY_TERM_FIRST_YEAR`,
`PARTY_TERM_YEARS`), and each number row stores the term it was taken in, so changing
the setting later never renumbers an issued document.

Seals: when minutes are adopted (or corrected by an erratum, or adopted again after a
reopening) and when a resolution is issued, the canonical serialisation of the stored
record is hashed with SHA-256; the first 60 bits in base32 are the printed code. The
code is stored with the version and printed from storage, never recomputed for a print,
so a print stays byte-stable whatever happens to the organisation tree later.
"""

import base64
import hashlib
import json
from collections import defaultdict
from datetime import date

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.attendance.models import AttendanceRecord
from app.audit.services import record
from app.db import utcnow
from app.extensions import db
from app.meetings.models import Meeting
from app.minutes.models import Erratum, Minutes, MinutesItem, Speaker, Task
from app.records.models import SYMBOLS, DocumentKind, DocumentNumber, DocumentVersion
from app.rules import RuleError

CODE_LENGTH = 12
VERIFY_PATH = "/documents/verify"


def committee_term(on: date) -> tuple[int, int]:
    """The committee term a date falls in, as (first year, last year)."""
    first = current_app.config["PARTY_TERM_FIRST_YEAR"]
    years = current_app.config["PARTY_TERM_YEARS"]
    start = first + ((on.year - first) // years) * years
    return start, start + years


def number_of(kind: DocumentKind, document_id: int) -> DocumentNumber | None:
    return db.session.scalars(
        select(DocumentNumber).where(DocumentNumber.kind == kind.value, DocumentNumber.document_id == document_id)
    ).first()


def _next_seq(cell_id: int, kind: DocumentKind, term_from: int) -> int:
    taken = db.session.scalar(
        select(func.max(DocumentNumber.seq)).where(
            DocumentNumber.cell_id == cell_id, DocumentNumber.kind == kind.value, DocumentNumber.term_from == term_from
        )
    )
    return (taken or 0) + 1


def _number_row(kind: DocumentKind, cell_id: int, document_id: int, on: date, seq: int, **extra) -> DocumentNumber:
    term_from, term_to = committee_term(on)
    return DocumentNumber(
        cell_id=cell_id,
        kind=kind.value,
        term_from=term_from,
        term_to=term_to,
        seq=seq,
        label=f"{seq:02d}-{SYMBOLS[kind]}/CB",
        document_id=document_id,
        document_on=on,
        **extra,
    )


def take_number(actor, kind: DocumentKind, cell_id: int, document_id: int, on: date) -> DocumentNumber:
    """The document's number: the one it already holds, else the next free one of its
    cell, type and term. Two offices adopting at once can't share a number: the unique
    key refuses the second insert, which retries with the next number."""
    existing = number_of(kind, document_id)
    if existing is not None:
        return existing
    term_from, _term_to = committee_term(on)
    for _attempt in range(5):
        seq = _next_seq(cell_id, kind, term_from)
        row = _number_row(kind, cell_id, document_id, on, seq, assigned_by_id=getattr(actor, "id", None))
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:
            continue
        return row
    raise RuleError("Chưa cấp được số văn bản vì có nhiều người cùng thông qua; hãy thử lại.")


# Canonical content -------------------------------------------------------------------

MEETING_FIELDS = ("id", "cell_id", "kind", "topic", "held_on", "started_at", "ended_at", "place")
MEETING_PEOPLE = ("chair_id", "minute_taker_id")
MINUTES_FIELDS = (
    "id",
    "meeting_id",
    "number",
    "delegates",
    "superior_remarks",
    "resolution",
    "proposals",
    "closing",
    "votes_for",
    "votes_against",
    "votes_other",
    "paper_reference",
    "attendance_snapshot",
)


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _fields(obj, names) -> dict:
    return {name: _plain(getattr(obj, name)) for name in names}


def canonical_bytes(content: dict) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def minutes_contents(minutes_ids: list[int]) -> dict[int, dict]:
    """The canonical content of each minutes as stored now, in a fixed number of queries
    (so the demo seals hundreds at once). Only stored columns of the minutes' own
    records: never a unit's name or a member's current name, which may change later."""
    if not minutes_ids:
        return {}
    rows = db.session.execute(
        select(Minutes, Meeting).join(Meeting, Minutes.meeting_id == Meeting.id).where(Minutes.id.in_(minutes_ids))
    ).all()
    meeting_ids = [meeting.id for _minutes, meeting in rows]
    items = defaultdict(list)
    item_of = {}
    for item in db.session.scalars(
        select(MinutesItem).where(MinutesItem.minutes_id.in_(minutes_ids)).order_by(MinutesItem.position)
    ):
        entry = _fields(item, ("position", "title", "presenter", "content", "conclusion")) | {"speakers": []}
        items[item.minutes_id].append(entry)
        item_of[item.id] = entry
    for speaker in db.session.scalars(
        select(Speaker).where(Speaker.item_id.in_(item_of), Speaker.is_deleted.is_(False)).order_by(Speaker.id)
    ):
        item_of[speaker.item_id]["speakers"].append(_fields(speaker, ("member_id", "name", "said")))
    tasks = defaultdict(list)
    for task in db.session.scalars(
        select(Task).where(Task.meeting_id.in_(meeting_ids), Task.is_deleted.is_(False)).order_by(Task.id)
    ):
        tasks[task.meeting_id].append(_fields(task, ("assignee_id", "assignee_name", "description", "due_on")))
    attendance = defaultdict(list)
    for rec in db.session.scalars(
        select(AttendanceRecord)
        .where(AttendanceRecord.meeting_id.in_(meeting_ids))
        .order_by(AttendanceRecord.member_id)
    ):
        attendance[rec.meeting_id].append(_fields(rec, ("member_id", "status", "at_time", "reason", "is_exempt")))
    errata = defaultdict(list)
    for erratum in db.session.scalars(select(Erratum).where(Erratum.minutes_id.in_(minutes_ids)).order_by(Erratum.id)):
        errata[erratum.minutes_id].append(_fields(erratum, ("id", "text", "created_at")))
    return {
        minutes.id: {
            "kind": DocumentKind.minutes.value,
            "meeting": _fields(meeting, MEETING_FIELDS + MEETING_PEOPLE),
            "minutes": _fields(minutes, MINUTES_FIELDS),
            "items": items[minutes.id],
            "tasks": tasks[meeting.id],
            "attendance": attendance[meeting.id],
            "errata": errata[minutes.id],
        }
        for minutes, meeting in rows
    }


def resolution_content(resolution) -> dict:
    return {
        "kind": DocumentKind.resolution.value,
        "resolution": _fields(
            resolution,
            (
                "id",
                "meeting_id",
                "cell_id",
                "number",
                "summary",
                "results",
                "shortcomings",
                "tasks",
                "implementation",
                "recipients",
                "signer_name",
            ),
        ),
        "on": resolution.meeting.on.isoformat(),
    }


def digest(content: dict, version: int) -> str:
    return hashlib.sha256(canonical_bytes(content | {"version": version})).hexdigest()


def short_code(content_hash: str) -> str:
    return base64.b32encode(bytes.fromhex(content_hash)).decode("ascii")[:CODE_LENGTH]


def normalise_code(text: str | None) -> str:
    """What a person types or a scanner reads: case, spaces and dashes don't matter, and
    the digits base32 lacks are read as the letters they look like."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return cleaned.translate(str.maketrans({"0": "O", "1": "I", "8": "B"}))[:40]


# Versions ----------------------------------------------------------------------------


def versions_of(kind: DocumentKind, document_id: int) -> list[DocumentVersion]:
    return list(
        db.session.scalars(
            select(DocumentVersion)
            .where(DocumentVersion.kind == kind.value, DocumentVersion.document_id == document_id)
            .order_by(DocumentVersion.version)
        )
    )


def current_version(kind: DocumentKind, document_id: int) -> DocumentVersion | None:
    return db.session.scalars(
        select(DocumentVersion)
        .where(
            DocumentVersion.kind == kind.value,
            DocumentVersion.document_id == document_id,
            DocumentVersion.superseded_at.is_(None),
        )
        .order_by(DocumentVersion.version.desc())
        .limit(1)
    ).first()


def _version_row(kind, document_id, cell_id, on, number, content, version, event, sealed_at, sealed_by_id):
    content_hash = digest(content, version)
    return DocumentVersion(
        kind=kind.value,
        document_id=document_id,
        cell_id=cell_id,
        version=version,
        number=number,
        document_on=on,
        content_hash=content_hash,
        code=short_code(content_hash),
        event=event,
        sealed_at=sealed_at,
        sealed_by_id=sealed_by_id,
    )


def _seal(actor, kind, document_id, cell_id, on, number, content, event) -> DocumentVersion:
    last = db.session.scalars(
        select(DocumentVersion)
        .where(DocumentVersion.kind == kind.value, DocumentVersion.document_id == document_id)
        .order_by(DocumentVersion.version.desc())
        .limit(1)
    ).first()
    version = (last.version if last else 0) + 1
    now = utcnow()
    if last is not None and last.superseded_at is None:
        last.superseded_at = now
        last.superseded_note = event
    row = _version_row(kind, document_id, cell_id, on, number, content, version, event, now, getattr(actor, "id", None))
    db.session.add(row)
    db.session.flush()
    return row


def seal_minutes(actor, minutes: Minutes, meeting: Meeting, event: str) -> DocumentVersion:
    db.session.flush()
    content = minutes_contents([minutes.id])[minutes.id]
    return _seal(actor, DocumentKind.minutes, minutes.id, meeting.cell_id, meeting.on, minutes.number, content, event)


def minutes_adopted(actor, minutes: Minutes, meeting: Meeting) -> DocumentVersion:
    """Called once by the adoption: the number (kept when adopted again after a
    reopening) and the sealed version."""
    taken = take_number(actor, DocumentKind.minutes, meeting.cell_id, minutes.id, meeting.on)
    minutes.number = taken.label
    again = db.session.scalar(
        select(func.count())
        .select_from(DocumentVersion)
        .where(DocumentVersion.kind == DocumentKind.minutes.value, DocumentVersion.document_id == minutes.id)
    )
    version = seal_minutes(actor, minutes, meeting, "Thông qua lại sau khi mở lại" if again else "Thông qua")
    record(actor, "document.seal", minutes, meeting.cell, f"Biên bản số {taken.label}, phiên bản {version.version}")
    return version


def minutes_corrected(actor, minutes: Minutes, meeting: Meeting) -> DocumentVersion:
    """An erratum makes a new version of adopted minutes (the print carries it)."""
    version = seal_minutes(actor, minutes, meeting, "Đính chính")
    record(actor, "document.seal", minutes, meeting.cell, f"Biên bản số {minutes.number}, phiên bản {version.version}")
    return version


def minutes_reopened(minutes: Minutes) -> None:
    """The adopted version stops being current while the minutes are being corrected (the
    reason stays in the audit log: the verification page shows no text)."""
    current = current_version(DocumentKind.minutes, minutes.id)
    if current is not None:
        current.superseded_at = utcnow()
        current.superseded_note = "Biên bản được mở lại để sửa"


def seal_resolution(actor, resolution) -> DocumentVersion:
    db.session.flush()
    return _seal(
        actor,
        DocumentKind.resolution,
        resolution.id,
        resolution.cell_id,
        resolution.document_on,
        resolution.number,
        resolution_content(resolution),
        "Ban hành",
    )


def seal_adopted_in_bulk(minutes_ids: list[int], chunk: int = 200) -> int:
    """Number and seal adopted minutes that have neither (built in bulk by the demo), in
    the order given (per cell by date, so the numbers follow the book). Numbers continue
    each register from its highest number, counted here instead of one query each."""
    kind = DocumentKind.minutes
    taken = {
        (cell_id, term_from): seq
        for cell_id, term_from, seq in db.session.execute(
            select(DocumentNumber.cell_id, DocumentNumber.term_from, func.max(DocumentNumber.seq))
            .where(DocumentNumber.kind == kind.value)
            .group_by(DocumentNumber.cell_id, DocumentNumber.term_from)
        )
    }
    done = 0
    for start in range(0, len(minutes_ids), chunk):
        ids = minutes_ids[start : start + chunk]
        rows = db.session.execute(
            select(Minutes, Meeting).join(Meeting, Minutes.meeting_id == Meeting.id).where(Minutes.id.in_(ids))
        ).all()
        rows.sort(key=lambda row: ids.index(row[0].id))
        for minutes, meeting in rows:
            register = (meeting.cell_id, committee_term(meeting.on)[0])
            taken[register] = taken.get(register, 0) + 1
            number = _number_row(
                kind,
                meeting.cell_id,
                minutes.id,
                meeting.on,
                taken[register],
                assigned_at=minutes.adopted_at or utcnow(),
            )
            minutes.number = number.label
            db.session.add(number)
        db.session.flush()
        contents = minutes_contents(ids)
        for minutes, meeting in rows:
            db.session.add(
                _version_row(
                    kind,
                    minutes.id,
                    meeting.cell_id,
                    meeting.on,
                    minutes.number,
                    contents[minutes.id],
                    1,
                    "Thông qua",
                    minutes.adopted_at or utcnow(),
                    minutes.adopted_by_id,
                )
            )
            done += 1
        db.session.flush()
    return done
