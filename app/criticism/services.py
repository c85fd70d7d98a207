"""Writes and reads of criticism notes and correction commitments. Audit summaries
never carry a note's text: the audit log is read more widely than the notes."""

from collections import Counter
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.audit.services import record
from app.criticism.models import (
    REVIEW_OUTCOMES,
    Commitment,
    CommitmentReview,
    CommitmentStatus,
    CriticismNote,
    NoteKind,
    NoteRevision,
    NoteSubject,
)
from app.db import under
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting
from app.org.models import Member, OrgUnit
from app.rules import RuleError, changes_version, clean_text, save_version
from app.rules.record import ensure_changeable

MAX_TEXT = 10_000
TEXT_REQUIRED = "Ghi nội dung tự phê bình, phê bình."
DUE_REQUIRED = "Ghi hạn hoàn thành việc sửa chữa."


def may_change(meeting: Meeting) -> bool:
    """Notes are written until the minutes are adopted (then the office reopens them)."""
    return meeting.is_changeable


def check_open(meeting: Meeting) -> None:
    """Notes, self-reviews and assessments of a meeting change only while it is open."""
    ensure_changeable(meeting)


def _revision(actor, note: CriticismNote, change: str) -> None:
    db.session.add(
        NoteRevision(
            note_id=note.id,
            version=note.version,
            kind=note.kind,
            text=note.text,
            change=change,
            changed_by_id=getattr(actor, "id", None),
        )
    )


def _audit(actor, action: str, note: CriticismNote, meeting: Meeting) -> None:
    record(actor, action, note, meeting.cell, f"{note.kind_label} về {note.subject_label}, họp {meeting.on:%d/%m/%Y}")


