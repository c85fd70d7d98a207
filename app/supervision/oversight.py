"""Read-only oversight for commune and district offices: cadres' visits against their
quota, meetings no cadre attended, and a cells × months matrix. Fixed statement counts;
the matrix is paginated by cell."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, exists, func, select

from app.auth.models import User
from app.db import under
from app.extensions import db
from app.meetings.models import Meeting, MeetingKind
from app.org.models import OrgUnit
from app.scoring.models import MeetingGrade
from app.supervision.models import DEFAULT_QUOTAS, CadreLevel, DelegateAttendance, SupervisionAssignment, VisitQuota

MONTHLY = (MeetingKind.regular.value, MeetingKind.combined.value, MeetingKind.thematic.value)


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _attended():
    """EXISTS: a supervising cadre (assigned or not) was present at the meeting."""
    return exists().where(DelegateAttendance.meeting_id == Meeting.id, DelegateAttendance.status == "present")


@dataclass
class CadreRow:
    user: User
    level: str
    cells: list[str]
    visits: int
    quota: int
    expected_so_far: float

    @property
    def on_track(self) -> bool:
        return self.visits >= int(self.expected_so_far)

    @property
    def level_label(self) -> str:
        return CadreLevel(self.level).label


def quotas_for(unit: OrgUnit) -> dict[str, int]:
    root_id = int(unit.path.strip("/").split("/")[0])
    stored = dict(
        db.session.execute(select(VisitQuota.level, VisitQuota.visits).where(VisitQuota.unit_id == root_id)).all()
    )
    return {level.value: stored.get(level.value, visits) for level, visits in DEFAULT_QUOTAS.items()}


def cadres(unit: OrgUnit, year: int, today: date) -> list[CadreRow]:
    first, last = _year_bounds(year)
    rows = db.session.execute(
        select(SupervisionAssignment, OrgUnit.name)
        .join(OrgUnit, SupervisionAssignment.cell_id == OrgUnit.id)
        .where(
            under(OrgUnit.path, unit.path),
            SupervisionAssignment.from_on <= last,
            (SupervisionAssignment.to_on.is_(None)) | (SupervisionAssignment.to_on > first),
        )
        .order_by(SupervisionAssignment.user_id, OrgUnit.name)
    ).all()
    visits = dict(
        db.session.execute(
            select(DelegateAttendance.user_id, func.count())
            .join(Meeting, DelegateAttendance.meeting_id == Meeting.id)
            .join(OrgUnit, Meeting.cell_id == OrgUnit.id)
            .where(
                under(OrgUnit.path, unit.path),
                DelegateAttendance.status == "present",
                DelegateAttendance.user_id.is_not(None),
                Meeting.held_on.between(first, last),
            )
            .group_by(DelegateAttendance.user_id)
        ).all()
    )
    quotas = quotas_for(unit)
    share = 1.0 if year < today.year else (0.0 if year > today.year else today.timetuple().tm_yday / 365)
    by_user: dict[int, CadreRow] = {}
    for assignment, cell_name in rows:
        row = by_user.get(assignment.user_id)
        if row is None:
            quota = quotas[assignment.level]
            row = by_user[assignment.user_id] = CadreRow(
                assignment.user, assignment.level, [], visits.get(assignment.user_id, 0), quota, quota * share
            )
        if cell_name not in row.cells:
            row.cells.append(cell_name)
    return sorted(by_user.values(), key=lambda r: (r.on_track, r.user.full_name))


def unattended(unit: OrgUnit, today: date, limit: int = 50) -> tuple[list[tuple[Meeting, str]], int]:
    """Meetings held in the last quarter (91 days) that no supervising cadre attended."""
    since = today - timedelta(days=91)
    condition = and_(
        under(OrgUnit.path, unit.path),
        Meeting.status.in_(("held", "adopted")),
        Meeting.kind.in_(MONTHLY),
        Meeting.held_on.between(since, today),
        ~_attended(),
    )
    base = select(Meeting, OrgUnit.name).join(OrgUnit, Meeting.cell_id == OrgUnit.id).where(condition)
    total = db.session.scalar(
        select(func.count()).select_from(Meeting).join(OrgUnit, Meeting.cell_id == OrgUnit.id).where(condition)
    )
    return list(db.session.execute(base.order_by(Meeting.held_on.desc()).limit(limit)).all()), total


@dataclass
class MatrixRow:
    cell: OrgUnit
    # month -> [(status, visited by a cadre, official grade or None)]
    months: dict[int, list[tuple[str, bool, str | None]]] = field(default_factory=lambda: defaultdict(list))

    @property
    def visited_this_year(self) -> bool:
        return any(visited for entries in self.months.values() for _status, visited, _grade in entries)


def matrix(unit: OrgUnit, year: int, page: int, per_page: int = 40):
    """Cells under the unit (a page of them) × months: meetings held, postponed, not held."""
    cells_query = (
        select(OrgUnit)
        .where(under(OrgUnit.path, unit.path), OrgUnit.kind == "cell", OrgUnit.valid_to.is_(None))
        .order_by(OrgUnit.path)
    )
    pagination = db.paginate(cells_query, page=page, per_page=per_page, error_out=False)
    rows = {cell.id: MatrixRow(cell) for cell in pagination.items}
    if rows:
        first, last = _year_bounds(year)
        for cell_id, on, status, visited, grade in db.session.execute(
            select(
                Meeting.cell_id,
                func.coalesce(Meeting.held_on, Meeting.planned_on),
                Meeting.status,
                _attended(),
                MeetingGrade.grade,
            )
            .outerjoin(MeetingGrade, MeetingGrade.meeting_id == Meeting.id)
            .where(
                Meeting.cell_id.in_(list(rows)),
                Meeting.kind.in_(MONTHLY),
                func.coalesce(Meeting.held_on, Meeting.planned_on).between(first, last),
            )
        ):
            rows[cell_id].months[on.month].append((status, bool(visited), grade))
    return list(rows.values()), pagination
