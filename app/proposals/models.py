"""Members' proposals (kiến nghị) raised in a cell and answered by the level they are
addressed to."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, LabeledEnum, utcnow
from app.org.models import OrgUnit


class ProposalStatus(LabeledEnum):
    received = "received", "Đã tiếp nhận"
    forwarded = "forwarded", "Đã chuyển cấp trên"
    answered = "answered", "Đã trả lời"
    reported = "reported", "Đã thông báo lại chi bộ"


class Proposal(Base):
    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    raised_by_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    raised_by: Mapped[str] = mapped_column(String(200))  # the member's name then, or "Chi bộ"
    content: Mapped[str] = mapped_column(Text)
    # The level that must answer: the cell's commune, district or province.
    addressed_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    status: Mapped[str] = mapped_column(String(20), default=ProposalStatus.received.value)
    received_on: Mapped[date] = mapped_column(Date)
    forwarded_on: Mapped[date | None] = mapped_column(Date)
    deadline_on: Mapped[date | None] = mapped_column(Date)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date | None] = mapped_column(Date)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reported_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    cell: Mapped[OrgUnit] = relationship(foreign_keys=[cell_id], lazy="joined")
    addressed_unit: Mapped[OrgUnit] = relationship(foreign_keys=[addressed_unit_id], lazy="joined")

    __table_args__ = (
        Index("ix_proposals_cell_id", "cell_id"),
        Index("ix_proposals_addressed_unit_status", "addressed_unit_id", "status"),
    )

    @property
    def status_label(self) -> str:
        return ProposalStatus(self.status).label

    def is_overdue(self, today: date) -> bool:
        return self.deadline_on is not None and self.answered_on is None and self.deadline_on < today
