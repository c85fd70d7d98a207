"""Who came to a meeting: members of the cell, and guests."""

from datetime import datetime, time

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, Time, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, LabeledEnum, utcnow
from app.org.models import Member


class AttendanceStatus(LabeledEnum):
    present = "present", "Có mặt"
    late = "late", "Đến muộn"
    left_early = "left_early", "Về sớm"
    excused = "excused", "Vắng có lý do"
    unexcused = "unexcused", "Vắng không lý do"


UNEXCUSED_ONLY = "status = 'unexcused'"

PRESENT_STATUSES = frozenset({AttendanceStatus.present, AttendanceStatus.late, AttendanceStatus.left_early})


class AttendanceRecord(Base):
    """One member at one meeting; unique, so a double click or two clerks at once
    update the same row instead of adding a second one."""

    __tablename__ = "attendance_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    at_time: Mapped[time | None] = mapped_column(Time)  # arrival (late) or departure (left early)
    reason: Mapped[str | None] = mapped_column(String(300))
    # Exempt from activities on the meeting date: not counted in the expected total.
    is_exempt: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    member: Mapped[Member] = relationship()

    __table_args__ = (
        UniqueConstraint("meeting_id", "member_id"),
        # The removal alert reads only unexcused absences: a few percent of the rows.
        Index(
            "ix_attendance_records_unexcused",
            "meeting_id",
            "member_id",
            sqlite_where=text(UNEXCUSED_ONLY),
            postgresql_where=text(UNEXCUSED_ONLY),
        ),
    )

    @property
    def status_label(self) -> str:
        return AttendanceStatus(self.status).label

    @property
    def is_present(self) -> bool:
        return self.status in PRESENT_STATUSES


class Guest(Base):
    """Someone attending who is neither a member of the cell nor a supervising cadre."""

    __tablename__ = "meeting_guests"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str | None] = mapped_column(String(200))
    unit_name: Mapped[str | None] = mapped_column(String(200))
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
