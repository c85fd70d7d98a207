"""Reads for the cadre's schedule and a meeting's delegates (fixed query counts)."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from app.db import under
from app.extensions import db
from app.meetings.models import Meeting
from app.org.access import Permission, grants, unit_scope
from app.org.models import OrgUnit
from app.supervision.models import DelegateAttendance, DelegateStatus, ScheduleSeen, SupervisionAssignment


def supervised_cell_ids(user) -> list[int]:
    """The cells the user follows today (from the grants already loaded)."""
    return [gr.unit_id for gr in grants(user) if gr.role is None]


@dataclass
class ScheduleRow:
    meeting: Meeting
    mine: DelegateAttendance | None
    is_new: bool


def schedule(user, first: date, last: date) -> list[ScheduleRow]:
    cell_ids = supervised_cell_ids(user)
    if not cell_ids:
        return []
    meetings = db.session.scalars(
        select(Meeting)
        .where(Meeting.cell_id.in_(cell_ids), func.coalesce(Meeting.held_on, Meeting.planned_on).between(first, last))
        .order_by(func.coalesce(Meeting.held_on, Meeting.planned_on), Meeting.planned_time)
    ).all()
    mine = (
        {
            d.meeting_id: d
            for d in db.session.scalars(
                select(DelegateAttendance).where(
                    DelegateAttendance.user_id == user.id, DelegateAttendance.meeting_id.in_([m.id for m in meetings])
                )
            )
        }
        if meetings
        else {}
    )
    seen = db.session.get(ScheduleSeen, user.id)
    return [ScheduleRow(m, mine.get(m.id), seen is not None and m.updated_at > seen.seen_at) for m in meetings]


def seen_at(user):
    """When the cadre last marked the schedule seen (None: never)."""
    seen = db.session.get(ScheduleSeen, user.id)
    return seen.seen_at if seen else None


def mark_seen(user, when) -> None:
    """Changes before `when` are no longer marked; never moves the mark back."""
    seen = db.session.get(ScheduleSeen, user.id) or ScheduleSeen(user_id=user.id)
    seen.seen_at = max(when, seen.seen_at) if seen.seen_at else when
    db.session.add(seen)


def delegates(meeting: Meeting) -> list[DelegateAttendance]:
    return list(
        db.session.scalars(
            select(DelegateAttendance)
            .where(DelegateAttendance.meeting_id == meeting.id, DelegateAttendance.status != DelegateStatus.removed)
            .order_by(DelegateAttendance.id)
        )
    )


def assignments_under(user, unit: OrgUnit, include_ended: bool = False) -> list[SupervisionAssignment]:
    stmt = (
        select(SupervisionAssignment)
        .join(OrgUnit, SupervisionAssignment.cell_id == OrgUnit.id)
        .where(under(OrgUnit.path, unit.path), unit_scope(user, Permission.view))
        .order_by(SupervisionAssignment.to_on.is_not(None), SupervisionAssignment.from_on.desc())
    )
    if not include_ended:
        today = date.today()
        stmt = stmt.where((SupervisionAssignment.to_on.is_(None)) | (SupervisionAssignment.to_on > today))
    return list(db.session.scalars(stmt))


def window(today: date) -> tuple[date, date]:
    """The schedule list: two weeks back (to check in late or write remarks), two months ahead."""
    return today - timedelta(days=14), today + timedelta(days=62)


def assignable_users(unit: OrgUnit):
    """Accounts linked to a member whose cell lies under `unit`: its committee's cadres."""
    from app.auth.models import User
    from app.db import active_on
    from app.org.models import Membership

    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.member_id == User.member_id)
            .join(OrgUnit, Membership.unit_id == OrgUnit.id)
            .where(under(OrgUnit.path, unit.path), active_on(Membership, date.today()), User.is_enabled.is_(True))
            .order_by(User.full_name)
            .distinct()
        )
    )


def cells_under(unit: OrgUnit) -> list[OrgUnit]:
    return list(
        db.session.scalars(
            select(OrgUnit)
            .where(under(OrgUnit.path, unit.path), OrgUnit.kind == "cell", OrgUnit.valid_to.is_(None))
            .order_by(OrgUnit.path)
        )
    )


def assigned_cadres(meeting: Meeting):
    """Cadres assigned to the meeting's cell on its date."""
    from app.auth.models import User
    from app.db import active_on

    return list(
        db.session.scalars(
            select(User)
            .join(SupervisionAssignment, SupervisionAssignment.user_id == User.id)
            .where(SupervisionAssignment.cell_id == meeting.cell_id, active_on(SupervisionAssignment, meeting.on))
            .order_by(User.full_name)
        )
    )
