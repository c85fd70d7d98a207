"""Writes for supervision: assignments, visit quotas, and a cadre's presence at meetings."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from sqlalchemy import select

from app.audit.services import record
from app.db import active_on
from app.extensions import db
from app.meetings.models import Meeting
from app.org.access import check_supervision
from app.org.models import OrgUnit
from app.rules import RuleError, clean_text
from app.rules.record import check_delegate_once, ensure_changeable
from app.supervision.models import (
    AssignmentKind,
    CadreLevel,
    DelegateAttendance,
    DelegateStatus,
    SupervisionAssignment,
    VisitQuota,
)

REMARKS_LIMIT = 5000


def local_now() -> datetime:
    zone = current_app.config.get("TIMEZONE", "Asia/Ho_Chi_Minh") if has_app_context() else "Asia/Ho_Chi_Minh"
    return datetime.now(ZoneInfo(zone)).replace(tzinfo=None)


def assign(actor, user, cells: list[OrgUnit], kind: str, level: str, from_on: date, to_on: date | None = None):
    if user.member_id is None:
        raise RuleError("Tài khoản này chưa gắn với một đảng viên (cấp ủy viên); không thể phân công.")
    if not cells:
        raise RuleError("Chọn ít nhất một chi bộ.")
    if to_on is not None and to_on <= from_on:
        raise RuleError("Ngày kết thúc phải sau ngày bắt đầu.")
    AssignmentKind(kind), CadreLevel(level)  # noqa: B018  (valid values only)
    made = []
    for cell in cells:
        check_supervision(actor, user, cell, AssignmentKind(kind))
        overlapping = db.session.scalars(
            select(SupervisionAssignment).where(
                SupervisionAssignment.user_id == user.id,
                SupervisionAssignment.cell_id == cell.id,
                (SupervisionAssignment.to_on.is_(None)) | (SupervisionAssignment.to_on > from_on),
                SupervisionAssignment.from_on < (to_on or date.max),
            )
        ).first()
        if overlapping is not None:
            raise RuleError(f"{user.full_name} đã được phân công ở {cell.name} trong khoảng thời gian này.")
        assignment = SupervisionAssignment(
            user_id=user.id,
            cell_id=cell.id,
            kind=kind,
            level=level,
            from_on=from_on,
            to_on=to_on,
            assigned_by_id=getattr(actor, "id", None),
        )
        db.session.add(assignment)
        db.session.flush()
        record(actor, "supervision.assign", assignment, cell, f"{user.full_name}: {AssignmentKind(kind).label}")
        made.append(assignment)
    return made


def end_assignment(actor, assignment: SupervisionAssignment, to_on: date) -> None:
    """Ends from `to_on` on; history stays."""
    if assignment.to_on is not None and assignment.to_on <= to_on:
        raise RuleError("Phân công này đã kết thúc.")
    if to_on <= assignment.from_on:
        raise RuleError("Ngày kết thúc phải sau ngày bắt đầu phân công.")
    assignment.to_on = to_on
    record(actor, "supervision.end", assignment, assignment.cell, f"{assignment.user.full_name} đến {to_on:%d/%m/%Y}")


def set_quota(actor, unit: OrgUnit, level: str, visits: int) -> None:
    if not 0 <= visits <= 100:
        raise RuleError("Số lần dự sinh hoạt mỗi năm từ 0 đến 100.")
    quota = db.session.scalars(
        select(VisitQuota).where(VisitQuota.unit_id == unit.id, VisitQuota.level == level)
    ).first() or VisitQuota(unit_id=unit.id, level=level)
    quota.visits = visits
    db.session.add(quota)
    record(actor, "supervision.quota", None, unit, f"{CadreLevel(level).label}: {visits} lần/năm")


def is_assigned(user_id: int | None, meeting: Meeting) -> bool:
    if user_id is None:
        return False
    return (
        db.session.scalar(
            select(SupervisionAssignment.id).where(
                SupervisionAssignment.user_id == user_id,
                SupervisionAssignment.cell_id == meeting.cell_id,
                active_on(SupervisionAssignment, meeting.on),
            )
        )
        is not None
    )


def _own_record(user, meeting: Meeting) -> DelegateAttendance:
    entry = db.session.scalars(
        select(DelegateAttendance).where(
            DelegateAttendance.meeting_id == meeting.id, DelegateAttendance.user_id == user.id
        )
    ).first()
    if entry is None:
        entry = DelegateAttendance(
            meeting_id=meeting.id,
            user_id=user.id,
            name=user.full_name,
            status=DelegateStatus.present.value,
            is_assigned=is_assigned(user.id, meeting),
        )
        db.session.add(entry)
    entry.recorded_by_id = user.id
    entry.on_behalf = False
    return entry


def check_in(user, meeting: Meeting) -> DelegateAttendance:
    ensure_changeable(meeting)
    now = local_now()
    if meeting.on != now.date():
        raise RuleError("Chỉ ghi có mặt vào ngày họp; để ghi lại sau, văn phòng đảng ủy ghi thay.")
    entry = _own_record(user, meeting)
    entry.status = DelegateStatus.present.value
    entry.arrived_at = entry.arrived_at or now.time().replace(second=0, microsecond=0)
    entry.reason = None
    db.session.flush()
    record(user, "delegate.check_in", meeting, meeting.cell, f"{user.full_name} đến lúc {entry.arrived_at:%H:%M}")
    return entry


def check_out(user, meeting: Meeting) -> DelegateAttendance:
    ensure_changeable(meeting)
    entry = _own_record(user, meeting)
    if entry.arrived_at is None:
        raise RuleError("Chưa ghi giờ đến.")
    entry.left_at = local_now().time().replace(second=0, microsecond=0)
    db.session.flush()
    record(user, "delegate.check_out", meeting, meeting.cell, f"{user.full_name} về lúc {entry.left_at:%H:%M}")
    return entry


def apologize(user, meeting: Meeting, reason: str) -> DelegateAttendance:
    ensure_changeable(meeting)
    if meeting.is_held:
        raise RuleError("Cuộc họp đã diễn ra; không thể báo vắng.")
    if not reason.strip():
        raise RuleError("Ghi lý do vắng.")
    entry = _own_record(user, meeting)
    entry.status = DelegateStatus.apologized.value
    entry.reason = clean_text(reason, limit=300, label="Lý do vắng")
    entry.arrived_at = entry.left_at = None
    db.session.flush()
    record(user, "delegate.apologize", meeting, meeting.cell, f"{user.full_name}: {entry.reason}")
    return entry


def save_remarks(user, meeting: Meeting, remarks: str) -> DelegateAttendance:
    ensure_changeable(meeting)
    entry = _own_record(user, meeting)
    if entry.status != DelegateStatus.present:
        raise RuleError("Chỉ đại biểu dự họp mới ghi ý kiến chỉ đạo.")
    entry.remarks = clean_text(remarks, limit=REMARKS_LIMIT, label="Ý kiến chỉ đạo")
    db.session.flush()
    record(user, "delegate.remarks", meeting, meeting.cell, f"Ý kiến chỉ đạo của {user.full_name}")
    return entry


def record_on_behalf(
    actor,
    meeting: Meeting,
    *,
    user=None,
    name: str = "",
    position: str = "",
    arrived_at=None,
    left_at=None,
    remarks: str = "",
) -> DelegateAttendance:
    """The office enters a delegate's presence from paper (assigned cadre or not)."""
    ensure_changeable(meeting)
    if user is None and not name.strip():
        raise RuleError("Chọn cán bộ hoặc ghi họ tên đại biểu.")
    name = user.full_name if user else clean_text(name, limit=120, label="Họ tên đại biểu")
    position = clean_text(position, limit=200, label="Chức vụ, đơn vị")
    remarks = clean_text(remarks, limit=REMARKS_LIMIT, label="Ý kiến chỉ đạo")
    existing = list(
        db.session.scalars(select(DelegateAttendance).where(DelegateAttendance.meeting_id == meeting.id))
    )
    # The cadre's own row (checked in, or removed earlier) is completed, never doubled.
    entry = next((e for e in existing if user is not None and e.user_id == user.id), None)
    if entry is None or entry.status != DelegateStatus.removed:
        check_delegate_once(
            user.id if user else None,
            name,
            [(e.user_id, e.name) for e in existing if e is not entry and e.status != DelegateStatus.removed],
        )
    if entry is None:
        entry = DelegateAttendance(meeting_id=meeting.id, user_id=user.id if user else None)
        db.session.add(entry)
    entry.name = name
    entry.position = position
    entry.status = DelegateStatus.present.value
    entry.arrived_at, entry.left_at = arrived_at, left_at
    entry.remarks = remarks
    entry.is_assigned = is_assigned(user.id if user else None, meeting)
    entry.on_behalf = True
    entry.recorded_by_id = getattr(actor, "id", None)
    db.session.flush()
    record(actor, "delegate.on_behalf", meeting, meeting.cell, f"Ghi thay: {entry.name}")
    return entry


def remove_delegate(actor, entry: DelegateAttendance, meeting: Meeting) -> None:
    """A delegate recorded by mistake is taken off before adoption (kept, marked removed)."""
    ensure_changeable(meeting)
    if entry.status == DelegateStatus.removed:
        return
    entry.status = DelegateStatus.removed.value
    entry.recorded_by_id = getattr(actor, "id", None)
    db.session.flush()
    record(actor, "delegate.remove", meeting, meeting.cell, f"Bỏ đại biểu: {entry.name}")
