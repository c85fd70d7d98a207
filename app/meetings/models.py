"""Meetings of a cell: the plan, agenda, documents and notifications."""

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Time, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, LabeledEnum, utcnow
from app.org.models import Member, OrgUnit


class MeetingKind(LabeledEnum):
    regular = "regular", "Sinh hoạt thường kỳ"
    thematic = "thematic", "Sinh hoạt chuyên đề"
    combined = "combined", "Thường kỳ kết hợp chuyên đề"
    committee = "committee", "Họp chi ủy"
    extraordinary = "extraordinary", "Sinh hoạt bất thường"


class MeetingStatus(LabeledEnum):
    planned = "planned", "Dự kiến"
    prepared = "prepared", "Đã chuẩn bị"
    held = "held", "Đã họp"
    adopted = "adopted", "Đã thông qua biên bản"
    postponed = "postponed", "Hoãn"
    cancelled = "cancelled", "Hủy"


# Minimum duration in minutes (HD 42-HD/BTCTW 2025): 120 when combined, else 90.
def minimum_minutes(kind: str) -> int:
    return 120 if kind == MeetingKind.combined else 90


class Meeting(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=MeetingStatus.planned.value)
    topic: Mapped[str | None] = mapped_column(String(300))
    planned_on: Mapped[date] = mapped_column(Date)
    planned_time: Mapped[time | None] = mapped_column(Time)
    place: Mapped[str | None] = mapped_column(String(200))
    held_on: Mapped[date | None] = mapped_column(Date)
    started_at: Mapped[time | None] = mapped_column(Time)
    ended_at: Mapped[time | None] = mapped_column(Time)
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    minute_taker_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    # A cell committee meeting prepares a cell meeting.
    prepares_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    # A postponed meeting points at the meeting that replaces it.
    postponed_to_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    status_reason: Mapped[str | None] = mapped_column(String(500))
    # Held (or planned) on a day other than the cell's fixed monthly day.
    off_fixed_day: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Any change (date moved, postponed…): the cadres' schedules mark what is new.
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # yyyymm of a regular/combined meeting still on (not postponed or cancelled), else
    # empty: unique per cell, so two submits at once can't make two in one month.
    month_key: Mapped[int | None] = mapped_column(Integer)

    # Loaded with the meeting: every page about a meeting names its cell and people.
    cell: Mapped[OrgUnit] = relationship(lazy="joined")
    chair: Mapped[Member | None] = relationship(foreign_keys=[chair_id], lazy="joined")
    minute_taker: Mapped[Member | None] = relationship(foreign_keys=[minute_taker_id], lazy="joined")
    prepares: Mapped["Meeting | None"] = relationship(remote_side=[id], foreign_keys=[prepares_id])
    postponed_to: Mapped["Meeting | None"] = relationship(remote_side=[id], foreign_keys=[postponed_to_id])
    # Cell committee meetings that prepare this one.
    prepared_by: Mapped[list["Meeting"]] = relationship(foreign_keys=[prepares_id], viewonly=True)
    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        order_by="AgendaItem.position",
        primaryjoin="and_(AgendaItem.meeting_id == Meeting.id, AgendaItem.is_deleted.is_(False))",
        viewonly=True,
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_meetings_cell_planned_on", "cell_id", "planned_on"),
        UniqueConstraint("cell_id", "month_key"),
    )

    @property
    def kind_label(self) -> str:
        return MeetingKind(self.kind).label

    @classmethod
    def of_whole_cell(cls):
        """SQL condition: a meeting every member attends (a chi ủy meeting is not one;
        its absences do not count towards the removal rule or the year's attendance)."""
        return cls.kind != MeetingKind.committee.value

    @property
    def status_label(self) -> str:
        return MeetingStatus(self.status).label

    @property
    def on(self) -> date:
        """The meeting's date: when it was held, else when it is planned."""
        return self.held_on or self.planned_on

    @property
    def is_closed(self) -> bool:
        """Postponed or cancelled: nothing more happens on this meeting."""
        return self.status in (MeetingStatus.postponed, MeetingStatus.cancelled)

    @property
    def is_changeable(self) -> bool:
        """The one rule of app/rules/record.py: not adopted, postponed or cancelled."""
        from app.rules.record import lock_reason

        return lock_reason(self) is None

    @property
    def is_held(self) -> bool:
        return self.status in (MeetingStatus.held, MeetingStatus.adopted)

    @property
    def duration_minutes(self) -> int | None:
        if self.started_at is None or self.ended_at is None:
            return None
        start = self.started_at.hour * 60 + self.started_at.minute
        end = self.ended_at.hour * 60 + self.ended_at.minute
        return end - start if end >= start else None

    @property
    def minimum_minutes(self) -> int:
        return minimum_minutes(self.kind)

    @property
    def is_too_short(self) -> bool:
        return self.duration_minutes is not None and self.duration_minutes < self.minimum_minutes


