"""Who may see and change what. The only module that answers permission questions.

Roles are held on a unit with dates and cascade down the tree: a role on a commune
applies to the commune and every cell under it. Visibility is answered as 404 (the
object does not exist for you), a visible object you may not change as 403.
"""

import enum
from dataclasses import dataclass
from datetime import date

from flask import abort, g, has_request_context
from sqlalchemy import and_, exists, false, literal, or_, select, true, union_all
from sqlalchemy.orm import joinedload

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
# The permissions that open criticism texts: only an administrator or the commune office
# above the cell grants a role or assignment carrying one (grant_refusal).
NOTE_PERMISSIONS = frozenset({Permission.read_notes, Permission.record_notes})
assert all({Permission.view, Permission.view_meetings} <= perms for perms in ROLE_PERMISSIONS.values())  # nosec B101  # checks the table above, not input

# A supervision assignment (app/supervision) opens the cell's meetings and nothing else;
# the cadre in charge of the cell (not one who only follows it) also reads its notes.
SUPERVISION_PERMISSIONS = frozenset({P.view_meetings, P.attend})
IN_CHARGE_PERMISSIONS = frozenset({P.view_meetings, P.attend, P.read_notes})

# Roles that may ever be handed out in the browser (administrators come from the CLI).
ASSIGNABLE_ROLES = [r for r in Role if r is not Role.admin]


class Refused(Exception):
    """A permission refusal with the reason to show the user (answered 403)."""


@dataclass(frozen=True)
class Grant:
    role: Role | None  # None: a supervision assignment
    unit_id: int
    path: str
    unit_name: str
    perms: frozenset
    label: str
    # The period of a supervision assignment (from_on up to, not including, to_on).
    from_on: date | None = None
    to_on: date | None = None


SUPERVISION_PREFIX = "supervision:"


def supervision_permissions(kind) -> frozenset:
    """What a supervision assignment of `kind` (an AssignmentKind) opens."""
    from app.supervision.models import AssignmentKind

    return IN_CHARGE_PERMISSIONS if kind is AssignmentKind.in_charge else SUPERVISION_PERMISSIONS


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
            select(
                RoleAssignment.role.label("grant"),
                OrgUnit.id,
                OrgUnit.path,
                OrgUnit.name,
                RoleAssignment.from_on,
                RoleAssignment.to_on,
            )
            .join(OrgUnit, RoleAssignment.unit_id == OrgUnit.id)
            .where(RoleAssignment.user_id == user.id, active_on(RoleAssignment, on))
        )
        supervision = (
            select(
                (literal(SUPERVISION_PREFIX) + SupervisionAssignment.kind).label("grant"),
                OrgUnit.id,
                OrgUnit.path,
                OrgUnit.name,
                SupervisionAssignment.from_on,
                SupervisionAssignment.to_on,
            )
            .join(OrgUnit, SupervisionAssignment.cell_id == OrgUnit.id)
            .where(SupervisionAssignment.user_id == user.id, active_on(SupervisionAssignment, on))
        )
        rows = db.session.execute(union_all(roles, supervision).order_by("path")).all()
        found = []
        for grant, uid, path, name, from_on, to_on in rows:
            if grant.startswith(SUPERVISION_PREFIX):
                kind = AssignmentKind(grant.removeprefix(SUPERVISION_PREFIX))
                found.append(Grant(None, uid, path, name, supervision_permissions(kind), kind.label, from_on, to_on))
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


def _note_periods(user, cell: OrgUnit) -> list[tuple[date, date | None]]:
    """The periods whose meetings' notes `user` may read in `cell`: any time for a role
    that reads notes, the assignment's own period for the cadre in charge of the cell."""
    if cell is None or not getattr(user, "is_authenticated", False):
        return []
    if is_admin(user):
        return [(date.min, None)]
    return [
        (date.min, None) if gr.role is not None else (gr.from_on, gr.to_on)
        for gr in grants(user)
        if Permission.read_notes in gr.perms and cell.path.startswith(gr.path)
    ]


