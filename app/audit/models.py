from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, utcnow


class AuditEntry(Base):
    """Append-only: the application only inserts; database triggers refuse the rest."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    # The unit's path at the time, so scoped reads are one prefix query.
    unit_path: Mapped[str | None] = mapped_column(String(400))
    summary: Mapped[str] = mapped_column(String(500))
    address: Mapped[str | None] = mapped_column(String(64))

    actor = relationship("User")
    unit = relationship("OrgUnit")

    __table_args__ = (Index("ix_audit_entries_unit_path_at", "unit_path", "at"),)
