"""Imports every model so the metadata (and Alembic) sees all tables."""

from app.audit.models import AuditEntry
from app.auth.models import LoginAttempt, User
from app.org.models import (
    Exemption,
    Member,
    Membership,
    OrgUnit,
    Position,
    RoleAssignment,
)

__all__ = [
    "AuditEntry",
    "Exemption",
    "LoginAttempt",
    "Member",
    "Membership",
    "OrgUnit",
    "Position",
    "RoleAssignment",
    "User",
]