MONTHLY_KINDS = frozenset({MeetingKind.regular.value, MeetingKind.combined.value})


def month_key(kind: str, status: str, on: date | None) -> int | None:
    if kind not in MONTHLY_KINDS or status in (MeetingStatus.postponed, MeetingStatus.cancelled) or on is None:
        return None
    return on.year * 100 + on.month


@event.listens_for(Meeting, "before_insert")
@event.listens_for(Meeting, "before_update")
def _set_month_key(mapper, connection, meeting: Meeting) -> None:
    meeting.month_key = month_key(meeting.kind, meeting.status or MeetingStatus.planned.value, meeting.on)


class AgendaItem(Base):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    # A presenter who is not a member of the cell (a delegate): name and position.
    presenter_name: Mapped[str | None] = mapped_column(String(200))
    planned_minutes: Mapped[int] = mapped_column(Integer, default=10)
    # "Review of last meeting's resolution and tasks": lists the open tasks.
    is_review: Mapped[bool] = mapped_column(Boolean, default=False)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}  # every UPDATE checks and raises it

    meeting: Mapped[Meeting] = relationship()
    presenter: Mapped[Member | None] = relationship(lazy="joined")

    @property
    def presenter_label(self) -> str:
        return self.presenter.full_name if self.presenter else (self.presenter_name or "")


class AgendaTemplateItem(Base):
    """A commune's standard order for one kind of meeting (else the built-in order)."""

    __tablename__ = "agenda_template_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    planned_minutes: Mapped[int] = mapped_column(Integer)
    is_review: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_agenda_template_items_unit_kind", "unit_id", "kind"),)


class ThematicTopic(Base):
    """A topic in the cell's year plan; scheduled as a thematic or combined meeting."""

    __tablename__ = "thematic_topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    year: Mapped[int] = mapped_column(Integer)
    planned_month: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    drafter_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    drafter: Mapped[Member | None] = relationship(lazy="joined")
    meeting: Mapped[Meeting | None] = relationship()

    __table_args__ = (Index("ix_thematic_topics_cell_year", "cell_id", "year"),)

    @property
    def quarter(self) -> int:
        return (self.planned_month - 1) // 3 + 1


class DocumentKind(LabeledEnum):
    pdf = "pdf", "PDF"
    docx = "docx", "Word (DOCX)"
    xlsx = "xlsx", "Excel (XLSX)"
    odt = "odt", "OpenDocument (ODT)"
    png = "png", "Ảnh PNG"
    jpeg = "jpeg", "Ảnh JPEG"


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(255))
    # Where the bytes live under instance/documents/ (a random name, never the user's).
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    available_at: Mapped[datetime | None] = mapped_column(DateTime)
    posted_on_app_at: Mapped[datetime | None] = mapped_column(DateTime)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    agenda_item: Mapped[AgendaItem | None] = relationship()

    @property
    def kind_label(self) -> str:
        return DocumentKind(self.kind).label


class NotificationAudience(LabeledEnum):
    members = "members", "Đảng viên trong chi bộ"
    supervisor = "supervisor", "Cấp ủy viên phụ trách"


class Notification(Base):
    __tablename__ = "meeting_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    audience: Mapped[str] = mapped_column(String(20))
    notified_at: Mapped[datetime] = mapped_column(DateTime)
    method: Mapped[str] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def audience_label(self) -> str:
        return NotificationAudience(self.audience).label
