"""Writes for the month's resolution: draft it from a meeting (tasks prefilled from the
minutes), save with a check against concurrent edits, issue it with a number and a seal
once the minutes are adopted. An issued resolution is locked."""

import re

from sqlalchemy import select

from app.audit.services import record
from app.db import active_on, utcnow
from app.extensions import db
from app.meetings.models import Meeting, MeetingKind
from app.minutes.models import Minutes, Task
from app.org.models import Member, Position, PositionTitle
from app.printing.layout import month_number
from app.records import services as records
from app.records.models import DocumentKind
from app.resolutions.models import Resolution, ResolutionStatus
from app.rules import RuleError, changes_version, clean_text, save_version

MONTHLY_KINDS = (MeetingKind.regular, MeetingKind.combined)
TEXT_FIELDS = ("summary", "results", "shortcomings", "tasks", "implementation", "recipients")
LIMITS = {"summary": 300}
DEFAULT_IMPLEMENTATION = (
    "Chi ủy (bí thư) chi bộ tổ chức quán triệt nghị quyết đến toàn thể đảng viên; phân công đảng viên "
    "thực hiện từng nhiệm vụ; kiểm tra, đôn đốc và đánh giá kết quả thực hiện tại kỳ sinh hoạt tháng sau."
)


def resolution_of(meeting: Meeting) -> Resolution | None:
    return db.session.scalars(select(Resolution).where(Resolution.meeting_id == meeting.id)).first()


def _next_month(meeting: Meeting) -> tuple[int, int]:
    on = meeting.on
    return (on.year + 1, 1) if on.month == 12 else (on.year, on.month + 1)


def committee_of(cell) -> str:
    """The committee a cell reports to, as a recipient: "Đảng bộ xã Ninh Hải" → "Đảng ủy xã
    Ninh Hải"."""
    parent = cell.parent
    if parent is None:
        return "Cấp ủy cấp trên"
    return re.sub(r"^Đảng bộ\b", "Đảng ủy", parent.name)


def _task_lines(meeting: Meeting) -> str:
    tasks = db.session.scalars(
        select(Task).where(Task.meeting_id == meeting.id, Task.is_deleted.is_(False)).order_by(Task.id)
    )
    return "\n".join(
        f"- {t.description.rstrip('.')}; giao {'đồng chí ' if t.assignee_id else ''}{t.assignee_name} thực hiện"
        + (f", hạn {t.due_on:%d/%m/%Y}" if t.due_on else "")
        + "."
        for t in tasks
    )


def draft_resolution(actor, meeting: Meeting) -> Resolution:
    existing = resolution_of(meeting)
    if existing is not None:  # a second click opens the same draft
        return existing
    if meeting.kind not in MONTHLY_KINDS:
        raise RuleError("Nghị quyết tháng được lập từ buổi sinh hoạt thường kỳ (hoặc thường kỳ kết hợp chuyên đề).")
    minutes = db.session.scalars(select(Minutes).where(Minutes.meeting_id == meeting.id)).first()
    if minutes is None:
        raise RuleError("Hãy mở biên bản của buổi sinh hoạt trước khi lập nghị quyết.")
    year, month = _next_month(meeting)
    resolution = Resolution(
        meeting_id=meeting.id,
        cell_id=meeting.cell_id,
        status=ResolutionStatus.draft.value,
        summary=f"về lãnh đạo thực hiện nhiệm vụ tháng {month_number(month)} năm {year}",
        results=minutes.resolution,
        tasks=_task_lines(meeting) or None,
        implementation=DEFAULT_IMPLEMENTATION,
        recipients=f"- {committee_of(meeting.cell)} (để báo cáo);\n- Đảng viên trong chi bộ;\n- Lưu chi bộ.",
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(resolution)
    db.session.flush()
    record(actor, "resolution.draft", resolution, meeting.cell, f"Dự thảo nghị quyết tháng {meeting.on:%m/%Y}")
    return resolution


def ensure_draft(resolution: Resolution) -> None:
    if resolution.is_issued:
        raise RuleError("Nghị quyết đã ban hành và khóa; không sửa được nữa.")


def save_resolution(actor, resolution: Resolution, seen_version: int, fields: dict) -> None:
    ensure_draft(resolution)
    values = {name: clean_text(fields.get(name), limit=LIMITS.get(name, 20_000)) for name in TEXT_FIELDS}
    current = tuple(getattr(resolution, name) for name in TEXT_FIELDS)
    if not changes_version(resolution, seen_version, current, tuple(values.values())):
        return
    for name, value in values.items():
        setattr(resolution, name, value)
    save_version(resolution)
    record(actor, "resolution.save", resolution, resolution.meeting.cell, "Lưu dự thảo nghị quyết")


def secretary_on(cell_id: int, on) -> Member | None:
    return db.session.scalars(
        select(Member)
        .join(Position, Position.member_id == Member.id)
        .where(Position.unit_id == cell_id, Position.title == PositionTitle.secretary.value, active_on(Position, on))
        .order_by(Position.from_on.desc())
        .limit(1)
    ).first()


def missing_for_issue(resolution: Resolution, minutes: Minutes | None) -> list[str]:
    missing = []
    if minutes is None or not minutes.is_adopted:
        missing.append("biên bản buổi sinh hoạt được thông qua")
    for name, label in (
        ("results", "kết quả"),
        ("tasks", "nhiệm vụ, giải pháp"),
        ("implementation", "tổ chức thực hiện"),
    ):
        if not getattr(resolution, name):
            missing.append(label)
    return missing


def issue(actor, resolution: Resolution) -> None:
    ensure_draft(resolution)
    meeting = resolution.meeting
    minutes = db.session.scalars(select(Minutes).where(Minutes.meeting_id == meeting.id)).first()
    missing = missing_for_issue(resolution, minutes)
    if missing:
        raise RuleError("Chưa thể ban hành nghị quyết, còn thiếu: " + ", ".join(missing) + ".")
    secretary = secretary_on(meeting.cell_id, meeting.on)
    if secretary is None:
        raise RuleError(
            "Chi bộ chưa có bí thư vào ngày họp: ghi chức vụ bí thư trước khi ban hành (T/M CHI BỘ, BÍ THƯ)."
        )
    taken = records.take_number(actor, DocumentKind.resolution, meeting.cell_id, resolution.id, meeting.on)
    resolution.number = taken.label
    resolution.signer_name = secretary.full_name
    resolution.status = ResolutionStatus.issued.value
    resolution.issued_at = utcnow()
    resolution.issued_by_id = getattr(actor, "id", None)
    resolution.version += 1
    version = records.seal_resolution(actor, resolution)
    record(actor, "resolution.issue", resolution, meeting.cell, f"Nghị quyết số {taken.label}, mã {version.code}")


def next_month_label(meeting: Meeting) -> str:
    year, month = _next_month(meeting)
    return f"{month_number(month)} NĂM {year}"


def print_context(meeting: Meeting) -> dict | None:
    """What the printed resolution needs besides the meeting; None without a resolution."""
    resolution = resolution_of(meeting)
    if resolution is None:
        return None
    return {
        "resolution": resolution,
        "next_month_label": next_month_label(meeting),
        "seal": records.current_version(DocumentKind.resolution, resolution.id) if resolution.is_issued else None,
        "recipients": [line.strip() for line in (resolution.recipients or "").splitlines() if line.strip()],
    }