def add_note(
    actor,
    meeting: Meeting,
    *,
    kind: str,
    subject: str,
    text: str,
    subject_member: Member | None = None,
    by_member: Member | None = None,
    by_name: str | None = None,
    agenda_item: AgendaItem | None = None,
    commitment: tuple[str, date | None] | None = None,
) -> CriticismNote:
    """One note (its form's one-time token makes a double click add it once)."""
    check_open(meeting)
    if kind not in NoteKind.__members__ or subject not in NoteSubject.__members__:
        raise RuleError("Chọn loại ghi chép và người (tập thể) được nói đến.")
    if subject != NoteSubject.member:
        subject_member = None  # a member picked in the form, then "the cell" chosen
    elif subject_member is None:
        raise RuleError("Chọn đảng viên được nói đến.")
    by_name = (by_name or "").strip() or None
    if kind == NoteKind.self_criticism:
        by_member, by_name = None, None
    elif kind == NoteKind.criticism and by_member is None and by_name is None:
        raise RuleError("Ghi rõ ai phê bình: một đảng viên hoặc đại biểu cấp trên.")
    if agenda_item is not None and agenda_item.meeting_id != meeting.id:
        raise RuleError("Nội dung chương trình không thuộc cuộc họp này.")
    note = CriticismNote(
        meeting_id=meeting.id,
        cell_id=meeting.cell_id,
        agenda_item_id=agenda_item.id if agenda_item else None,
        subject=subject,
        subject_member_id=subject_member.id if subject_member else None,
        subject_member=subject_member,
        kind=kind,
        by_member_id=by_member.id if by_member else None,
        by_name=by_member.full_name if by_member else by_name,
        text=clean_text(text, TEXT_REQUIRED, MAX_TEXT),
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(note)
    db.session.flush()
    _revision(actor, note, "created")
    _audit(actor, "note.create", note, meeting)
    if commitment is not None:
        add_commitment(actor, note, *commitment)
    return note


def edit_note(actor, note: CriticismNote, *, version: int, kind: str, text: str) -> None:
    """Compare and set on the version: a concurrent edit is refused, not overwritten
    (unless it saved exactly the same thing, as a double click does)."""
    check_open(note.meeting)
    text = clean_text(text, TEXT_REQUIRED, MAX_TEXT)
    if kind not in NoteKind.__members__:
        raise RuleError("Chọn loại ghi chép.")
    if not changes_version(note, version, (note.kind, note.text), (kind, text)):
        return
    note.kind, note.text = kind, text
    save_version(note)
    _revision(actor, note, "edited")
    _audit(actor, "note.edit", note, note.meeting)


def set_deleted(actor, note: CriticismNote, deleted: bool) -> None:
    check_open(note.meeting)
    if note.is_deleted == deleted:
        return
    note.is_deleted = deleted
    save_version(note)
    _revision(actor, note, "deleted" if deleted else "restored")
    _audit(actor, "note.delete" if deleted else "note.restore", note, note.meeting)


def add_commitment(actor, note: CriticismNote, what: str, due_on: date | None) -> Commitment:
    if note.kind in (NoteKind.praise,):
        raise RuleError("Lời biểu dương không kèm cam kết sửa chữa.")
    if due_on is None:
        raise RuleError(DUE_REQUIRED)
    if due_on < note.meeting.on:
        raise RuleError("Hạn sửa chữa phải sau ngày họp.")
    commitment = Commitment(
        note_id=note.id,
        cell_id=note.cell_id,
        member_id=note.subject_member_id,
        what=clean_text(what, "Ghi việc cam kết sửa chữa.", MAX_TEXT),
        due_on=due_on,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(commitment)
    db.session.flush()
    record(
        actor,
        "commitment.create",
        commitment,
        note.meeting.cell,
        f"Cam kết của {note.subject_label}, hạn {due_on:%d/%m/%Y}",
    )
    return commitment


def review_commitment(actor, commitment: Commitment, meeting: Meeting, outcome: str, comment: str | None) -> None:
    """A later meeting of the cell finds the commitment done, in progress or overdue.
    Reviewing it again in the same meeting replaces that meeting's finding."""
    check_open(meeting)
    if outcome not in [o.value for o in REVIEW_OUTCOMES]:
        raise RuleError("Chọn kết quả: đã sửa xong, đang sửa hoặc quá hạn.")
    if meeting.cell_id != commitment.cell_id or meeting.id == commitment.note.meeting_id:
        raise RuleError("Cam kết được kiểm điểm ở một cuộc họp sau của chính chi bộ.")
    if meeting.on < commitment.note.meeting.on:
        raise RuleError("Cuộc họp kiểm điểm phải sau cuộc họp đưa ra cam kết.")
    review = db.session.scalars(
        select(CommitmentReview).where(
            CommitmentReview.commitment_id == commitment.id, CommitmentReview.meeting_id == meeting.id
        )
    ).first()
    if review is None:
        review = CommitmentReview(commitment_id=commitment.id, meeting_id=meeting.id)
        db.session.add(review)
    review.outcome, review.comment = outcome, (comment or "").strip()[:MAX_TEXT] or None
    review.reviewed_by_id = getattr(actor, "id", None)
    commitment.status = outcome
    commitment.done_on = meeting.on if outcome == CommitmentStatus.done else None
    db.session.flush()
    record(
        actor,
        "commitment.review",
        commitment,
        meeting.cell,
        f"Kiểm điểm cam kết: {CommitmentStatus(outcome).label}, họp {meeting.on:%d/%m/%Y}",
    )


# Reads ------------------------------------------------------------------------------

NOTE_LOAD = (
    joinedload(CriticismNote.subject_member),
    joinedload(CriticismNote.by_member),
    joinedload(CriticismNote.agenda_item),
    selectinload(CriticismNote.commitments).selectinload(Commitment.reviews).joinedload(CommitmentReview.meeting),
)


def notes_of(meeting: Meeting, deleted: bool = False) -> list[CriticismNote]:
    return list(
        db.session.scalars(
            select(CriticismNote)
            .where(CriticismNote.meeting_id == meeting.id, CriticismNote.is_deleted.is_(deleted))
            .options(*NOTE_LOAD)
            .order_by(CriticismNote.id)
        ).unique()
    )


def note_counts(meeting: Meeting) -> Counter:
    """How many notes of each kind, and commitments: what those who may not read see."""
    rows = db.session.execute(
        select(
            CriticismNote.kind,
            func.count(func.distinct(CriticismNote.id)),
            func.count(Commitment.id),
        )
        .outerjoin(Commitment, (Commitment.note_id == CriticismNote.id) & Commitment.is_deleted.is_(False))
        .where(CriticismNote.meeting_id == meeting.id, CriticismNote.is_deleted.is_(False))
        .group_by(CriticismNote.kind)
    ).all()
    counts = Counter()
    for kind, notes, commitments in rows:
        counts[kind] = notes
        counts["commitments"] += commitments
        counts["notes"] += notes
    return counts


def commitments_to_review(meeting: Meeting, with_reviews: bool = True) -> list[Commitment]:
    """The cell's commitments from earlier meetings still open, and those this meeting
    has already reviewed (so the finding stays on the page)."""
    reviewed_here = select(CommitmentReview.commitment_id).where(CommitmentReview.meeting_id == meeting.id)
    return list(
        db.session.scalars(
            select(Commitment)
            .join(CriticismNote, Commitment.note_id == CriticismNote.id)
            .join(Meeting, CriticismNote.meeting_id == Meeting.id)
            .where(
                Commitment.cell_id == meeting.cell_id,
                Commitment.is_deleted.is_(False),
                CriticismNote.is_deleted.is_(False),
                CriticismNote.meeting_id != meeting.id,
                func.coalesce(Meeting.held_on, Meeting.planned_on) <= meeting.on,
                or_(Commitment.status != CommitmentStatus.done.value, Commitment.id.in_(reviewed_here)),
            )
            .options(
                joinedload(Commitment.member),
                joinedload(Commitment.note).joinedload(CriticismNote.meeting),
                *([selectinload(Commitment.reviews)] if with_reviews else []),
            )
            .order_by(Commitment.due_on)
        ).unique()
    )


def overdue_commitments(unit: OrgUnit, today: date | None = None) -> list[Commitment]:
    """Commitments past their date and not done, in the unit's subtree."""
    today = today or date.today()
    return list(
        db.session.scalars(
            select(Commitment)
            .join(OrgUnit, Commitment.cell_id == OrgUnit.id)
            .join(CriticismNote, Commitment.note_id == CriticismNote.id)
            .where(
                under(OrgUnit.path, unit.path),
                Commitment.status != CommitmentStatus.done.value,
                Commitment.due_on < today,
                Commitment.is_deleted.is_(False),
                CriticismNote.is_deleted.is_(False),
            )
            .options(
                joinedload(Commitment.member),
                joinedload(Commitment.note).joinedload(CriticismNote.meeting),
            )
            .order_by(Commitment.due_on)
            .limit(200)
        ).unique()
    )


def revisions_of(note: CriticismNote) -> list[NoteRevision]:
    return list(
        db.session.scalars(select(NoteRevision).where(NoteRevision.note_id == note.id).order_by(NoteRevision.id))
    )

