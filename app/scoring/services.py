"""Scoring a meeting: the template that applies, facts derived from the records, sheets
by each scorer, and the official grade."""

from dataclasses import dataclass

from sqlalchemy import case, select

from app.attendance.services import ATTENDANCE_TARGET, attendance_sheet, tally
from app.audit.services import record
from app.auth.models import User
from app.db import active_on
from app.extensions import db
from app.meetings import queries as meeting_queries
from app.meetings.documents import is_late
from app.meetings.models import Meeting, MeetingStatus
from app.minutes.services import missing_for_adoption
from app.org.models import Member, Position, PositionTitle
from app.rules import RuleError, clean_text
from app.scoring.defaults import GRADE_LABELS
from app.scoring.models import MeetingGrade, ScoreEntry, ScorerKind, ScoreSheet, ScoreTemplate
from app.supervision.models import CadreLevel, SupervisionAssignment
from app.web.templating import percent, vn_number


def template_for(meeting: Meeting) -> ScoreTemplate:
    """The most specific valid template: one of the cell's own tree (deepest unit first)
    before the shipped ones, a cell-type set before the general sheet."""
    on = meeting.on
    candidates = db.session.scalars(
        select(ScoreTemplate).where(
            ScoreTemplate.valid_from <= on, (ScoreTemplate.valid_to.is_(None)) | (ScoreTemplate.valid_to > on)
        )
    ).all()
    ancestors = meeting.cell.ancestor_ids + [meeting.cell_id]
    usable = [
        t
        for t in candidates
        if t.applies_to(meeting.cell.cell_type, meeting.kind) and (t.unit_id is None or t.unit_id in ancestors)
    ]
    if not usable:
        raise RuleError("Chưa có phiếu chấm điểm áp dụng cho loại cuộc họp này.")
    return max(usable, key=lambda t: (ancestors.index(t.unit_id) + 1 if t.unit_id else 0, bool(t.cell_types), t.id))


@dataclass
class Fact:
    met: bool
    note: str


def facts(meeting: Meeting) -> dict[str, Fact]:
    """What the records say, for the criteria that can be derived."""
    sheet_tally = tally(attendance_sheet(meeting))
    minutes = meeting_queries.minutes_of(meeting)
    speakers = sum(len(item.speakers) for item in minutes.items) if minutes else 0
    documents = meeting_queries.documents(meeting)
    ahead = [d for d in documents if not is_late(d.posted_on_app_at or d.available_at, meeting)]
    committee = [m for m in meeting_queries.committee_meetings_for(meeting) if m.is_held]
    duration = meeting.duration_minutes
    complete = minutes is not None and (minutes.is_adopted or not missing_for_adoption(minutes, meeting, sheet_tally))
    return {
        "attendance_rate": Fact(
            sheet_tally.rate > ATTENDANCE_TARGET,
            f"{sheet_tally.present}/{sheet_tally.expected} có mặt ({percent(sheet_tally.rate)})",
        ),
        "no_unexcused": Fact(sheet_tally.unexcused == 0, f"{sheet_tally.unexcused} vắng không lý do"),
        "committee_met": Fact(bool(committee), "chi ủy đã họp trước" if committee else "không có cuộc họp chi ủy"),
        "documents_ahead": Fact(bool(ahead), f"{len(ahead)}/{len(documents)} tài liệu gửi trước ≥ 1 ngày"),
        "duration": Fact(
            duration is not None and duration >= meeting.minimum_minutes,
            f"{duration} phút" if duration is not None else "chưa ghi giờ",
        ),
        "speakers": Fact(speakers >= 3, f"{speakers} ý kiến phát biểu"),
        "minutes_complete": Fact(complete, "biên bản đầy đủ" if complete else "biên bản chưa đủ"),
    }


def prefill(template: ScoreTemplate, found: dict[str, Fact]) -> dict[int, float]:
    """Derived criteria: full marks when the fact holds, none otherwise; the rest full."""
    return {c.id: (c.max_points if found[c.fact].met else 0) if c.fact else c.max_points for c in template.criteria}


def grade_of(template: ScoreTemplate, points: dict[int, float]) -> tuple[float, str]:
    total = round(sum(points.values()), 1)
    full_on_needed = all(points[c.id] >= c.max_points for c in template.criteria if c.needed_for_top)
    for minimum, grade in template.bands:
        if total >= minimum and (grade != "good" or full_on_needed):
            return total, grade
    return total, template.bands[-1][1]


def scorer_kind(user, meeting: Meeting, may_self_score: bool) -> str:
    kind = db.session.scalar(
        select(SupervisionAssignment.kind).where(
            SupervisionAssignment.user_id == user.id,
            SupervisionAssignment.cell_id == meeting.cell_id,
            active_on(SupervisionAssignment, meeting.on),
        )
    )
    if kind == "in_charge":
        return ScorerKind.in_charge.value
    if kind is not None:
        return ScorerKind.cadre.value
    if may_self_score:
        return ScorerKind.self_score.value
    raise RuleError("Đồng chí không được phân công chấm điểm cuộc họp này.")


