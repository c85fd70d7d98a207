"""Who may see and change what. The only module that answers permission questions.

Roles are held on a unit with dates and cascade down the tree: a role on a commune
applies to the commune and every cell under it. Visibility is answered as 404 (the
object does not exist for you), a visible object you may not change as 403.
"""

import enum
from dataclasses import dataclass
from datetime import date

from flask import abort, g, has_request_context
from sqlalchemy import false, literal, or_, select, true, union_all

from app.db import active_on, under
from app.extensions import db
from app.org.models import Member, Membership, OrgUnit, Role, RoleAssignment


class Permission(enum.Enum):
    view = "view"  # the unit, its children, roster and members
    edit_members = "edit_members"  # add, edit, transfer, end memberships in the unit
    manage_units = "manage_units"  # create units under it; rename/move/retire its children
    manage_accounts = "manage_accounts"  # accounts and roles held inside the subtree
    view_audit = "view_audit"
    view_meetings = "view_meetings"  # a cell's meetings, agendas, documents, attendance, minutes
    run_meetings = "run_meetings"  # plan, agenda, documents, attendance, minutes of a cell
    attend = "attend"  # check in at a cell's meetings as a supervising cadre, write remarks
    assign_supervisors = "assign_supervisors"  # assign cadres to cells, set visit quotas
    set_grade = "set_grade"  # decide a meeting's official grade against the sheets (offices)
    answer_proposals = "answer_proposals"  # answer members' proposals addressed to the unit (offices)
    reopen_minutes = "reopen_minutes"  # reopen adopted minutes (offices, with a reason)
    # Accept a second meeting in a month as extraordinary (offices: DOMAIN, one regular a month).
    confirm_extraordinary = "confirm_extraordinary"
    manage_templates = "manage_templates"  # the standard agenda order of a commune
    # Criticism and self-criticism texts, commitments, self-reviews, year-end reviews.
    read_notes = "read_notes"
    record_notes = "record_notes"
    edit_reference_data = "edit_reference_data"  # nationwide lists (the 27 signs): administrators


# Each role's permissions written out in full: a new Permission is held by nobody until
# it is written down here. Note texts (read_notes, record_notes) go only to those with a
# duty to read them: the commune office of the cell, the cell's secretary and deputy and
# administrators (and the cadre in charge while assigned, below). District offices and
# viewers see counts only. Offices do not attend meetings as a supervising cadre (that is
# a person's assignment, not an office's); their clerks record a cadre's presence.
P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.admin: frozenset(
        {
            P.view,
            P.edit_members,
            P.manage_units,
            P.manage_accounts,
            P.view_audit,
            P.view_meetings,
            P.run_meetings,
            P.assign_supervisors,
            P.set_grade,
            P.answer_proposals,
            P.reopen_minutes,
            P.confirm_extraordinary,
            P.manage_templates,
            P.read_notes,
            P.record_notes,
            P.edit_reference_data,
        }
    ),
    Role.district_office: frozenset(
        {
            P.view,
            P.edit_members,
            P.manage_units,
            P.manage_accounts,
            P.view_audit,
            P.view_meetings,
            P.run_meetings,
            P.assign_supervisors,
            P.set_grade,
            P.answer_proposals,
            P.reopen_minutes,
            P.confirm_extraordinary,
            P.manage_templates,
        }
    ),
    Role.commune_office: frozenset(
        {
            P.view,
            P.edit_members,
            P.manage_units,
            P.manage_accounts,
            P.view_audit,
            P.view_meetings,
            P.run_meetings,
            P.assign_supervisors,
            P.set_grade,
            P.answer_proposals,
            P.reopen_minutes,
            P.confirm_extraordinary,
            P.manage_templates,
            P.read_notes,
            P.record_notes,
        }
    ),
    Role.cell_secretary: frozenset(
        {P.view, P.view_meetings, P.edit_members, P.run_meetings, P.read_notes, P.record_notes}
    ),
    Role.cell_deputy: frozenset(
        {P.view, P.view_meetings, P.edit_members, P.run_meetings, P.read_notes, P.record_notes}
    ),
    Role.supervisor: frozenset({P.view, P.view_meetings, P.attend}),
    Role.viewer: frozenset({P.view, P.view_meetings}),
}
ADMIN_PERMISSIONS = ROLE_PERMISSIONS[Role.admin]
assert all({Permission.view, Permission.view_meetings} <= perms for perms in ROLE_PERMISSIONS.values())

