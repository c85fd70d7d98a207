"""Supervising cadres: who follows which cells, their visit quotas, and their presence
at meetings (delegate attendance, kept apart from the members' attendance)."""

from datetime import date, datetime, time

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, LabeledEnum, utcnow
from app.org.models import OrgUnit


class AssignmentKind(LabeledEnum):
    in_charge = "in_charge", "Phụ trách"
    follows = "follows", "Theo dõi"


class CadreLevel(LabeledEnum):
    province = "province", "Tỉnh ủy viên"
    district = "district", "Huyện ủy viên"
    commune = "commune", "Đảng ủy viên xã"


# Yearly minimum visits per cadre level (Kon Tum's rule); a province may set its own.
DEFAULT_QUOTAS = {CadreLevel.province: 2, CadreLevel.district: 6, CadreLevel.commune: 6}


class SupervisionAssignment(Base):
    """A cadre follows a cell from `from_on` up to (not including) `to_on`."""

    __tablename__ = "supervision_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20))
    from_on: Mapped[date] = mapped_column(Date)
    to_on: Mapped[date | None] = mapped_column(Date)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    cell: Mapped[OrgUnit] = relationship(lazy="joined")

    @property
    def kind_label(self) -> str:
        return AssignmentKind(self.kind).label

    @property
    def level_label(self) -> str:
        return CadreLevel(self.level).label


class VisitQuota(Base):
    """Visits a year expected of a cadre of a level, set for a province (or any top unit)."""

    __tablename__ = "visit_quotas"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    level: Mapped[str] = mapped_column(String(20))
    visits: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("unit_id", "level"),)


class DelegateStatus(LabeledEnum):
    present = "present", "Dự họp"
    apologized = "apologized", "Báo vắng"
    removed = "removed", "Đã bỏ (ghi nhầm)"


class DelegateAttendance(Base):
    """A superior cadre (assigned or not) at a meeting: never part of the members' rate."""

    __tablename__ = "delegate_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    arrived_at: Mapped[time | None] = mapped_column(Time)
    left_at: Mapped[time | None] = mapped_column(Time)
    reason: Mapped[str | None] = mapped_column(String(300))
    remarks: Mapped[str | None] = mapped_column(Text)
    # Assigned to the cell on the meeting date (else a delegate who came anyway).
    is_assigned: Mapped[bool] = mapped_column(Boolean, default=False)
    # Entered by the office from paper rather than by the cadre.
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        Index("ix_delegate_attendance_meeting_id", "meeting_id"),
    )

    @property
    def status_label(self) -> str:
        return DelegateStatus(self.status).label


class ScheduleSeen(Base):
    """When a cadre last opened their schedule: later changes are marked as new."""

    __tablename__ = "schedule_seen"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
