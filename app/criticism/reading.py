"""The one door through which a note text reaches a response.

Criticism notes, commitments and their reviews, note revisions, self-reviews and
year-end reviews load sealed (app/criticism/sealed.py). `open_texts` checks who reads
(`can_read_notes` / `can_read_year_notes` in app/org/access.py), writes a `note.read`
audit entry for every meeting (or cell and year) whose texts it opens, and hands back
the rows wrapped so that their texts read as strings. Rows the reader may not read are
left out. The view commits the entries (`commit_reads`) before it renders."""

from dataclasses import dataclass

from flask import abort, g, has_app_context

from app.audit.services import record
from app.criticism.models import Commitment, CommitmentReview, CriticismNote, NoteRevision
from app.criticism.sealed import Sealed, unseal
from app.extensions import db
from app.meetings.models import Meeting
from app.org.access import can_read_notes, can_read_year_notes
from app.org.models import OrgUnit
from app.self_examination.models import SelfExamination, SelfReview
from app.year_review.models import YearReview

SEALED_MODELS = (CriticismNote, Commitment, CommitmentReview, NoteRevision, SelfExamination, SelfReview, YearReview)


@dataclass(frozen=True)
class CellYear:
    """The year-end review of a cell: what its texts belong to."""

    cell: OrgUnit
    year: int


class Opened:
    """A row opened by `open_texts`: its texts (and those of the rows reached from it,
    which belong to the same meeting) read as plain strings."""

    __slots__ = ("_row",)

    def __init__(self, row):
        object.__setattr__(self, "_row", row)

    def __getattr__(self, name):
        return _reveal(getattr(self._row, name))

    def __setattr__(self, name, value):
        raise AttributeError("An opened text is read-only.")

    def __repr__(self) -> str:
        return f"<Opened {self._row!r}>"


def _reveal(value):
    if isinstance(value, Sealed):
        return unseal(value)
    if isinstance(value, SEALED_MODELS):
        return Opened(value)
    if isinstance(value, list) and value and isinstance(value[0], SEALED_MODELS):
        return [Opened(v) for v in value]
    return value


def owner_of(row) -> Meeting | CellYear:
    """The meeting a text was written in (a year-end review: its cell and year)."""
    if isinstance(row, CriticismNote | SelfExamination):
        return row.meeting
    if isinstance(row, Commitment | NoteRevision):
        return row.note.meeting
    if isinstance(row, SelfReview):
        return row.examination.meeting
    if isinstance(row, YearReview):
        return CellYear(db.session.get(OrgUnit, row.cell_id), row.year)
    raise TypeError(f"{type(row).__name__} is opened through the row it belongs to")


def may_read(actor, owner: Meeting | CellYear) -> bool:
    if isinstance(owner, CellYear):
        return can_read_year_notes(actor, owner.cell, owner.year)
    return can_read_notes(actor, owner)


def _audit(actor, owner: Meeting | CellYear, what: str) -> None:
    """One `note.read` entry per meeting (cell and year) a request opens."""
    key = ("year", owner.cell.id, owner.year) if isinstance(owner, CellYear) else ("meeting", owner.id)
    done = g.setdefault("_notes_read", set()) if has_app_context() else set()
    if key in done:
        return
    done.add(key)
    if isinstance(owner, CellYear):
        record(actor, "note.read", owner.cell, owner.cell, f"Mở {what} năm {owner.year}")
    else:
        record(actor, "note.read", owner, owner.cell, f"Mở {what}, họp {owner.on:%d/%m/%Y}")


def open_texts(actor, what: str, rows=(), *, opened: Meeting | CellYear | None = None) -> list[Opened]:
    """Open the texts of `rows` for `actor`: those of meetings (cells and years) the
    actor may read, each audited. `opened`, the meeting (or cell and year) the page is
    about, must be readable (else 403) and is audited even when it has no texts yet."""
    if opened is not None:
        if not may_read(actor, opened):
            abort(403)
        _audit(actor, opened, what)
    shown = []
    for row in rows:
        owner = owner_of(row)
        if may_read(actor, owner):
            _audit(actor, owner, what)
            shown.append(Opened(row))
    return shown


def open_one(actor, what: str, row, *, opened: Meeting | CellYear | None = None) -> Opened | None:
    found = open_texts(actor, what, [row] if row is not None else [], opened=opened)
    return found[0] if found else None


def commit_reads() -> None:
    """Commit the `note.read` entries before any text leaves, keeping the rows the page
    loaded (expiring them on commit would load every row again, one by one)."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
