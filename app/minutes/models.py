"""Minutes (biên bản): the record of a held meeting, its revisions, tasks and errata."""

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, LabeledEnum, utcnow
from app.org.models import Member
from app.scoring.models import MeetingGrade


class MinutesStatus(LabeledEnum):
    draft = "draft", "Đang soạn"
    adopted = "adopted", "Đã thông qua"


class Minutes(Base):
    __tablename__ = "minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=MinutesStatus.draft.value)
    number: Mapped[str | None] = mapped_column(String(30))  # "05-BB/CB", given on adoption (app/records)
    delegates: Mapped[str | None] = mapped_column(Text)  # superior delegates present
    superior_remarks: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str | None] = mapped_column(Text)
    proposals: Mapped[str | None] = mapped_column(Text)
    closing: Mapped[str | None] = mapped_column(Text)
    is_read_back: Mapped[bool] = mapped_column(Boolean, default=False)
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    votes_other: Mapped[int | None] = mapped_column(Integer)
    # Entered afterwards from a paper record: which one.
    paper_reference: Mapped[str | None] = mapped_column(String(300))
    # The paper record noted no start or end time: adopted without them (paper minutes only).
    times_not_recorded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    adopted_at: Mapped[datetime | None] = mapped_column(DateTime)
    adopted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The attendance summary frozen when the minutes are adopted.
    attendance_snapshot: Mapped[dict | None] = mapped_column(JSON)
    # Raised by each save of the main text (item texts included) and by any change of
    # this row, e.g. adoption; speakers added alongside don't count.
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}  # every UPDATE checks and raises it

    items: Mapped[list["MinutesItem"]] = relationship(order_by="MinutesItem.position", back_populates="minutes")
    # Who opened (entered) the minutes: shown with the paper record they came from.
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id], lazy="joined")
    errata: Mapped[list["Erratum"]] = relationship(order_by="Erratum.id")
    # The meeting's official grade (app/scoring), printed with the minutes.
    grade: Mapped[MeetingGrade | None] = relationship(
        primaryjoin="foreign(MeetingGrade.meeting_id) == Minutes.meeting_id",
        viewonly=True,
        lazy="joined",
        uselist=False,
    )

    @property
    def is_adopted(self) -> bool:
        return self.status == MinutesStatus.adopted

    @property
    def status_label(self) -> str:
        return MinutesStatus(self.status).label

    @property
    def has_vote(self) -> bool:
        return self.votes_for is not None


class MinutesItem(Base):
    """An agenda item as it was taken up, copied from the agenda when the minutes open."""

    __tablename__ = "minutes_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    # The agenda item it was copied from: criticism notes taken there print inside it.
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str | None] = mapped_column(String(200))
    content: Mapped[str | None] = mapped_column(Text)
    conclusion: Mapped[str | None] = mapped_column(Text)

    minutes: Mapped[Minutes] = relationship(back_populates="items")
    speakers: Mapped[list["Speaker"]] = relationship(
        order_by="Speaker.id",
        primaryjoin="and_(Speaker.item_id == MinutesItem.id, Speaker.is_deleted.is_(False))",
        viewonly=True,
        lazy="selectin",
    )


class Speaker(Base):
    __tablename__ = "minutes_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("minutes_items.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    name: Mapped[str] = mapped_column(String(200))  # the member's name then, or a delegate's
    said: Mapped[str] = mapped_column(Text)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    member: Mapped[Member | None] = relationship()


class MinutesRevision(Base):
    """The whole text of the minutes after a save that changed it."""

    __tablename__ = "minutes_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(200))


class Task(Base):
    """A task assigned at a meeting; open tasks are reviewed at the next meetings."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    assignee_name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_tasks_cell_done_on", "cell_id", "done_on"),)


class Erratum(Base):
    """A correction appended to adopted minutes; printed with them."""

    __tablename__ = "minutes_errata"

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(ForeignKey("minutes.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
