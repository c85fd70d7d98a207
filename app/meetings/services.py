"""Writes for meetings: the year plan, scheduling, status, agenda, documents and
notifications. Services flush and audit; the view commits."""

import calendar
from datetime import date, datetime, time

from sqlalchemy import case, func, select, update

from app.audit.services import record
from app.db import month_bounds
from app.extensions import db
from app.meetings.models import (
    AgendaItem,
    AgendaTemplateItem,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Notification,
    ThematicTopic,
)
from app.meetings.standard_agenda import STANDARD_AGENDA
from app.org.models import OrgUnit
from app.rules import RuleError, changes_version, save_version
from app.rules import record as rules

MONTHLY_KINDS = (MeetingKind.regular, MeetingKind.combined)


def fixed_day(cell: OrgUnit) -> int | None:
    """The cell's monthly meeting day: its own, else the one its commune fixes."""
    return cell.meeting_day or (cell.parent.meeting_day if cell.parent else None)


def _flag_fixed_day(meeting: Meeting) -> None:
    day = fixed_day(meeting.cell)
    meeting.off_fixed_day = bool(day and meeting.kind in MONTHLY_KINDS and meeting.on.day != day)


def other_monthly_dates(cell_id: int, on: date, exclude_id: int | None = None) -> list[date]:
    """Dates of the cell's other regular/combined meetings of `on`'s month still on."""
    month_start, month_end = month_bounds(on.year, on.month)
    day = func.coalesce(Meeting.held_on, Meeting.planned_on)
    return list(
        db.session.scalars(
            select(day).where(
                Meeting.cell_id == cell_id,
                Meeting.kind.in_(MONTHLY_KINDS),
                Meeting.status.not_in((MeetingStatus.postponed, MeetingStatus.cancelled)),
                Meeting.id != (exclude_id or 0),
                day.between(month_start, month_end),
            )
        )
    )


def check_dates(meeting: Meeting, confirmed_extraordinary: bool = False) -> None:
    """The date rules of a meeting (one a month; chi ủy before the meeting it prepares),
    from every path that sets its kind or date."""
    meeting.kind = rules.check_one_monthly(
        meeting.kind, meeting.on, other_monthly_dates(meeting.cell_id, meeting.on, meeting.id), confirmed_extraordinary
    )
    if meeting.prepares is not None:
        rules.check_preparation(meeting.on, meeting.prepares.on)
    if meeting.id is not None:
        for committee in db.session.scalars(
            select(Meeting).where(
                Meeting.prepares_id == meeting.id,
                Meeting.status.not_in((MeetingStatus.postponed, MeetingStatus.cancelled)),
            )
        ):
            rules.check_preparation(committee.on, meeting.on)


def agenda_template(cell: OrgUnit, kind: str) -> list[tuple[str, int, bool]]:
    """The commune's saved order for this kind, else the standard order."""
    unit_id = cell.parent_id if cell.is_cell else cell.id
    rows = db.session.execute(
        select(AgendaTemplateItem.title, AgendaTemplateItem.planned_minutes, AgendaTemplateItem.is_review)
        .where(AgendaTemplateItem.unit_id == unit_id, AgendaTemplateItem.kind == kind)
        .order_by(AgendaTemplateItem.position)
    ).all()
    return [tuple(r) for r in rows] or STANDARD_AGENDA[MeetingKind(kind)]


def save_agenda_template(actor, unit: OrgUnit, kind: str, items: list[tuple[str, int, bool]]) -> None:
    if not items:
        raise RuleError("Chương trình mẫu cần ít nhất một nội dung.")
    for old in db.session.scalars(
        select(AgendaTemplateItem).where(AgendaTemplateItem.unit_id == unit.id, AgendaTemplateItem.kind == kind)
    ):
        db.session.delete(old)  # a template is configuration, replaced whole; the audit keeps the change
    db.session.flush()
    for position, (title, minutes, is_review) in enumerate(items, start=1):
        db.session.add(
            AgendaTemplateItem(
                unit_id=unit.id, kind=kind, position=position, title=title, planned_minutes=minutes, is_review=is_review
            )
        )
    record(actor, "agenda_template.save", None, unit, f"{MeetingKind(kind).label}: {len(items)} nội dung")


