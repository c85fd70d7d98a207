"""Dated units: what a unit was called, where it hung and which place it wrote on a
given day (its `UnitVersion`). Prints, reports and headers read these, never the
current row, so a reorganisation never rewrites an earlier document."""

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from app.extensions import db
from app.org.models import OrgUnit, UnitVersion

_KIND_PREFIX = re.compile(
    r"^(đảng bộ|đảng ủy|chi bộ)\s+(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)?\s*", re.I
)


def derive_place(name: str) -> str:
    """The place a committee writes by default: "Đảng bộ xã Ninh Hải" → "Ninh Hải"."""
    return _KIND_PREFIX.sub("", name).strip() or name


def place_of(unit: OrgUnit) -> str:
    return unit.place_name or derive_place(unit.name)


@dataclass(frozen=True)
class UnitAsOf:
    """A unit as it was on one day; `parent` is the parent as it was that day too
    (loaded one level up, which is all a document header needs)."""

    id: int
    name: str
    kind: str
    place_name: str
    parent_id: int | None
    path: str
    parent: "UnitAsOf | None" = None

    @classmethod
    def of(cls, version: UnitVersion, parent: "UnitAsOf | None" = None) -> "UnitAsOf":
        return cls(
            version.unit_id,
            version.name,
            version.kind,
            version.place_name,
            version.parent_id,
            version.path,
            parent,
        )


def _pick(versions: list[UnitVersion], on: date) -> UnitVersion:
    """The version in force on `on`; before the unit existed its first one, after it
    was retired its last one. `versions` are one unit's, oldest first."""
    chosen = versions[0]
    for version in versions:
        if version.valid_from <= on:
            chosen = version
    return chosen


def _by_unit(rows) -> dict[int, list[UnitVersion]]:
    grouped: dict[int, list[UnitVersion]] = {}
    for version in rows:
        grouped.setdefault(version.unit_id, []).append(version)
    return grouped


def versions_as_of(unit_ids, on: date) -> dict[int, UnitAsOf]:
    """Several units as they were on `on`, in one query (without their parents)."""
    ids = set(unit_ids)
    if not ids:
        return {}
    grouped = _by_unit(
        db.session.scalars(select(UnitVersion).where(UnitVersion.unit_id.in_(ids)).order_by(UnitVersion.valid_from))
    )
    return {unit_id: UnitAsOf.of(_pick(versions, on)) for unit_id, versions in grouped.items()}


def unit_as_of(unit: OrgUnit | UnitAsOf, on: date) -> UnitAsOf:
    """The unit and its parent as they were on `on`, in one query: the unit's versions
    and those of every unit it ever hung from."""
    if isinstance(unit, UnitAsOf):
        return unit
    ever_parents = select(UnitVersion.parent_id).where(UnitVersion.unit_id == unit.id)
    grouped = _by_unit(
        db.session.scalars(
            select(UnitVersion)
            .where(or_(UnitVersion.unit_id == unit.id, UnitVersion.unit_id.in_(ever_parents)))
            .order_by(UnitVersion.valid_from)
        )
    )
    own = _pick(grouped[unit.id], on)
    parent = UnitAsOf.of(_pick(grouped[own.parent_id], on)) if own.parent_id else None
    return UnitAsOf.of(own, parent)


def in_month(first: date, last: date):
    """SQL (UnitVersion joined with its OrgUnit): the version that places a unit in a
    month — the one in force on its last day, or the last one of a unit retired during
    the month. A unit founded after the month, or retired before it, has none."""
    return (UnitVersion.valid_from <= last) & (
        UnitVersion.valid_to.is_(None)
        | (UnitVersion.valid_to > last)
        | (
            (UnitVersion.valid_to > first)
            & (UnitVersion.valid_to == OrgUnit.valid_to)
            & (UnitVersion.valid_to > UnitVersion.valid_from)  # not one retired the day it began
        )
    )
