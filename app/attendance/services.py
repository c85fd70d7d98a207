"""Roll call: the cell's roster on the meeting date, each member's attendance, the
tally, and guests."""

from dataclasses import dataclass
from datetime import time, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from app.attendance.models import AttendanceRecord, AttendanceStatus, Guest
from app.audit.services import record
from app.db import under, utcnow
from app.extensions import db
from app.meetings.models import Meeting, MeetingKind
from app.org.models import Member, OrgUnit
from app.org.queries import RosterRow, roster
from app.rules import RuleError, clean_text
from app.rules.record import check_absence_of_signer, ensure_changeable

# HD 12-HD/BTCTW: more than 85 % of members (not counting the exempt) attend.
ATTENDANCE_TARGET = 0.85


@dataclass
class AttendanceRow:
    roster: RosterRow
    record: AttendanceRecord | None

    @property
    def member(self):
        return self.roster.member

    @property
    def is_exempt(self) -> bool:
        return self.roster.exemption is not None

    @property
    def is_away(self) -> bool:
        """Attending temporarily elsewhere (and not exempt): not expected here."""
        return self.roster.away is not None and not self.is_exempt

    @property
    def is_present(self) -> bool:
        return self.record is not None and self.record.is_present


def attendance_sheet(meeting: Meeting) -> list[AttendanceRow]:
    """Every member of the cell on the meeting date with their record (2 queries); for a
    committee meeting, only those holding a committee position on that date (3)."""
    if meeting.kind == MeetingKind.committee.value:
        rows = [r for r in roster(meeting.cell, meeting.on) if r.positions]
    else:
        rows = roster(meeting.cell, meeting.on, with_positions=False)
    records = {
        r.member_id: r
        for r in db.session.scalars(select(AttendanceRecord).where(AttendanceRecord.meeting_id == meeting.id))
    }
    return [AttendanceRow(r, records.get(r.member.id)) for r in rows]


@dataclass
class Tally:
    total: int
    full: int
    probationary: int
    temporary: int
    exempt: int
    expected: int
    present: int
    excused: int
    unexcused: int
    unrecorded: int
    full_present: int  # entitled to vote
    away: int = 0  # attending temporarily elsewhere
    probationary_present: int = 0
    temporary_present: int = 0
    exempt_present: int = 0  # exempt, came anyway (not in `present`)

    @property
    def rate(self) -> float:
        return self.present / self.expected if self.expected else 0.0

    @property
    def target_met(self) -> bool:
        return self.rate > ATTENDANCE_TARGET and self.unexcused == 0

    @property
    def is_complete(self) -> bool:
        return self.unrecorded == 0

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def tally(rows: list[AttendanceRow]) -> Tally:
    def status(r):
        return r.record.status if r.record else None

    counted = [r for r in rows if not r.is_exempt and not r.is_away]
    present = [r for r in counted if r.is_present]
    return Tally(
        total=len(rows),
        full=sum(r.roster.is_full for r in rows),
        probationary=sum(not r.roster.is_full for r in rows),
        temporary=sum(r.roster.membership.kind == "temporary" for r in rows),
        exempt=sum(r.is_exempt for r in rows),
        expected=len(counted),
        present=len(present),
        excused=sum(status(r) == AttendanceStatus.excused for r in counted),
        unexcused=sum(status(r) == AttendanceStatus.unexcused for r in counted),
        unrecorded=sum(r.record is None for r in counted),
        full_present=sum(r.roster.is_full for r in rows if r.is_present),
        away=sum(r.is_away for r in rows),
        probationary_present=sum(not r.roster.is_full for r in present),
        temporary_present=sum(r.roster.membership.kind == "temporary" for r in present),
        exempt_present=sum(r.is_present for r in rows if r.is_exempt),
    )