def schedule_meeting(
    actor,
    cell: OrgUnit,
    *,
    kind: str,
    planned_on: date,
    planned_time: time | None = None,
    place: str | None = None,
    topic: str | None = None,
    prepares: Meeting | None = None,
    confirmed_extraordinary: bool = False,
    audit: bool = True,
) -> Meeting:
    if not cell.is_cell:
        raise RuleError("Chỉ lập lịch sinh hoạt cho chi bộ.")
    if cell.is_retired and planned_on >= cell.valid_to:
        raise RuleError("Chi bộ đã giải thể vào ngày này.")
    if kind in (MeetingKind.thematic, MeetingKind.combined) and not (topic or "").strip():
        raise RuleError("Sinh hoạt chuyên đề cần có tên chuyên đề.")
    if prepares is not None and (kind != MeetingKind.committee or prepares.cell_id != cell.id):
        raise RuleError("Chỉ cuộc họp chi ủy mới chuẩn bị cho một buổi sinh hoạt của chính chi bộ.")
    meeting = Meeting(
        cell=cell,
        cell_id=cell.id,
        kind=kind,
        status=MeetingStatus.planned.value,
        planned_on=planned_on,
        planned_time=planned_time,
        place=place,
        topic=(topic or "").strip() or None,
        prepares=prepares,
        created_by_id=getattr(actor, "id", None),
    )
    with db.session.no_autoflush:
        check_dates(meeting, confirmed_extraordinary)
    _flag_fixed_day(meeting)
    db.session.add(meeting)
    db.session.flush()
    for position, (title, minutes, is_review) in enumerate(agenda_template(cell, kind), start=1):
        db.session.add(
            AgendaItem(
                meeting_id=meeting.id, position=position, title=title, planned_minutes=minutes, is_review=is_review
            )
        )
    if audit:
        record(actor, "meeting.schedule", meeting, cell, f"{meeting.kind_label} ngày {planned_on:%d/%m/%Y}")
    return meeting


def plan_year(actor, cell: OrgUnit, year: int, planned_time: time | None = None, place: str | None = None) -> int:
    """The year's regular meetings on the fixed day; months that already have a
    regular or combined meeting are left alone, so running it twice adds nothing."""
    day = fixed_day(cell)
    if day is None:
        raise RuleError("Chưa đặt ngày sinh hoạt cố định cho chi bộ hoặc đảng bộ xã; hãy đặt trước khi lập kế hoạch.")
    taken = set(
        db.session.scalars(
            select(func.extract("month", Meeting.planned_on)).where(
                Meeting.cell_id == cell.id,
                Meeting.kind.in_(MONTHLY_KINDS),
                Meeting.planned_on.between(date(year, 1, 1), date(year, 12, 31)),
                Meeting.status != MeetingStatus.cancelled,
            )
        )
    )
    created = 0
    for month in range(1, 13):
        if month in {int(m) for m in taken}:
            continue
        on = date(year, month, min(day, calendar.monthrange(year, month)[1]))
        if cell.valid_from > on or (cell.valid_to and on >= cell.valid_to):
            continue
        schedule_meeting(
            actor, cell, kind=MeetingKind.regular, planned_on=on, planned_time=planned_time, place=place, audit=False
        )
        created += 1
    record(actor, "meeting.plan_year", None, cell, f"Kế hoạch năm {year}: thêm {created} buổi thường kỳ")
    return created


