"""The monthly score report (bảng tổng hợp chấm điểm chất lượng sinh hoạt chi bộ) of a
commune, and the roll-up of communes for a district or province. One query for the
meetings of the month, one for their sheets."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import aliased

from app.db import month_bounds, under
from app.extensions import db
from app.meetings.models import Meeting
from app.org.history import UnitAsOf, in_month, unit_as_of, versions_as_of
from app.org.models import OrgUnit, UnitVersion
from app.scoring.defaults import GRADE_LABELS
from app.scoring.models import MeetingGrade, ScoreSheet
from app.supervision.models import DelegateAttendance

MONTHLY = ("regular", "combined", "thematic")


@dataclass
class ReportRow:
    cell: UnitAsOf  # as it was at the end of the month
    meeting: Meeting | None
    self_score: float | None = None
    cadre_score: float | None = None
    grade: str | None = None
    cadre_attended: bool = False

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS.get(self.grade, "") if self.grade else ""


def held_in_window(first: date, last: date):
    """A meeting is planned no later than it is held, and rarely two months earlier:
    this lets the (cell, planned date) index answer "held in this month"."""
    return Meeting.planned_on.between(first - timedelta(days=62), last)


def _cells_of_month(scope: UnitAsOf, first: date, last: date) -> tuple:
    """SQL (UnitVersion joined with its OrgUnit): the cells that belonged under `scope`
    (the unit as it was at the month's end) in the month, by the tree of that month — a
    cell counts under the unit it belonged to at the month's end (or when it was retired
    during the month), and not before it existed."""
    return (in_month(first, last), under(UnitVersion.path, scope.path), UnitVersion.kind == "cell")


def rows(unit: OrgUnit, year: int, month: int) -> list[ReportRow]:
    """Every cell under `unit` that month, with its meeting of the month (if any)."""
    first, last = month_bounds(year, month)
    attended = exists().where(DelegateAttendance.meeting_id == Meeting.id, DelegateAttendance.status == "present")
    found = db.session.execute(
        select(UnitVersion, Meeting, MeetingGrade.grade, attended)
        .join(OrgUnit, OrgUnit.id == UnitVersion.unit_id)
        .outerjoin(
            Meeting,
            (Meeting.cell_id == UnitVersion.unit_id)
            & Meeting.kind.in_(MONTHLY)
            & Meeting.status.in_(("held", "adopted"))
            & Meeting.held_on.between(first, last),
        )
        .outerjoin(MeetingGrade, MeetingGrade.meeting_id == Meeting.id)
        .where(*_cells_of_month(unit_as_of(unit, last), first, last))
        .order_by(UnitVersion.path, Meeting.held_on)
    ).all()
    result = [
        ReportRow(UnitAsOf.of(version), meeting, grade=grade, cadre_attended=bool(seen) if meeting else False)
        for version, meeting, grade, seen in found
    ]
    meeting_ids = [r.meeting.id for r in result if r.meeting]
    if meeting_ids:
        scores = defaultdict(dict)
        for meeting_id, kind, total in db.session.execute(
            select(ScoreSheet.meeting_id, ScoreSheet.scorer_kind, func.max(ScoreSheet.total))
            .where(ScoreSheet.meeting_id.in_(meeting_ids))
            .group_by(ScoreSheet.meeting_id, ScoreSheet.scorer_kind)
        ):
            scores[meeting_id][kind] = total
        for row in result:
            if row.meeting:
                row.self_score = scores[row.meeting.id].get("self")
                row.cadre_score = scores[row.meeting.id].get("in_charge") or scores[row.meeting.id].get("cadre")
    return result


@dataclass
class CommuneSummary:
    commune: UnitAsOf  # as it was at the end of the month
    cells: int = 0
    held: int = 0
    attended: int = 0
    grades: Counter = field(default_factory=Counter)


def rollup_for(unit: OrgUnit, year: int, month: int) -> list[CommuneSummary]:
    """Counted in SQL by commune (a cell directly under a district counts alone), by the
    tree of that month: the cells in one grouped query, the month's meetings in another,
    so a whole city is a few statements, not thousands of rows."""
    first, last = month_bounds(year, month)
    parent = aliased(OrgUnit)
    owner = case((parent.kind == "commune", UnitVersion.parent_id), else_=UnitVersion.unit_id)
    scope = unit_as_of(unit, last)
    in_scope = _cells_of_month(scope, first, last)
    # A commune's cells share its path, so any one of them tells where it hung.
    cells = {
        owner_id: (count, path)
        for owner_id, count, path in db.session.execute(
            select(owner, func.count(), func.min(UnitVersion.path))
            .select_from(UnitVersion)
            .join(OrgUnit, OrgUnit.id == UnitVersion.unit_id)
            .outerjoin(parent, UnitVersion.parent_id == parent.id)
            .where(*in_scope)
            .group_by(owner)
        )
    }
    attended = exists().where(DelegateAttendance.meeting_id == Meeting.id, DelegateAttendance.status == "present")
    grade_columns = [func.sum(case((MeetingGrade.grade == key, 1), else_=0)) for key in GRADE_LABELS]
    meetings = {
        row[0]: row[1:]
        for row in db.session.execute(
            select(
                owner,
                func.count(),
                func.sum(case((attended, 1), else_=0)),
                func.sum(case((MeetingGrade.grade.is_(None), 1), else_=0)),
                *grade_columns,
            )
            .select_from(Meeting)
            .join(UnitVersion, Meeting.cell_id == UnitVersion.unit_id)
            .join(OrgUnit, OrgUnit.id == UnitVersion.unit_id)
            .outerjoin(parent, UnitVersion.parent_id == parent.id)
            .outerjoin(MeetingGrade, MeetingGrade.meeting_id == Meeting.id)
            .where(
                Meeting.held_on.between(first, last),
                held_in_window(first, last),
                Meeting.kind.in_(MONTHLY),
                Meeting.status.in_(("held", "adopted")),
                *in_scope,
            )
            .group_by(owner)
        ).all()
    }
    # Rolled up once more to the unit's own children: a district lists its communes,
    # a province its districts (15 rows for Hải Phòng rather than 1,297).
    depth = scope.path.count("/") - 1
    child_of = {owner_id: int(path.strip("/").split("/")[depth]) for owner_id, (_, path) in cells.items()}
    children = versions_as_of(child_of.values(), last)
    summaries: dict[int, CommuneSummary] = {}
    for owner_id, (cell_count, _) in cells.items():
        held, seen, ungraded, *grades = meetings.get(owner_id, (0, 0, 0) + (0,) * len(GRADE_LABELS))
        summary = summaries.setdefault(child_of[owner_id], CommuneSummary(children[child_of[owner_id]]))
        summary.cells += cell_count
        summary.held += held
        summary.attended += seen or 0
        summary.grades.update({key: count or 0 for key, count in zip(GRADE_LABELS, grades, strict=True)})
        summary.grades["none"] += ungraded or 0
    return sorted(summaries.values(), key=lambda s: s.commune.path)
