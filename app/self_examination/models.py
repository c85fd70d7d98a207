"""“Tự soi, tự sửa” sessions: a thematic meeting where each member reviews
themself against the 27 signs of degradation (Nghị quyết Trung ương 4 khóa XII),
the cell assesses the collective, its head and each member, and each member
writes a correction plan."""

from datetime import datetime

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.criticism.sealed import SealedText
from app.db import Base, utcnow
from app.meetings.models import Meeting
from app.org.models import Member

SIGN_GROUPS = {
    1: "Suy thoái về tư tưởng chính trị",
    2: "Suy thoái về đạo đức, lối sống",
    3: "Biểu hiện “tự diễn biến”, “tự chuyển hóa”",
}


class DegradationSign(Base):
    """One of the 27 signs; reference data an administrator may correct."""

    __tablename__ = "degradation_signs"

    id: Mapped[int] = mapped_column(primary_key=True)
    group: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (UniqueConstraint("group", "number"),)

    @property
    def group_label(self) -> str:
        return SIGN_GROUPS[self.group]


class SelfExamination(Base):
    """The session itself, attached to a thematic (or combined) meeting."""

    __tablename__ = "self_examinations"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    collective_assessment: Mapped[str | None] = mapped_column(SealedText)
    head_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    head_assessment: Mapped[str | None] = mapped_column(SealedText)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}  # every UPDATE checks and raises it

    meeting: Mapped[Meeting] = relationship(lazy="joined")
    head_member: Mapped[Member | None] = relationship()


self_review_signs = Table(
    "self_review_signs",
    Base.metadata,
    Column("self_review_id", ForeignKey("self_reviews.id"), primary_key=True),
    Column("sign_id", ForeignKey("degradation_signs.id"), primary_key=True),
)


class SelfReview(Base):
    """One member's written self-review, the cell's assessment of them and their plan."""

    __tablename__ = "self_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    examination_id: Mapped[int] = mapped_column(ForeignKey("self_examinations.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    self_text: Mapped[str | None] = mapped_column(SealedText)
    cell_assessment: Mapped[str | None] = mapped_column(SealedText)
    correction_plan: Mapped[str | None] = mapped_column(SealedText)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}  # every UPDATE checks and raises it

    examination: Mapped[SelfExamination] = relationship(viewonly=True)
    member: Mapped[Member] = relationship()
    signs: Mapped[list[DegradationSign]] = relationship(
        secondary=self_review_signs, order_by=(DegradationSign.group, DegradationSign.number)
    )

    __table_args__ = (UniqueConstraint("examination_id", "member_id"),)

    @property
    def is_written(self) -> bool:
        return bool(self.self_text)