def update_meeting(actor, meeting: Meeting, *, version: int, confirmed_extraordinary: bool = False, **fields) -> None:
    rules.ensure_changeable(meeting)
    if meeting.kind in (MeetingKind.thematic, MeetingKind.combined) and not (fields.get("topic") or "").strip():
        raise RuleError("Sinh hoạt chuyên đề cần có tên chuyên đề.")
    if not changes_version(meeting, version, [getattr(meeting, n) for n in fields], list(fields.values())):
        return
    for name, value in fields.items():
        setattr(meeting, name, value)
    if "prepares_id" in fields:
        meeting.prepares = db.session.get(Meeting, fields["prepares_id"]) if fields["prepares_id"] else None
    check_dates(meeting, confirmed_extraordinary)
    _flag_fixed_day(meeting)
    save_version(meeting)
    record(actor, "meeting.update", meeting, meeting.cell, f"{meeting.kind_label} ngày {meeting.on:%d/%m/%Y}")


def mark_prepared(actor, meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.planned:
        raise RuleError("Chỉ đánh dấu đã chuẩn bị cho cuộc họp đang ở trạng thái dự kiến.")
    if not meeting.agenda_items:
        raise RuleError("Cần có chương trình trước khi đánh dấu đã chuẩn bị.")
    meeting.status = MeetingStatus.prepared.value
    record(actor, "meeting.prepared", meeting, meeting.cell, "Đã chuẩn bị")


def mark_held(actor, meeting: Meeting, held_on: date, started_at: time | None) -> None:
    if meeting.status not in (MeetingStatus.planned, MeetingStatus.prepared):
        raise RuleError("Cuộc họp này không thể chuyển sang trạng thái đã họp.")
    if held_on > date.today():
        raise RuleError("Ngày họp không thể ở tương lai.")
    meeting.status = MeetingStatus.held.value
    meeting.held_on = held_on
    meeting.started_at = started_at or meeting.started_at or meeting.planned_time
    check_dates(meeting)
    _flag_fixed_day(meeting)
    record(actor, "meeting.held", meeting, meeting.cell, f"Đã họp ngày {held_on:%d/%m/%Y}")


def postpone(actor, meeting: Meeting, new_on: date, reason: str) -> Meeting:
    """Postponing moves the plan to a new meeting (same kind, topic and agenda)."""
    if meeting.status not in (MeetingStatus.planned, MeetingStatus.prepared):
        raise RuleError("Chỉ hoãn được cuộc họp chưa diễn ra.")
    if not reason.strip():
        raise RuleError("Cần ghi lý do hoãn.")
    if new_on <= meeting.planned_on:
        raise RuleError("Ngày họp mới phải sau ngày dự kiến cũ.")
    meeting.status = MeetingStatus.postponed.value  # first, so the replacement is this month's meeting
    db.session.flush()
    replacement = schedule_meeting(
        actor,
        meeting.cell,
        kind=meeting.kind,
        planned_on=new_on,
        planned_time=meeting.planned_time,
        place=meeting.place,
        topic=meeting.topic,
        prepares=meeting.prepares,
        audit=False,
    )
    for item in db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == replacement.id)):
        item.is_deleted = True
    for item in meeting.agenda_items:
        db.session.add(
            AgendaItem(
                meeting_id=replacement.id,
                position=item.position,
                title=item.title,
                presenter_id=item.presenter_id,
                presenter_name=item.presenter_name,
                planned_minutes=item.planned_minutes,
                is_review=item.is_review,
            )
        )
    for topic in db.session.scalars(select(ThematicTopic).where(ThematicTopic.meeting_id == meeting.id)):
        topic.meeting_id = replacement.id
    meeting.status_reason = reason.strip()
    meeting.postponed_to = replacement
    record(actor, "meeting.postpone", meeting, meeting.cell, f"Hoãn sang {new_on:%d/%m/%Y}: {reason.strip()}")
    return replacement


def cancel(actor, meeting: Meeting, reason: str) -> None:
    if meeting.status not in (MeetingStatus.planned, MeetingStatus.prepared):
        raise RuleError("Chỉ hủy được cuộc họp chưa diễn ra.")
    if not reason.strip():
        raise RuleError("Cần ghi lý do hủy.")
    meeting.status = MeetingStatus.cancelled.value
    meeting.status_reason = reason.strip()
    for topic in db.session.scalars(select(ThematicTopic).where(ThematicTopic.meeting_id == meeting.id)):
        topic.meeting_id = None
    record(actor, "meeting.cancel", meeting, meeting.cell, f"Hủy: {reason.strip()}")