def can_read_notes(user, meeting) -> bool:
    """May `user` read the texts of a meeting's notes (criticism, commitments, self-reviews)?
    The one answer every response showing such a text goes through (app/criticism/reading.py):
    a cadre in charge of the cell reads only meetings dated within the assignment."""
    on = meeting.on
    return any(start <= on and (end is None or on < end) for start, end in _note_periods(user, meeting.cell))


def can_read_year_notes(user, cell: OrgUnit, year: int) -> bool:
    """The year-end review texts of a cell: as `can_read_notes`, for an assignment
    overlapping the year (its meetings' notes are then filtered one by one)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return any(start <= last and (end is None or end > first) for start, end in _note_periods(user, cell))


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


def scope_paths(user, perm: Permission = Permission.view) -> list[str] | None:
    """The subtrees where `perm` holds (None: everywhere, an administrator)."""
    return None if is_admin(user) else _granting_paths(user, perm)


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


@dataclass(frozen=True)
class MemberAccess:
    """What a user sees of a member. `whole`: the member's present cell (for one who left
    the party organisation, the last one) is in the user's view scope, and the record is
    theirs in full. Otherwise the user sees a cell the member left: `memberships` are the
    periods spent there, and only what falls inside them is shown — never the present
    cell, the contact details or anything later."""

    member: Member
    whole: bool
    memberships: tuple[Membership, ...]  # newest first; every one when whole
    moved_on: frozenset[date] = frozenset()  # days the member went on to a cell not shown

    def period_end(self) -> date | None:
        """The end of the last period shown (None while one is open)."""
        ends = [m.to_on for m in self.memberships]
        return None if None in ends or not ends else max(ends)

    def covers(self, from_on: date, to_on: date | None) -> bool:
        """Does a dated record (position, exemption…) fall inside a period shown?"""
        return self.whole or any(
            (m.to_on is None or from_on < m.to_on) and (to_on is None or to_on > m.from_on) for m in self.memberships
        )

    def sees_unit(self, unit_id: int) -> bool:
        return self.whole or any(m.unit_id == unit_id for m in self.memberships)

    def end_reason(self, membership: Membership) -> str | None:
        """Where the member went is the present cell's business, not the former one's."""
        if not self.whole and membership.to_on in self.moved_on:
            return "Chuyển sinh hoạt đi nơi khác"
        return membership.end_reason

    @property
    def current(self) -> Membership | None:
        """The member's cell now (or the one they are about to join); never shown to a
        cell the member left."""
        today = date.today()
        return next((m for m in self.memberships if m.to_on is None or m.to_on > today), None) if self.whole else None

    @property
    def latest(self) -> Membership | None:
        """What the profile is about: the current membership, else the newest shown."""
        return self.current or (self.memberships[0] if self.memberships else None)


def can_reveal_contact(user, access: MemberAccess) -> bool:
    """The full card number and phone, on request: for those who keep the member's
    record (edit_members on the member's present or last cell), never a former cell."""
    return access.whole and access.latest is not None and can(user, Permission.edit_members, access.latest.unit)


def member_access_or_404(user, member_id: int) -> MemberAccess:
    """The member as `user` may see them (MemberAccess): 404 when none of the member's
    cells, now or in the past, is in view scope."""
    member = db.session.get(Member, member_id)
    memberships = (
        db.session.scalars(
            select(Membership)
            .options(joinedload(Membership.unit))
            .where(Membership.member_id == member_id)
            .order_by(Membership.from_on.desc(), Membership.id.desc())
        ).all()
        if member
        else []
    )
    visible = [m for m in memberships if can(user, Permission.view, m.unit)]
    if member is None or not (visible or is_admin(user)):
        abort(404)
    today = date.today()
    present = [m for m in memberships if m.to_on is None or m.to_on > today] or memberships[:1]
    if is_admin(user) or any(m in visible for m in present):
        return MemberAccess(member, True, tuple(memberships))
    hidden = frozenset(m.from_on for m in memberships if m not in visible)
    return MemberAccess(member, False, tuple(visible), hidden)


SELF_MANAGEMENT = (
    "Không thể tự giao, kết thúc vai trò, khóa hay đặt lại mật khẩu tài khoản của chính mình. "
    "Đổi mật khẩu của bạn ở trang Đổi mật khẩu."
)


def _account_unit_paths():
    """Every unit an account holds, held or will hold something on: its role assignments
    and supervision assignments of any date, as (user_id, path, grant key)."""
    from app.supervision.models import SupervisionAssignment

    roles = select(
        RoleAssignment.user_id.label("user_id"), OrgUnit.path.label("path"), RoleAssignment.role.label("grant")
    )
    roles = roles.join(OrgUnit, RoleAssignment.unit_id == OrgUnit.id)
    supervision = select(
        SupervisionAssignment.user_id, OrgUnit.path, literal(SUPERVISION_PREFIX) + SupervisionAssignment.kind
    )
    supervision = supervision.join(OrgUnit, SupervisionAssignment.cell_id == OrgUnit.id)
    return union_all(roles, supervision).subquery("account_units")


def _grant_keys():
    """What each kind of grant an account may hold confers, by the key of
    `_account_unit_paths` ("cell_secretary", "supervision:in_charge")."""
    from app.supervision.models import AssignmentKind

    keys = {role.value: ROLE_PERMISSIONS[role] for role in ASSIGNABLE_ROLES}
    return keys | {SUPERVISION_PREFIX + kind.value: supervision_permissions(kind) for kind in AssignmentKind}


def manageable_accounts(manager):
    """A SQL condition on User.id: the accounts `manager` may manage (edit, reset the
    password, lock, grant and end roles). An office manages an account only if it could
    have granted every role and supervision assignment the account ever held or will
    hold, each on its unit: a role starting next week elsewhere, or one that reads
    criticism texts, puts the account out of a district office's reach (else resetting
    the password would hand those over). Administrators manage every account; nobody
    manages their own here."""
    from app.auth.models import User

    not_self = User.id != manager.id
    if is_admin(manager):
        return not_self
    held = _account_unit_paths()
    keys = _grant_keys()
    allowed = []
    # Exact per path: what may be handed out below a unit is decided by the deepest of the
    # manager's grants above it, so checking at each of their grants' units suffices.
    for path in {gr.path for gr in grants(manager)}:
        if _hands_out_accounts(manager, path):
            given = [key for key, perms in keys.items() if _hand_out_refusal(manager, perms, path, "") is None]
            allowed.append(and_(under(held.c.path, path), held.c.grant.in_(given)))
    if not allowed:
        return false()
    own = held.c.user_id == User.id
    return and_(not_self, exists().where(own), ~exists().where(own, ~or_(*allowed)))


def can_manage_account(manager, account) -> bool:
    from app.auth.models import User

    if manager is None or account is None or account.id is None:
        return False
    return db.session.scalar(select(User.id).where(User.id == account.id, manageable_accounts(manager))) is not None


def _hands_out_accounts(user, path: str) -> bool:
    return any(path.startswith(p) for p in _granting_paths(user, Permission.manage_accounts))


def _hand_out_refusal(granter, perms: frozenset, path: str, what: str) -> str | None:
    """Grant only what you hold: `perms` must be held by `granter` on the unit at `path`
    (`attend` counts as held by whoever assigns supervising cadres there, which confers
    it); note texts only from an administrator or the commune office above the unit."""
    if is_admin(granter):
        return None
    above = [gr for gr in grants(granter) if path.startswith(gr.path)]
    held = frozenset().union(*(gr.perms for gr in above))
    if Permission.assign_supervisors in held:
        held |= {Permission.attend}
    if perms & NOTE_PERMISSIONS and not any(gr.role is Role.commune_office for gr in above):
        return (
            f"{what} được đọc nội dung phê bình: chỉ quản trị hệ thống hoặc "
            "văn phòng đảng ủy xã của chi bộ đó mới được giao."
        )
    if not perms <= held:
        return f"{what} có quyền vượt quá quyền của chính bạn tại đơn vị này: bạn không được giao."
    return None


def grant_refusal(granter, role: Role, unit: OrgUnit) -> str | None:
    """Why `granter` may not grant `role` on `unit`, or None if they may."""
    if role not in ASSIGNABLE_ROLES:
        return "Không thể cấp quyền quản trị hệ thống tại đây."
    if is_admin(granter):
        return None
    if not can(granter, Permission.manage_accounts, unit):
        return f"Bạn không quản lý tài khoản tại {unit.name}."
    return _hand_out_refusal(granter, ROLE_PERMISSIONS[role], unit.path, f"Vai trò {role.label}")


def offered_roles(granter) -> list[Role]:
    """The roles `granter` may give on at least one unit (what a role select lists; the
    unit chosen with it is checked by `check_grant`)."""
    if is_admin(granter):
        return list(ASSIGNABLE_ROLES)
    paths = {gr.path for gr in grants(granter) if _hands_out_accounts(granter, gr.path)}
    return [
        role
        for role in ASSIGNABLE_ROLES
        if any(_hand_out_refusal(granter, ROLE_PERMISSIONS[role], path, "") is None for path in paths)
    ]


def _refuse_if(reason: str | None) -> None:
    if reason:
        raise Refused(reason)


def check_grant(granter, account, role: Role, unit: OrgUnit) -> None:
    """Raise Refused unless `granter` may give `account` (None: a new account) `role` on
    `unit`. No granter: the system (CLI, demo data)."""
    if granter is None:
        return
    if account is not None:
        check_manage(granter, account)
    _refuse_if(grant_refusal(granter, role, unit))


def check_manage(manager, account) -> None:
    """Raise Refused unless `manager` (None: the system) may manage `account`."""
    if manager is None:
        return
    if account.id == manager.id:
        raise Refused(SELF_MANAGEMENT)
    if not can_manage_account(manager, account):
        raise Refused("Tài khoản này có vai trò ngoài phạm vi bạn được quản lý.")


def supervision_refusal(assigner, user, cell: OrgUnit, kind) -> str | None:
    """Why `assigner` may not assign `user` to `cell` as `kind` (an AssignmentKind), or
    None. The cadre in charge reads the cell's notes: the same rule as a note role."""
    if user.id == assigner.id:
        return "Không thể tự phân công chính mình."
    return _hand_out_refusal(assigner, supervision_permissions(kind), cell.path, f"Phân công {kind.label.lower()}")


def assignable_kinds(assigner, unit: OrgUnit) -> list:
    """The supervision kinds `assigner` may give on cells under `unit` (for the form)."""
    from app.supervision.models import AssignmentKind

    return [k for k in AssignmentKind if _hand_out_refusal(assigner, supervision_permissions(k), unit.path, "") is None]


def check_supervision(assigner, user, cell: OrgUnit, kind) -> None:
    if assigner is not None:
        _refuse_if(supervision_refusal(assigner, user, cell, kind))


def get_account_or_404(manager, user_id: int):
    from app.auth.models import User

    account = db.session.get(User, user_id)
    own = account is not None and account.id == getattr(manager, "id", None)
    if own and holds(manager, Permission.manage_accounts):
        raise Refused(SELF_MANAGEMENT)  # an account manager is pointed to Đổi mật khẩu
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
    if perm is Permission.read_notes:
        require(can_read_notes(user, meeting))  # a cadre in charge: meetings within the assignment
    return meeting


def get_meeting_part_or_404(user, model, part_id: int, perm: Permission = Permission.view_meetings, meeting_of=None):
    """An object that belongs to a meeting (agenda item, document, guest…): the
    meeting's rule decides. `meeting_of(obj)` gives its meeting id (default `.meeting_id`)."""
    obj = db.session.get(model, part_id)
    if obj is None or getattr(obj, "is_deleted", False):
        abort(404)
    meeting_id = meeting_of(obj) if meeting_of else obj.meeting_id
    return obj, get_meeting_or_404(user, meeting_id, perm)