# A supervision assignment (app/supervision) opens the cell's meetings and nothing else;
# the cadre in charge of the cell (not one who only follows it) also reads its notes.
SUPERVISION_PERMISSIONS = frozenset({P.view_meetings, P.attend})
IN_CHARGE_PERMISSIONS = frozenset({P.view_meetings, P.attend, P.read_notes})

# Roles an account manager may hand out (never admin, never above their own).
ASSIGNABLE_ROLES = [r for r in Role if r is not Role.admin]


@dataclass(frozen=True)
class Grant:
    role: Role | None  # None: a supervision assignment
    unit_id: int
    path: str
    unit_name: str
    perms: frozenset
    label: str


SUPERVISION_PREFIX = "supervision:"


def grants(user, on: date | None = None) -> list[Grant]:
    """The user's roles and supervision assignments valid on a date (today by
    default), in one query, cached per request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    on = on or date.today()
    cache_key = (user.id, on)
    cache = g.setdefault("_grants", {}) if has_request_context() else {}
    if cache_key not in cache:
        from app.supervision.models import AssignmentKind, SupervisionAssignment

        roles = (
            select(RoleAssignment.role.label("grant"), OrgUnit.id, OrgUnit.path, OrgUnit.name)
            .join(OrgUnit, RoleAssignment.unit_id == OrgUnit.id)
            .where(RoleAssignment.user_id == user.id, active_on(RoleAssignment, on))
        )
        supervision = (
            select(
                (literal(SUPERVISION_PREFIX) + SupervisionAssignment.kind).label("grant"),
                OrgUnit.id,
                OrgUnit.path,
                OrgUnit.name,
            )
            .join(OrgUnit, SupervisionAssignment.cell_id == OrgUnit.id)
            .where(SupervisionAssignment.user_id == user.id, active_on(SupervisionAssignment, on))
        )
        rows = db.session.execute(union_all(roles, supervision).order_by("path")).all()
        found = []
        for grant, uid, path, name in rows:
            if grant.startswith(SUPERVISION_PREFIX):
                kind = AssignmentKind(grant.removeprefix(SUPERVISION_PREFIX))
                perms = IN_CHARGE_PERMISSIONS if kind is AssignmentKind.in_charge else SUPERVISION_PERMISSIONS
                found.append(Grant(None, uid, path, name, perms, kind.label))
            else:
                role = Role(grant)
                found.append(Grant(role, uid, path, name, ROLE_PERMISSIONS[role], role.label))
        cache[cache_key] = found
    return cache[cache_key]


def is_admin(user) -> bool:
    return any(gr.role is Role.admin for gr in grants(user))


def may_edit_reference_data(user) -> bool:
    """Nationwide reference data (the 27 signs of degradation): administrators only."""
    return is_admin(user)


def _granting_paths(user, perm: Permission) -> list[str]:
    return [gr.path for gr in grants(user) if perm in gr.perms]


def holds(user, perm: Permission) -> bool:
    """Does the user hold `perm` on any unit today? (Answered from the loaded grants.)"""
    return (is_admin(user) and perm in ADMIN_PERMISSIONS) or bool(_granting_paths(user, perm))


def can(user, perm: Permission, unit: OrgUnit | None) -> bool:
    """May `user` exercise `perm` on `unit` (and so on everything under it)?"""
    if unit is None or not getattr(user, "is_authenticated", False):
        return False
    if is_admin(user):
        return perm in ADMIN_PERMISSIONS
    return any(unit.path.startswith(p) for p in _granting_paths(user, perm))


def can_change_unit(user, unit: OrgUnit) -> bool:
    """Rename, move or retire a unit: administrators and offices of a unit above it."""
    return unit.parent is not None and can(user, Permission.manage_units, unit.parent)


def unit_scope(user, perm: Permission = Permission.view, path_column=OrgUnit.path):
    """A SQL condition limiting `path_column` to the subtrees where `perm` holds."""
    if is_admin(user):
        return true()
    paths = _granting_paths(user, perm)
    if not paths:
        return false()
    return or_(*[under(path_column, p) for p in paths])


def scoped_units(stmt, user, perm: Permission = Permission.view):
    return stmt.where(unit_scope(user, perm))


def member_scope(user, perm: Permission = Permission.view, on: date | None = None):
    """Members with a membership in scope: on a date if given, else at any time."""
    if is_admin(user) and on is None:
        return true()
    in_scope = select(Membership.member_id).join(OrgUnit, Membership.unit_id == OrgUnit.id)
    in_scope = in_scope.where(unit_scope(user, perm))
    if on is not None:
        in_scope = in_scope.where(active_on(Membership, on))
    return Member.id.in_(in_scope)


def home_unit(user) -> OrgUnit | None:
    """The highest unit the user holds a role on (administrators: the first root);
    a cadre with supervision assignments only has none (their home is the schedule)."""
    if is_admin(user):
        return db.session.scalars(
            select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(OrgUnit.id).limit(1)
        ).first()
    user_grants = [gr for gr in grants(user) if Permission.view in gr.perms]
    if not user_grants:
        return None
    top = min(user_grants, key=lambda gr: gr.path.count("/"))
    return db.session.get(OrgUnit, top.unit_id)


def require(allowed: bool) -> None:
    """403 for something the user can see but may not change."""
    if not allowed:
        abort(403)


def get_unit_or_404(
    user, unit_id: int, perm: Permission = Permission.view, visible: Permission = Permission.view
) -> OrgUnit:
    """The unit if `visible` holds on it (else 404), and `perm` too (else 403)."""
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None or not can(user, visible, unit):
        abort(404)
    require(can(user, perm, unit))
    return unit


def current_membership(member_id: int, on: date | None = None) -> Membership | None:
    return db.session.scalars(
        select(Membership)
        .where(Membership.member_id == member_id, active_on(Membership, on or date.today()))
        .order_by(Membership.from_on.desc())
        .limit(1)
    ).first()


def get_member_or_404(user, member_id: int, perm: Permission = Permission.view) -> Member:
    """Visible if any of the member's cells (now or in the past) is in view scope;
    changes need `perm` on the cell the member belongs to today."""
    member = db.session.scalars(
        select(Member).where(Member.id == member_id, member_scope(user, Permission.view))
    ).first()
    if member is None:
        abort(404)
    if perm is not Permission.view:
        membership = current_membership(member.id)
        require(membership is not None and can(user, perm, membership.unit))
    return member


def can_manage_account(manager, account) -> bool:
    """Offices manage accounts all of whose roles lie inside their subtree."""
    if is_admin(manager):
        return True
    if is_admin(account):
        return False
    paths = _granting_paths(manager, Permission.manage_accounts)
    account_paths = [gr.path for gr in grants(account)] or db.session.scalars(
        select(OrgUnit.path)
        .join(RoleAssignment, RoleAssignment.unit_id == OrgUnit.id)
        .where(RoleAssignment.user_id == account.id)
    ).all()
    return bool(paths and account_paths) and all(any(ap.startswith(p) for p in paths) for ap in account_paths)


def get_account_or_404(manager, user_id: int):
    from app.auth.models import User

    account = db.session.get(User, user_id)
    if account is None or not can_manage_account(manager, account):
        abort(404)
    return account


def get_meeting_or_404(user, meeting_id: int, perm: Permission = Permission.view_meetings, options=()):
    """A meeting is visible with its cell; changes need `perm` on the cell.
    `options` are loader options for what the page needs with it."""
    from app.meetings.models import Meeting

    meeting = db.session.get(Meeting, meeting_id, options=options)
    if meeting is None or not can(user, Permission.view_meetings, meeting.cell):
        abort(404)
    require(can(user, perm, meeting.cell))
    return meeting


def get_meeting_part_or_404(user, model, part_id: int, perm: Permission = Permission.view_meetings, meeting_of=None):
    """An object that belongs to a meeting (agenda item, document, guest…): the
    meeting's rule decides. `meeting_of(obj)` gives its meeting id (default `.meeting_id`)."""
    obj = db.session.get(model, part_id)
    if obj is None or getattr(obj, "is_deleted", False):
        abort(404)
    meeting_id = meeting_of(obj) if meeting_of else obj.meeting_id
    return obj, get_meeting_or_404(user, meeting_id, perm)