def move_to_cell(actor, meeting: Meeting, cell: OrgUnit, reason: str) -> None:
    """A planned meeting taken over, agenda and documents with it, by another cell (the
    successor of a retired one)."""
    if meeting.status not in (MeetingStatus.planned, MeetingStatus.prepared):
        raise RuleError("Chỉ chuyển được cuộc họp chưa diễn ra.")
    source = meeting.cell
    meeting.cell, meeting.cell_id = cell, cell.id
    meeting.status_reason = reason
    for topic in db.session.scalars(select(ThematicTopic).where(ThematicTopic.meeting_id == meeting.id)):
        topic.cell_id = cell.id
    _flag_fixed_day(meeting)
    record(actor, "meeting.move", meeting, cell, f"Chuyển từ {source.name} sang {cell.name}: {reason}")


# Agenda -------------------------------------------------------------------


def _number(meeting: Meeting, items: list[AgendaItem | None]) -> None:
    """Give the items positions 1, 2, … in this order (None: a place kept for a new item),
    in one UPDATE that leaves their versions alone: the order is not what an item's edit
    form edits, so an edit form open meanwhile stays valid (SQLAlchemy's version counter
    bumps only on the ORM's own UPDATEs). The agenda is read again afterwards."""
    moved = {
        each.id: position for position, each in enumerate(items, start=1) if each and each.position != position
    }
    if moved:
        db.session.execute(
            update(AgendaItem)
            .where(AgendaItem.id.in_(moved))
            .values(position=case(moved, value=AgendaItem.id))
            .execution_options(synchronize_session=False)
        )
        for each in filter(None, items):
            db.session.expire(each, ["position"])
    db.session.expire(meeting, ["agenda_items"])


def add_agenda_item(actor, meeting: Meeting, title: str, planned_minutes: int, presenter_id=None, presenter_name=None):
    rules.ensure_changeable(meeting)
    items = list(meeting.agenda_items)
    index = rules.insert_position([i.title for i in items])  # the closing item stays last
    _number(meeting, items[:index] + [None] + items[index:])
    item = AgendaItem(
        meeting_id=meeting.id,
        position=index + 1,
        title=title.strip(),
        planned_minutes=planned_minutes,
        presenter_id=presenter_id,
        presenter_name=(presenter_name or "").strip() or None,
    )
    db.session.add(item)
    db.session.flush()
    record(actor, "agenda.add", item, meeting.cell, title.strip()[:200])
    db.session.expire(meeting, ["agenda_items"])
    return item


def update_agenda_item(actor, item: AgendaItem, *, version: int, **fields) -> None:
    rules.ensure_changeable(item.meeting)
    if "title" in fields:
        rules.check_closing_last([fields["title"] if i.id == item.id else i.title for i in item.meeting.agenda_items])
    if not changes_version(item, version, [getattr(item, n) for n in fields], list(fields.values())):
        return
    for name, value in fields.items():
        setattr(item, name, value)
    save_version(item)
    record(actor, "agenda.update", item, item.meeting.cell, item.title[:200])


def move_agenda_item(actor, item: AgendaItem, direction: str) -> None:
    """Swap with the neighbour above ("up") or below ("down"); at an end, nothing moves."""
    meeting = item.meeting
    rules.ensure_changeable(meeting)
    items = list(meeting.agenda_items)
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    rules.check_closing_last([i.title for i in items])
    _number(meeting, items)
    record(actor, "agenda.move", item, meeting.cell, f"{item.title[:150]} ({'lên' if direction == 'up' else 'xuống'})")


