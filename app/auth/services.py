"""Account writes. Services check who may (app/org/access.py), flush and audit; the
view commits. An actor of None is the system (CLI, demo data)."""

from datetime import date

from app.audit.services import record
from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.org.access import check_grant, check_manage
from app.org.models import OrgUnit, Role, RoleAssignment


def create_account(
    actor,
    *,
    username: str,
    full_name: str,
    password: str,
    role: Role,
    unit: OrgUnit,
    from_on: date | None = None,
    member_id=None,
) -> User:
    check_grant(actor, None, role, unit)
    user = User(username=username, full_name=full_name.strip(), member_id=member_id)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    _add_role(actor, user, role, unit, from_on)
    record(actor, "account.create", user, unit, f"Tạo tài khoản {username} ({role.label}, {unit.name})")
    return user


def grant_role(actor, user: User, role: Role, unit: OrgUnit, from_on: date | None = None) -> RoleAssignment:
    check_grant(actor, user, role, unit)
    return _add_role(actor, user, role, unit, from_on)


def _add_role(actor, user: User, role: Role, unit: OrgUnit, from_on: date | None) -> RoleAssignment:
    assignment = RoleAssignment(user_id=user.id, unit_id=unit.id, role=role.value, from_on=from_on or date.today())
    db.session.add(assignment)
    db.session.flush()
    record(actor, "role.grant", assignment, unit, f"Giao vai trò {role.label} tại {unit.name} cho {user.username}")
    return assignment


def end_role(actor, assignment: RoleAssignment, on: date | None = None) -> None:
    user = db.session.get(User, assignment.user_id)
    check_manage(actor, user)
    assignment.to_on = on or date.today()
    unit = assignment.unit
    record(
        actor,
        "role.end",
        assignment,
        unit,
        f"Kết thúc vai trò {assignment.role_label} tại {unit.name} của {user.username}",
    )


def invalidate_sessions(user: User) -> None:
    """Every session cookie issued before now stops working."""
    user.session_version = (user.session_version or 0) + 1


def change_password(user: User, new_password: str, actor=None) -> None:
    user.set_password(new_password)
    invalidate_sessions(user)
    record(actor or user, "account.password", user, None, f"Đổi mật khẩu tài khoản {user.username}")


def update_account(actor, user: User, *, full_name: str, is_enabled: bool, new_password: str | None) -> None:
    check_manage(actor, user)
    changes = []
    if user.full_name != full_name:
        changes.append("họ tên")
        user.full_name = full_name
    if user.is_enabled != is_enabled:
        changes.append("mở khóa" if is_enabled else "khóa tài khoản")
        user.is_enabled = is_enabled
        if not is_enabled:
            invalidate_sessions(user)
    if new_password:
        changes.append("đặt lại mật khẩu")
        user.set_password(new_password)
        invalidate_sessions(user)
    if changes:
        record(actor, "account.update", user, None, f"Sửa tài khoản {user.username}: {', '.join(changes)}")


def unlock_login(actor, user: User) -> None:
    """Failed logins so far no longer count against the account (app/auth/throttle.py)."""
    user.login_unlocked_at = utcnow()
    record(actor, "account.unlock", user, None, f"Mở khóa đăng nhập tài khoản {user.username}")


def note_login(user: User) -> None:
    user.last_login_at = utcnow()
    record(user, "auth.login", user, None, f"Đăng nhập: {user.username}")