def _upsert(values: dict, update: bool) -> None:
    """One row per member and meeting, whatever the timing of concurrent clicks."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(AttendanceRecord).values(**values)
    keys = ["meeting_id", "member_id"]
    if update:
        changes = {
            k: stmt.excluded[k] for k in ("status", "at_time", "reason", "is_exempt", "recorded_by_id", "recorded_at")
        }
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=changes)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    db.session.execute(stmt)


def mark(actor, meeting: Meeting, member_id: int, status: str, at_time: time | None = None, reason: str | None = None):
    ensure_changeable(meeting)
    status = AttendanceStatus(status)
    row = next((r for r in attendance_sheet(meeting) if r.member.id == member_id), None)
    if row is None:
        raise RuleError("Đảng viên này không thuộc chi bộ vào ngày họp.")
    if status in (AttendanceStatus.late, AttendanceStatus.left_early) and at_time is None:
        raise RuleError("Ghi giờ đến (đến muộn) hoặc giờ về (về sớm).")
    if status is AttendanceStatus.excused and not (reason or "").strip():
        raise RuleError("Ghi lý do vắng.")
    check_absence_of_signer(member_id, status.value, meeting.chair_id, meeting.minute_taker_id)
    reason = clean_text(reason, limit=300, label="Lý do vắng")
    _upsert(
        {
            "meeting_id": meeting.id,
            "member_id": member_id,
            "status": status.value,
            "at_time": at_time if status in (AttendanceStatus.late, AttendanceStatus.left_early) else None,
            "reason": reason,
            "is_exempt": row.is_exempt,
            "recorded_by_id": getattr(actor, "id", None),
            "recorded_at": utcnow(),
        },
        update=True,
    )
    record(actor, "attendance.mark", meeting, meeting.cell, f"{row.member.full_name}: {status.label}")


def mark_all_present(actor, meeting: Meeting) -> int:
    """Everyone not yet recorded (and not exempt) is present; then mark the exceptions."""
    ensure_changeable(meeting)
    count = 0
    for row in attendance_sheet(meeting):
        if row.record is None and not row.is_exempt and not row.is_away:
            _upsert(
                {
                    "meeting_id": meeting.id,
                    "member_id": row.member.id,
                    "status": AttendanceStatus.present.value,
                    "is_exempt": False,
                    "recorded_by_id": getattr(actor, "id", None),
                    "recorded_at": utcnow(),
                },
                update=False,
            )
            count += 1
    record(actor, "attendance.all_present", meeting, meeting.cell, f"{count} đảng viên có mặt")
    return count


def guests(meeting: Meeting) -> list[Guest]:
    return list(
        db.session.scalars(
            select(Guest).where(Guest.meeting_id == meeting.id, Guest.is_deleted.is_(False)).order_by(Guest.id)
        )
    )


def add_guest(actor, meeting: Meeting, name: str, position: str | None, unit_name: str | None) -> Guest:
    ensure_changeable(meeting)
    guest = Guest(
        meeting_id=meeting.id,
        name=clean_text(name, "Ghi họ tên khách mời.", limit=120, label="Họ tên khách mời"),
        position=clean_text(position, limit=200, label="Chức vụ"),
        unit_name=clean_text(unit_name, limit=200, label="Đơn vị"),
    )
    db.session.add(guest)
    db.session.flush()
    record(actor, "guest.add", guest, meeting.cell, guest.name)
    return guest


def remove_guest(actor, guest: Guest, meeting: Meeting) -> None:
    ensure_changeable(meeting)
    guest.is_deleted = True
    record(actor, "guest.remove", guest, meeting.cell, guest.name)


# Missing party activity three times in twelve months without a valid reason leads to
# removal from the Party (xóa tên): flag members at the limit and one short of it.
REMOVAL_LIMIT = 3


@dataclass
class AbsenceAlert:
    member_id: int
    full_name: str
    cell_name: str
    unexcused: int

    @property
    def at_limit(self) -> bool:
        return self.unexcused >= REMOVAL_LIMIT

    @property
    def near_limit(self) -> bool:
        return self.unexcused == REMOVAL_LIMIT - 1

    @property
    def flagged(self) -> bool:
        return self.unexcused >= REMOVAL_LIMIT - 1


ABSENCE_ALERTS_SHOWN = 30


def absence_alerts(unit, today, limit: int = ABSENCE_ALERTS_SHOWN) -> list[AbsenceAlert]:
    """Members under `unit` with unexcused absences in the last 12 months, most first
    (one grouped query)."""
    # The unit's meetings of the year first (by the cell and planned-date index), then
    # their attendance rows by meeting: never a scan of every attendance record.
    since = today - timedelta(days=365)
    meetings = (
        select(Meeting.id)
        .join(OrgUnit, Meeting.cell_id == OrgUnit.id)
        .where(
            under(OrgUnit.path, unit.path),
            Meeting.planned_on > since - timedelta(days=62),
            Meeting.held_on > since,
            Meeting.of_whole_cell(),
        )
    )
    rows = db.session.execute(
        select(Member.id, Member.full_name, OrgUnit.name, func.count())
        .select_from(AttendanceRecord)
        .join(Meeting, AttendanceRecord.meeting_id == Meeting.id)
        .join(OrgUnit, Meeting.cell_id == OrgUnit.id)
        .join(Member, AttendanceRecord.member_id == Member.id)
        .where(
            AttendanceRecord.meeting_id.in_(meetings.scalar_subquery()),
            AttendanceRecord.status == AttendanceStatus.unexcused.value,
        )
        .group_by(Member.id, Member.full_name, OrgUnit.name)
        .order_by(func.count().desc(), Member.sort_key)
        .limit(limit)
    ).all()
    return [AbsenceAlert(*row) for row in rows]