def remove_agenda_item(actor, item: AgendaItem) -> None:
    meeting = item.meeting
    rules.ensure_changeable(meeting)
    item.is_deleted = True
    _number(meeting, [each for each in meeting.agenda_items if each is not item])
    record(actor, "agenda.remove", item, meeting.cell, item.title[:200])
    db.session.flush()


# Thematic topics ----------------------------------------------------------


def add_topic(actor, cell: OrgUnit, year: int, planned_month: int, title: str, drafter_id: int | None) -> ThematicTopic:
    if not 1 <= planned_month <= 12:
        raise RuleError("Tháng dự kiến phải từ 1 đến 12.")
    topic = ThematicTopic(
        cell_id=cell.id, year=year, planned_month=planned_month, title=title.strip(), drafter_id=drafter_id
    )
    db.session.add(topic)
    db.session.flush()
    record(actor, "topic.add", topic, cell, f"Chuyên đề tháng {planned_month}/{year}: {title.strip()[:150]}")
    return topic


def schedule_topic(actor, topic: ThematicTopic, cell: OrgUnit, combine: bool, on: date | None) -> Meeting:
    """A topic becomes its own thematic meeting on `on`, or joins that month's
    regular meeting, which becomes a combined one."""
    if topic.meeting_id is not None:
        raise RuleError("Chuyên đề này đã được đưa vào lịch sinh hoạt.")
    if combine:
        month_start, month_end = month_bounds(topic.year, topic.planned_month)
        meeting = db.session.scalars(
            select(Meeting).where(
                Meeting.cell_id == cell.id,
                Meeting.kind == MeetingKind.regular,
                Meeting.status.in_((MeetingStatus.planned, MeetingStatus.prepared)),
                Meeting.planned_on.between(month_start, month_end),
            )
        ).first()
        if meeting is None:
            raise RuleError(f"Tháng {topic.planned_month}/{topic.year} chưa có buổi sinh hoạt thường kỳ để kết hợp.")
        meeting.kind = MeetingKind.combined.value
        meeting.topic = topic.title
        items = list(meeting.agenda_items)
        index = rules.insert_position([i.title for i in items])  # before the closing item
        for each in items[index:]:
            each.position += 2
        for offset, title in enumerate(("Trình bày dự thảo chuyên đề", "Thảo luận chuyên đề"), start=1):
            db.session.add(AgendaItem(meeting_id=meeting.id, position=index + offset, title=title, planned_minutes=20))
    else:
        if on is None:
            raise RuleError("Chọn ngày sinh hoạt chuyên đề.")
        meeting = schedule_meeting(
            actor, cell, kind=MeetingKind.thematic, planned_on=on, topic=topic.title, audit=False
        )
    if topic.drafter_id:
        for item in db.session.scalars(
            select(AgendaItem).where(
                AgendaItem.meeting_id == meeting.id, AgendaItem.title == "Trình bày dự thảo chuyên đề"
            )
        ):
            item.presenter_id = topic.drafter_id
    topic.meeting_id = meeting.id
    record(actor, "topic.schedule", meeting, cell, f"{'Kết hợp' if combine else 'Chuyên đề'}: {topic.title[:150]}")
    return meeting


def remove_topic(actor, topic: ThematicTopic, cell: OrgUnit) -> None:
    if topic.meeting_id is not None:
        raise RuleError("Chuyên đề đã có lịch sinh hoạt; hãy hủy buổi sinh hoạt trước.")
    topic.is_deleted = True
    record(actor, "topic.remove", topic, cell, topic.title[:200])


def record_notification(actor, meeting: Meeting, audience: str, notified_at: datetime, method: str) -> Notification:
    if meeting.is_closed:
        raise RuleError("Cuộc họp đã hoãn hoặc hủy.")
    note = Notification(
        meeting_id=meeting.id,
        audience=audience,
        notified_at=notified_at,
        method=method.strip(),
        recorded_by_id=getattr(actor, "id", None),
    )
    db.session.add(note)
    db.session.flush()
    record(actor, "meeting.notify", note, meeting.cell, f"{note.audience_label}: {method.strip()[:150]}")
    return note
