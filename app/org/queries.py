"""Scoped reads for the organisation pages. Each page is a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased, joinedload

from app.db import active_on, under
from app.extensions import db
from app.org.access import MemberAccess, Permission, can, member_scope, scope_paths, unit_scope
from app.org.models import AwayPeriod, Exemption, Member, Membership, OrgUnit, Position, UnitKind, UnitVersion
from app.org.name_search import is_narrow, name_matches, search_words


def breadcrumbs(unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors, top first (one query)."""
    ids = unit.ancestor_ids
    if not ids:
        return []
    by_id = {u.id: u for u in db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def unit_history(unit: OrgUnit) -> list[tuple[UnitVersion, str | None]]:
    """The unit's versions, newest first, each with the name its parent had when the
    version began (one query)."""
    parent = aliased(UnitVersion)
    parent_name = (
        select(parent.name)
        .where(parent.unit_id == UnitVersion.parent_id, parent.valid_from <= UnitVersion.valid_from)
        .order_by(parent.valid_from.desc())
        .limit(1)
        .scalar_subquery()
    )
    return [
        tuple(row)
        for row in db.session.execute(
            select(UnitVersion, parent_name)
            .where(UnitVersion.unit_id == unit.id)
            .order_by(UnitVersion.valid_from.desc())
        )
    ]


@dataclass
class ChildSummary:
    unit: OrgUnit
    communes: int = 0
    cells: int = 0
    members: int = 0


@dataclass
class UnitOverview:
    children: list[ChildSummary] = field(default_factory=list)
    members: int = 0
    cells: int = 0


def unit_overview(unit: OrgUnit, on: date, include_retired: bool = False) -> UnitOverview:
    """Children with counts of active communes, cells and members below each (3 queries)."""
    stmt = select(OrgUnit).where(OrgUnit.parent_id == unit.id)
    if not include_retired:
        stmt = stmt.where(OrgUnit.valid_to.is_(None))
    children = db.session.scalars(stmt.order_by(OrgUnit.valid_to.is_not(None), OrgUnit.name)).all()
    summaries = {c.id: ChildSummary(c) for c in children}
    depth = unit.path.count("/")  # the child id sits at this segment of a descendant path

    descendants = db.session.execute(
        select(OrgUnit.id, OrgUnit.path, OrgUnit.kind).where(
            under(OrgUnit.path, unit.path), OrgUnit.id != unit.id, OrgUnit.valid_to.is_(None)
        )
    ).all()
    child_of = {}
    overview = UnitOverview()
    for unit_id, path, kind in descendants:
        child_id = int(path.split("/")[depth])
        child_of[unit_id] = child_id
        summary = summaries.get(child_id)
        if kind == UnitKind.cell:
            overview.cells += 1
            if summary and unit_id != child_id:
                summary.cells += 1
        elif kind == UnitKind.commune and summary and unit_id != child_id:
            summary.communes += 1
    counts = db.session.execute(
        select(Membership.unit_id, func.count())
        .join(OrgUnit, OrgUnit.id == Membership.unit_id)
        .where(under(OrgUnit.path, unit.path), active_on(Membership, on))
        .group_by(Membership.unit_id)
    ).all()
    for unit_id, count in counts:
        overview.members += count
        child_id = child_of.get(unit_id)
        if child_id in summaries:
            summaries[child_id].members += count
    overview.children = list(summaries.values())
    return overview


@dataclass
class RosterRow:
    member: Member
    membership: Membership
    is_full: bool
    exemption: Exemption | None
    positions: list[Position]
    away: AwayPeriod | None = None  # attending temporarily elsewhere on the date


def roster(cell: OrgUnit, on: date, with_positions: bool = True) -> list[RosterRow]:
    """The cell's members on a date in Vietnamese name order, with the exemption and the
    temporary attachment elsewhere in force then (1 query; 2 with positions)."""
    rows = db.session.execute(
        select(Member, Membership, Exemption, AwayPeriod)
        .join(Membership, Membership.member_id == Member.id)
        .outerjoin(Exemption, (Exemption.member_id == Member.id) & active_on(Exemption, on))
        .outerjoin(AwayPeriod, (AwayPeriod.member_id == Member.id) & active_on(AwayPeriod, on))
        .where(Membership.unit_id == cell.id, active_on(Membership, on))
        .order_by(Member.sort_key, Member.id)
    ).all()
    exemptions, away, members = {}, {}, {}
    for member, membership, exemption, period in rows:  # overlapping periods: one row each
        members.setdefault(member.id, (member, membership))
        exemptions.setdefault(member.id, exemption)
        away.setdefault(member.id, period)
    rows = list(members.values())
    ids = list(members)
    positions = defaultdict(list)
    if ids and with_positions:
        for p in db.session.scalars(
            select(Position).where(Position.unit_id == cell.id, Position.member_id.in_(ids), active_on(Position, on))
        ):
            positions[p.member_id].append(p)
    return [RosterRow(m, ms, m.is_full_on(on), exemptions.get(m.id), positions[m.id], away.get(m.id)) for m, ms in rows]


@dataclass
class RosterTally:
    total: int
    full: int
    probationary: int
    temporary: int
    exempt: int
    away: int


def tally(rows: list[RosterRow]) -> RosterTally:
    return RosterTally(
        total=len(rows),
        full=sum(r.is_full for r in rows),
        probationary=sum(not r.is_full for r in rows),
        temporary=sum(r.membership.kind == "temporary" for r in rows),
        exempt=sum(r.exemption is not None for r in rows),
        away=sum(r.away is not None for r in rows),
    )


@dataclass
class SearchHit:
    member: Member
    unit: OrgUnit | None  # the current cell, when the user may see it
    moved_away: bool = False  # active in a cell the user may not see


def search_members(user, text: str, within: OrgUnit | None = None, limit: int = 20) -> list[SearchHit]:
    """Members whose folded name holds every folded word typed (app.org.name_search:
    through the index), inside the user's scope (and `within` if given), with their
    current cell if the user sees it (a cell the member left does not learn where they
    went). One query; none when the words are too short to look up."""
    words = search_words(text)
    if not words:
        return []
    current = select(Membership.member_id, Membership.unit_id).where(active_on(Membership, date.today())).subquery()
    # The name typed exactly first, then names that start with it, then Vietnamese order.
    typed = " ".join(words)
    rank = case((Member.search_name == typed, 0), (Member.search_name.startswith(typed, autoescape=True), 1), else_=2)
    paths = [within.path] if within is not None else scope_paths(user)
    # The matches are ranked on narrow rows (a common name matches thousands); only
    # the first ones are read whole.
    first = (
        select(Member.id, rank.label("rank"), Member.sort_key)
        .where(*name_matches(words, db.session.get_bind().dialect.name, narrow=is_narrow(paths)))
        .where(member_scope(user, Permission.view))
    )
    if within is not None:
        in_within = select(current.c.member_id).join(OrgUnit, OrgUnit.id == current.c.unit_id)
        first = first.where(Member.id.in_(in_within.where(under(OrgUnit.path, within.path))))
    first = first.order_by(rank, Member.sort_key).limit(limit).subquery()
    stmt = (
        select(Member, OrgUnit)
        .join(first, first.c.id == Member.id)
        .outerjoin(current, current.c.member_id == Member.id)
        .outerjoin(OrgUnit, OrgUnit.id == current.c.unit_id)
    )
    if within is not None:
        stmt = stmt.where(under(OrgUnit.path, within.path))
    stmt = stmt.order_by(first.c.rank, first.c.sort_key).limit(limit)
    hits = []
    for member, unit in db.session.execute(stmt):
        shown = unit is not None and can(user, Permission.view, unit)
        hits.append(SearchHit(member, unit if shown else None, moved_away=unit is not None and not shown))
    return hits


def member_history(access: MemberAccess):
    """The member's positions, exemptions and periods away that `access` shows (a cell
    the member left: those of its own time), newest first. Three queries."""
    member = access.member
    positions = db.session.scalars(
        select(Position)
        .options(joinedload(Position.unit))
        .where(Position.member_id == member.id)
        .order_by(Position.from_on.desc())
    ).all()
    exemptions = db.session.scalars(
        select(Exemption).where(Exemption.member_id == member.id).order_by(Exemption.from_on.desc())
    ).all()
    away = db.session.scalars(
        select(AwayPeriod).where(AwayPeriod.member_id == member.id).order_by(AwayPeriod.from_on.desc())
    ).all()
    return (
        [p for p in positions if access.sees_unit(p.unit_id) and access.covers(p.from_on, p.to_on)],
        [e for e in exemptions if access.covers(e.from_on, e.to_on)],
        [a for a in away if access.covers(a.from_on, a.to_on)],
    )


def units_for_select(user, perm: Permission, kinds: tuple[UnitKind, ...]) -> list[OrgUnit]:
    """Active units of the given kinds where the user holds `perm`, for a form's select."""
    return db.session.scalars(
        select(OrgUnit)
        .where(unit_scope(user, perm), OrgUnit.kind.in_([k.value for k in kinds]), OrgUnit.valid_to.is_(None))
        .order_by(OrgUnit.path)
        .limit(2000)
    ).all()


def unit_label_map(units: list[OrgUnit]) -> dict[int, str]:
    """'Đảng bộ xã A › Chi bộ thôn 1' labels for a select, with one query for parents."""
    parent_ids = {u.parent_id for u in units if u.parent_id}
    names = (
        dict(db.session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(parent_ids))).all())
        if parent_ids
        else {}
    )
    return {u.id: (f"{names[u.parent_id]} › {u.name}" if u.parent_id in names else u.name) for u in units}
