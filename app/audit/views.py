from flask import Blueprint, request
from flask_login import current_user
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.extensions import db
from app.org.access import Permission, unit_scope
from app.web.authz import signed_in
from app.web.htmx import render

bp = Blueprint("audit", __name__)


@bp.get("/audit")
@signed_in(Permission.view_audit)
def index():
    """Administrators see everything; unit offices the entries of their subtree."""
    scope = unit_scope(current_user, Permission.view_audit, AuditEntry.unit_path)
    page = max(1, request.args.get("page", 1, type=int))
    stmt = select(AuditEntry).where(scope).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    action = request.args.get("action", "")[:60]
    if action:
        stmt = stmt.where(AuditEntry.action.startswith(action, autoescape=True))
    entries = db.paginate(stmt, page=page, per_page=50, error_out=False, count=False)
    user_ids = {e.actor_id for e in entries.items if e.actor_id}
    names = (
        dict(db.session.execute(select(User.id, User.username).where(User.id.in_(user_ids))).all()) if user_ids else {}
    )
    return render("audit/index.html", "entries", entries=entries, names=names, action=action)
