from flask import has_request_context, request

from app.audit.models import AuditEntry
from app.extensions import db


def record(actor, action: str, obj=None, unit=None, summary: str = "") -> AuditEntry:
    """Add an audit entry to the current transaction (the view commits)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        unit_id=getattr(unit, "id", None),
        unit_path=getattr(unit, "path", None),
        summary=summary[:500],
        address=request.remote_addr if has_request_context() else "cli",
    )
    db.session.add(entry)
    return entry
