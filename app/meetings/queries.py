"""Scoped reads for meeting pages; each runs a fixed number of statements."""

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.attendance.models import PRESENT_STATUSES, AttendanceRecord
from app.db import month_bounds, under
from app.extensions import db
from app.meetings.models import Document, Meeting, MeetingStatus, Notification, ThematicTopic
from app.minutes.models import Minutes, MinutesItem, Task
from app.org.access import Permission, unit_scope
from app.org.models import OrgUnit


@dataclass
class YearRow:
    meeting: Meeting
    rate: float | None
    minutes_status: str | None


def attendance_rates(meeting_ids: list[int]) -> dict[int, float]:
    """Present among the expected (exempt not counted), from recorded attendance."""
    if not meeting_ids:
        return {}
    present = func.sum(case((AttendanceRecord.status.in_([s.value for s in PRESENT_STATUSES]), 1), else_=0))
    rows = db.session.execute(
        select(AttendanceRecord.meeting_id, present.cast(Integer), func.count())
        .where(AttendanceRecord.meeting_id.in_(meeting_ids), AttendanceRecord.is_exempt.is_(False))
        .group_by(AttendanceRecord.meeting_id)
    ).all()
    return {mid: (p or 0) / n for mid, p, n in rows if n}


def year_list(cell: OrgUnit, year: int) -> list[YearRow]:
    rows = db.session.execute(
        select(Meeting, Minutes.status)
        .outerjoin(Minutes, Minutes.meeting_id == Meeting.id)
        .where(Meeting.cell_id == cell.id, Meeting.planned_on.between(date(year, 1, 1), date(year, 12, 31)))
        .order_by(Meeting.planned_on, Meeting.id)
    ).all()
    rates = attendance_rates([m.id for m, _ in rows])
    return [YearRow(m, rates.get(m.id), status) for m, status in rows]


def meeting_years(cell: OrgUnit) -> list[int]:
    years = db.session.scalars(select(func.min(Meeting.planned_on)).where(Meeting.cell_id == cell.id)).first()
    this_year = date.today().year
    first = years.year if years else this_year
    return list(range(min(first, this_year), this_year + 2))


def topics(cell: OrgUnit, year: int) -> list[ThematicTopic]:
    return list(
        db.session.scalars(
            select(ThematicTopic)
            .where(ThematicTopic.cell_id == cell.id, ThematicTopic.year == year, ThematicTopic.is_deleted.is_(False))
            .order_by(ThematicTopic.planned_month, ThematicTopic.id)
        )
    )


def quarters_without_topic(topic_list: list[ThematicTopic]) -> list[int]:
    covered = {t.quarter for t in topic_list}
    return [q for q in range(1, 5) if q not in covered]


@dataclass
class CalendarDay:
    on: date
    in_month: bool
    meetings: list[Meeting]


def month_calendar(user, unit: OrgUnit, year: int, month: int) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month with the meetings of every visible cell under `unit`."""
    first, last = month_bounds(year, month)
    meetings = db.session.scalars(
        select(Meeting)
        .join(OrgUnit, Meeting.cell_id == OrgUnit.id)
        .where(
            under(OrgUnit.path, unit.path),
            unit_scope(user, Permission.view_meetings),
            func.coalesce(Meeting.held_on, Meeting.planned_on).between(first, last),
        )
        .order_by(Meeting.planned_time, OrgUnit.name)
    ).all()
    return calendar_weeks(meetings, year, month)


def calendar_weeks(meetings, year: int, month: int) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of a month with the given meetings on their days."""
    by_day: dict[date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(meeting.on, []).append(meeting)
    weeks = []
    for week in calendar.Calendar().monthdatescalendar(year, month):
        weeks.append([CalendarDay(d, d.month == month, by_day.get(d, [])) for d in week])
    return weeks


def open_tasks_before(meeting: Meeting) -> list[Task]:
    """Tasks of the cell's earlier meetings still open: the review item lists them."""
    return list(
        db.session.scalars(
            select(Task)
            .join(Meeting, Task.meeting_id == Meeting.id)
            .where(
                Task.cell_id == meeting.cell_id,
                Task.done_on.is_(None),
                Task.is_deleted.is_(False),
                Task.meeting_id != meeting.id,
                func.coalesce(Meeting.held_on, Meeting.planned_on) <= meeting.on,
            )
            .order_by(Task.due_on, Task.id)
        )
    )


def documents(meeting: Meeting) -> list[Document]:
    return list(
        db.session.scalars(
            select(Document)
            .where(Document.meeting_id == meeting.id, Document.is_deleted.is_(False))
            .order_by(Document.id)
        )
    )


def notifications(meeting: Meeting) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.meeting_id == meeting.id).order_by(Notification.notified_at)
        )
    )


def committee_meetings_for(meeting: Meeting) -> list[Meeting]:
    return list(
        db.session.scalars(
            select(Meeting).where(Meeting.prepares_id == meeting.id, Meeting.status != MeetingStatus.cancelled)
        )
    )


def preparable_meetings(cell: OrgUnit, around: date) -> list[Meeting]:
    """Cell meetings a committee meeting could prepare: the coming ones near a date."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.cell_id == cell.id,
                Meeting.kind != "committee",
                Meeting.status.in_((MeetingStatus.planned, MeetingStatus.prepared)),
                Meeting.planned_on >= around,
            )
            .order_by(Meeting.planned_on)
            .limit(6)
        )
    )


def member_choices(cell: OrgUnit, on: date) -> list[tuple[int, str]]:
    """(id, name) of the cell's members on a date, for presenter/chair pickers."""
    from app.db import active_on
    from app.org.models import Member, Membership

    rows = db.session.execute(
        select(Member.id, Member.full_name)
        .join(Membership, Membership.member_id == Member.id)
        .where(Membership.unit_id == cell.id, active_on(Membership, on))
        .order_by(Member.sort_key)
    ).all()
    return [(mid, name) for mid, name in rows]


def minutes_of(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes with their errata (joined: usually none, a few at most),
    then items with their speakers in one more statement."""
    stmt = (
        select(Minutes)
        .where(Minutes.meeting_id == meeting.id)
        .options(joinedload(Minutes.errata), selectinload(Minutes.items).joinedload(MinutesItem.speakers))
    )
    return db.session.scalars(stmt).unique().first()


# Loader options for a meeting page: the cell and its commune come with the meeting.
WITH_COMMUNE = (joinedload(Meeting.cell).joinedload(OrgUnit.parent),)


def meeting_crumbs(meeting: Meeting) -> list[OrgUnit]:
    """Commune › cell: the part of the tree a meeting page needs (no extra statement
    when the meeting was loaded WITH_COMMUNE)."""
    return [unit for unit in (meeting.cell.parent, meeting.cell) if unit is not None]
