"""The year-end review (kiểm điểm) of a cell's members: the year's facts gathered in
a fixed number of grouped queries, and each member's review saved compare-and-set."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, distinct, func, or_, select
from sqlalchemy.orm import joinedload

from app.attendance.models import PRESENT_STATUSES, AttendanceRecord, AttendanceStatus
from app.attendance.services import MEETING_MONTH, REMOVAL_LIMIT
from app.audit.services import record
from app.criticism.models import Commitment, CommitmentStatus, CriticismNote, NoteKind
from app.extensions import db
from app.meetings.models import Meeting, MeetingStatus
from app.minutes.models import Task
from app.org.models import Member, Membership, OrgUnit
from app.rules import RuleError, changes_version, clean_text, save_version
from app.year_review.models import Rating, YearReview

HELD = (MeetingStatus.held.value, MeetingStatus.adopted.value)


@dataclass
class MemberYear:
    member: Member
    attendance: dict = field(default_factory=lambda: {"present": 0, "excused": 0, "unexcused": 0})
    notes: dict = field(default_factory=lambda: {k.value: 0 for k in NoteKind})
    unexcused_months: int = 0  # months with an unexcused absence: what the removal rule counts
    commitments_total: int = 0
    commitments_done: int = 0
    commitments_overdue: int = 0
    tasks_total: int = 0
    tasks_done: int = 0
    review: YearReview | None = None

    @property
    def at_removal_limit(self) -> bool:
        return self.unexcused_months >= REMOVAL_LIMIT


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _meeting_date():
    return func.coalesce(Meeting.held_on, Meeting.planned_on)


def _in_year(cell: OrgUnit, year: int):
    """Meetings of the cell dated in the year (join Meeting first)."""
    first, last = _year(year)
    return and_(Meeting.cell_id == cell.id, _meeting_date().between(first, last))


def members_of_year(cell: OrgUnit, year: int) -> list[Member]:
    """Everyone who belonged to the cell at some time in the year."""
    first, last = _year(year)
    return list(
        db.session.scalars(
            select(Member)
            .join(Membership, Membership.member_id == Member.id)
            .where(
                Membership.unit_id == cell.id,
                Membership.from_on <= last,
                or_(Membership.to_on.is_(None), Membership.to_on > first),
            )
            .order_by(Member.sort_key)
            .distinct()
        )
    )


def progress(cell: OrgUnit, year: int) -> tuple[int, int]:
    """How many members the year counts and for how many the cell has proposed a rating
    (two counts: the gate shows no more)."""
    members = len(members_of_year(cell, year))
    proposed = db.session.scalar(
        select(func.count())
        .select_from(YearReview)
        .where(YearReview.cell_id == cell.id, YearReview.year == year, YearReview.cell_rating.is_not(None))
    )
    return members, proposed


def year_facts(
    cell: OrgUnit, year: int, today: date | None = None, member_ids: list[int] | None = None
) -> list[MemberYear]:
    """Per member: attendance, notes received, commitments, tasks, and the review. Five
    grouped queries whatever the size of the cell."""
    today = today or date.today()
    members = members_of_year(cell, year)
    if member_ids is not None:
        members = [m for m in members if m.id in member_ids]
    facts = {m.id: MemberYear(m) for m in members}
    ids = list(facts) or [0]
    in_year = _in_year(cell, year)

    for member_id, status, n, months in db.session.execute(
        select(AttendanceRecord.member_id, AttendanceRecord.status, func.count(), func.count(distinct(MEETING_MONTH)))
        .join(Meeting, AttendanceRecord.meeting_id == Meeting.id)
        .where(in_year, Meeting.status.in_(HELD), Meeting.of_whole_cell(), AttendanceRecord.member_id.in_(ids))
        .group_by(AttendanceRecord.member_id, AttendanceRecord.status)
    ):
        bucket = "present" if status in PRESENT_STATUSES else AttendanceStatus(status).value
        facts[member_id].attendance[bucket] += n
        if status == AttendanceStatus.unexcused:
            facts[member_id].unexcused_months = months

    for member_id, kind, n in db.session.execute(
        select(CriticismNote.subject_member_id, CriticismNote.kind, func.count())
        .join(Meeting, CriticismNote.meeting_id == Meeting.id)
        .where(in_year, CriticismNote.is_deleted.is_(False), CriticismNote.subject_member_id.in_(ids))
        .group_by(CriticismNote.subject_member_id, CriticismNote.kind)
    ):
        facts[member_id].notes[kind] += n

    for member_id, status, due_on in db.session.execute(
        select(Commitment.member_id, Commitment.status, Commitment.due_on)
        .join(CriticismNote, Commitment.note_id == CriticismNote.id)
        .join(Meeting, CriticismNote.meeting_id == Meeting.id)
        .where(
            in_year,
            Commitment.is_deleted.is_(False),
            CriticismNote.is_deleted.is_(False),
            Commitment.member_id.in_(ids),
        )
    ):
        f = facts[member_id]
        f.commitments_total += 1
        f.commitments_done += status == CommitmentStatus.done
        f.commitments_overdue += status != CommitmentStatus.done and due_on < today

    for member_id, done, n in db.session.execute(
        select(Task.assignee_id, Task.done_on.is_not(None), func.count())
        .join(Meeting, Task.meeting_id == Meeting.id)
        .where(in_year, Task.is_deleted.is_(False), Task.assignee_id.in_(ids))
        .group_by(Task.assignee_id, Task.done_on.is_not(None))
    ):
        facts[member_id].tasks_total += n
        if done:
            facts[member_id].tasks_done += n

    for review in db.session.scalars(
        select(YearReview).where(YearReview.cell_id == cell.id, YearReview.year == year, YearReview.member_id.in_(ids))
    ):
        facts[review.member_id].review = review
    return list(facts.values())


def received_notes(cell: OrgUnit, member: Member, year: int) -> list[CriticismNote]:
    """The year's notes about the member, with their commitments (for the member page)."""
    from app.criticism.services import NOTE_LOAD

    return list(
        db.session.scalars(
            select(CriticismNote)
            .join(Meeting, CriticismNote.meeting_id == Meeting.id)
            .where(
                _in_year(cell, year),
                CriticismNote.subject_member_id == member.id,
                CriticismNote.is_deleted.is_(False),
            )
            .options(*NOTE_LOAD, joinedload(CriticismNote.meeting))
            .order_by(_meeting_date(), CriticismNote.id)
        ).unique()
    )