def save_sheet(
    actor,
    meeting: Meeting,
    kind: str,
    template: ScoreTemplate,
    points: dict[int, float],
    reasons: dict[int, str],
    found: dict[str, Fact],
) -> ScoreSheet:
    if meeting.status not in (MeetingStatus.held, MeetingStatus.adopted):
        raise RuleError("Chỉ chấm điểm cuộc họp đã diễn ra.")
    suggested = prefill(template, found)
    for criterion in template.criteria:
        value = points.get(criterion.id)
        if value is None or not 0 <= value <= criterion.max_points:
            raise RuleError(f"“{criterion.text}”: điểm từ 0 đến {criterion.max_points}.")
        if criterion.fact and value != suggested[criterion.id] and not (reasons.get(criterion.id) or "").strip():
            raise RuleError(f"“{criterion.text}”: điểm khác với số liệu ghi nhận, cần ghi lý do.")
    sheet = db.session.scalars(
        select(ScoreSheet).where(ScoreSheet.meeting_id == meeting.id, ScoreSheet.scorer_id == actor.id)
    ).first()
    total, grade = grade_of(template, points)
    if sheet is None:
        sheet = ScoreSheet(meeting_id=meeting.id, scorer_id=actor.id, template_id=template.id)
        db.session.add(sheet)
    elif sheet.template_id != template.id:
        raise RuleError("Phiếu đã chấm theo mẫu cũ; mẫu phiếu được giữ nguyên.")
    sheet.scorer_kind, sheet.total, sheet.grade = kind, total, grade
    db.session.flush()
    existing = {e.criterion_id: e for e in sheet.entries}
    for criterion in template.criteria:
        entry = existing.get(criterion.id) or ScoreEntry(sheet_id=sheet.id, criterion_id=criterion.id)
        entry.points = points[criterion.id]
        entry.fact_note = found[criterion.fact].note if criterion.fact else None
        entry.override_reason = clean_text(reasons.get(criterion.id), limit=1000, label="Lý do điều chỉnh điểm")
        db.session.add(entry)
    db.session.flush()
    db.session.expire(sheet, ["entries"])
    refresh_official(meeting)
    label = f"{ScorerKind(kind).label}: {vn_number(total)} điểm, {GRADE_LABELS[grade]}"
    record(actor, "score.save", sheet, meeting.cell, label)
    return sheet


def refresh_official(meeting: Meeting) -> MeetingGrade | None:
    """The in-charge cadre's sheet if there is one, else the self-score; an office's
    decision stays until an office changes it."""
    official = db.session.get(MeetingGrade, meeting.id)
    if official is not None and official.set_by_office_reason:
        return official
    sheets = {
        s.scorer_kind: s for s in db.session.scalars(select(ScoreSheet).where(ScoreSheet.meeting_id == meeting.id))
    }
    chosen = sheets.get(ScorerKind.in_charge.value) or sheets.get(ScorerKind.self_score.value)
    if chosen is None:
        return official
    official = official or MeetingGrade(meeting_id=meeting.id)
    official.sheet_id, official.total, official.grade = chosen.id, chosen.total, chosen.grade
    db.session.add(official)
    return official


def set_official(actor, meeting: Meeting, grade: str, reason: str) -> MeetingGrade:
    if grade not in GRADE_LABELS:
        raise RuleError("Xếp loại không hợp lệ.")
    if not reason.strip():
        raise RuleError("Ghi lý do điều chỉnh xếp loại.")
    official = db.session.get(MeetingGrade, meeting.id) or MeetingGrade(meeting_id=meeting.id)
    official.grade = grade
    official.set_by_office_reason = clean_text(reason, limit=1000, label="Lý do điều chỉnh xếp loại")
    official.set_by_id = actor.id
    db.session.add(official)
    record(actor, "score.official", meeting, meeting.cell, f"Xếp loại {GRADE_LABELS[grade]}: {reason.strip()[:200]}")
    return official


@dataclass
class Signatory:
    """Who a printed sheet names as its scorer and how it is signed."""

    name: str
    position: str  # "Bí thư chi bộ", "Đảng ủy viên xã"
    titles: list[str]  # the signature block's heading lines


def signatory(sheet: ScoreSheet, meeting: Meeting) -> Signatory:
    """The cell's self-score is signed for the cell by its secretary (the deputy when
    there is none) on the meeting date; a cadre's sheet by the cadre, with the committee
    position they held over the cell that day."""
    if sheet.scorer_kind == ScorerKind.self_score.value:
        leader = db.session.execute(
            select(Member.full_name, Position.title)
            .join(Position, Position.member_id == Member.id)
            .where(
                Position.unit_id == meeting.cell_id,
                Position.title.in_((PositionTitle.secretary.value, PositionTitle.deputy.value)),
                active_on(Position, meeting.on),
            )
            .order_by(case((Position.title == PositionTitle.secretary.value, 0), else_=1))
            .limit(1)
        ).first()
        title = PositionTitle(leader.title if leader else PositionTitle.secretary.value).label
        return Signatory(leader.full_name if leader else "", f"{title} chi bộ", ["T/M CHI BỘ", title.upper()])
    level = db.session.scalar(
        select(SupervisionAssignment.level)
        .where(
            SupervisionAssignment.user_id == sheet.scorer_id,
            SupervisionAssignment.cell_id == meeting.cell_id,
            active_on(SupervisionAssignment, meeting.on),
        )
        .limit(1)
    )
    position = CadreLevel(level).label if level else ScorerKind(sheet.scorer_kind).label
    return Signatory(db.session.get(User, sheet.scorer_id).full_name, position, ["NGƯỜI CHẤM"])
