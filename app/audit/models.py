from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.db import Base, utcnow


class AuditEntry(Base):
    """Append-only: the application only inserts; database triggers refuse the rest.
    Each entry carries the hash of the one before it (app/audit/chain.py)."""

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
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    actor = relationship("User")
    unit = relationship("OrgUnit")

    __table_args__ = (
        Index("ix_audit_entries_unit_path_at", "unit_path", "at"),
        # One entry per previous one: the chain cannot fork, whoever writes.
        Index("uq_audit_entries_prev_hash", "prev_hash", unique=True),
    )


@event.listens_for(Session, "before_flush")
def _chain_new_entries(session, flush_context, instances):
    entries = [obj for obj in session.new if isinstance(obj, AuditEntry)]
    if entries:
        from app.audit.chain import link

        link(session, sorted(entries, key=lambda entry: inspect(entry).insert_order))
