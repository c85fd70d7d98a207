"""What other people changed on an account (roles granted or ended, password reset,
locked or unlocked…), shown to its owner on the page after login until acknowledged.
Read from the audit log: the entries about the account or its role and supervision
assignments, written by someone else since the owner last acknowledged."""

from flask import url_for
from sqlalchemy import and_, exists, or_, select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.org.models import RoleAssignment

LIMIT = 50


def _pending(user: User):
    from app.supervision.models import SupervisionAssignment

    about = or_(
        and_(AuditEntry.object_type == User.__name__, AuditEntry.object_id == user.id),
        and_(
            AuditEntry.object_type == RoleAssignment.__name__,
            AuditEntry.object_id.in_(select(RoleAssignment.id).where(RoleAssignment.user_id == user.id)),
        ),
        and_(
            AuditEntry.object_type == SupervisionAssignment.__name__,
            AuditEntry.object_id.in_(select(SupervisionAssignment.id).where(SupervisionAssignment.user_id == user.id)),
        ),
    )
    # By another person (the system's own entries have no actor).
    condition = and_(about, AuditEntry.actor_id != user.id)
    if user.notices_seen_at is not None:
        condition = and_(condition, AuditEntry.at > user.notices_seen_at)
    return condition


def pending(user: User) -> list[tuple[AuditEntry, str, str]]:
    """(entry, actor's full name, actor's username), oldest first, in one query."""
    return db.session.execute(
        select(AuditEntry, User.full_name, User.username)
        .join(User, AuditEntry.actor_id == User.id)
        .where(_pending(user))
        .order_by(AuditEntry.at, AuditEntry.id)
        .limit(LIMIT)
    ).all()


def after_login(user: User, target: str) -> str:
    """Where a login goes: to the notices first when someone changed the account."""
    if db.session.scalar(select(exists().where(_pending(user)))):
        return url_for("accounts.notices_page", next=target)
    return target


def acknowledge(user: User) -> None:
    user.notices_seen_at = utcnow()