def tasks_of_member(cell: OrgUnit, member: Member, year: int) -> list[Task]:
    return list(
        db.session.scalars(
            select(Task)
            .join(Meeting, Task.meeting_id == Meeting.id)
            .where(
                _in_year(cell, year),
                Task.assignee_id == member.id,
                Task.is_deleted.is_(False),
            )
            .order_by(Task.id)
        )
    )


def save_review(
    actor,
    cell: OrgUnit,
    member: Member,
    year: int,
    *,
    version: int,
    self_assessment: str | None,
    proposed_rating: str | None,
    cell_rating: str | None,
    cell_comment: str | None,
) -> YearReview:
    ratings = {r.value for r in Rating}
    proposed_rating, cell_rating = proposed_rating or None, cell_rating or None
    if (proposed_rating and proposed_rating not in ratings) or (cell_rating and cell_rating not in ratings):
        raise RuleError("Chọn một mức xếp loại trong danh sách.")
    wanted = (clean_text(self_assessment), proposed_rating, cell_rating, clean_text(cell_comment))
    review = db.session.scalars(
        select(YearReview).where(
            YearReview.cell_id == cell.id, YearReview.year == year, YearReview.member_id == member.id
        )
    ).first()
    if review is None:
        review = YearReview(cell_id=cell.id, member_id=member.id, year=year)
        db.session.add(review)
    else:
        current = (review.self_assessment, review.proposed_rating, review.cell_rating, review.cell_comment)
        if not changes_version(review, version, current, wanted):
            return review
    review.self_assessment, review.proposed_rating, review.cell_rating, review.cell_comment = wanted
    review.updated_by_id = getattr(actor, "id", None)
    save_version(review)
    record(actor, "year_review.save", review, cell, f"Kiểm điểm năm {year} của {member.full_name}")
    return review
