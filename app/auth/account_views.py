"""Account management for administrators and unit offices (their subtree only), and
the owner's notice of what they changed."""

from datetime import date

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.auth import notices, services
from app.auth.forms import AccountEditForm, AccountForm, RoleForm
from app.auth.models import User
from app.extensions import db
from app.org import queries
from app.org.access import (
    Permission,
    get_unit_or_404,
    manageable_accounts,
    offered_roles,
)
from app.org.models import OrgUnit, Role, RoleAssignment, UnitKind
from app.web.authz import loads, signed_in
from app.web.forms import FAILED, attempt, form_status
from app.web.htmx import render
from app.web.security import is_safe_next

bp = Blueprint("accounts", __name__)


def _role_choices(form):
    units = queries.units_for_select(current_user, Permission.manage_accounts, tuple(UnitKind))
    labels = queries.unit_label_map(units)
    form.unit_id.choices = [(u.id, labels[u.id]) for u in units]
    # Only roles the manager may give; the service refuses any other with its reason.
    form.role.choices = [(r.value, r.label) for r in offered_roles(current_user)]


@bp.get("/accounts")
@signed_in(Permission.manage_accounts)
def index():
    page = max(1, request.args.get("page", 1, type=int))
    stmt = select(User).where(manageable_accounts(current_user)).order_by(User.username)
    users = db.paginate(stmt, page=page, per_page=50, error_out=False)
    roles = {}
    ids = [u.id for u in users.items]
    if ids:
        for ra, unit_name in db.session.execute(
            select(RoleAssignment, OrgUnit.name).join(OrgUnit).where(RoleAssignment.user_id.in_(ids))
        ):
            roles.setdefault(ra.user_id, []).append((ra, unit_name))
    return render("accounts/index.html", users=users, roles=roles, today=date.today())


@bp.route("/accounts/new", methods=["GET", "POST"])
@signed_in(Permission.manage_accounts)
def new():
    form = AccountForm()
    _role_choices(form)
    if form.validate_on_submit():
        unit = get_unit_or_404(current_user, form.unit_id.data, Permission.manage_accounts)
        user = attempt(
            lambda: services.create_account(
                current_user,
                username=form.username.data,
                full_name=form.full_name.data,
                password=form.password.data,
                role=Role(form.role.data),
                unit=unit,
                from_on=form.from_on.data,
            ),
            form,
        )
        if user is not FAILED:
            flash(f"Đã tạo tài khoản {user.username}.", "success")
            return redirect(url_for("accounts.edit", user_id=user.id), 303)
    return render("accounts/new.html", form=form, status=form_status())


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
@loads(User, Permission.manage_accounts)
def edit(account):
    form = AccountEditForm(obj=account)
    if request.method == "GET":
        form.is_enabled.data = account.is_enabled
    role_form = RoleForm(formdata=None)
    _role_choices(role_form)
    if form.validate_on_submit():
        services.update_account(
            current_user,
            account,
            full_name=form.full_name.data,
            is_enabled=form.is_enabled.data,
            new_password=form.new_password.data,
        )
        db.session.commit()
        flash("Đã lưu tài khoản.", "success")
        return redirect(url_for("accounts.edit", user_id=account.id), 303)
    assignments = db.session.scalars(
        select(RoleAssignment).where(RoleAssignment.user_id == account.id).order_by(RoleAssignment.from_on.desc())
    ).all()
    return render(
        "accounts/edit.html",
        account=account,
        form=form,
        role_form=role_form,
        assignments=assignments,
        today=date.today(),
        status=form_status(),
    )


@bp.post("/accounts/<int:user_id>/roles")
@loads(User, Permission.manage_accounts)
def grant(account):
    form = RoleForm()
    _role_choices(form)
    if form.validate_on_submit():
        unit = get_unit_or_404(current_user, form.unit_id.data, Permission.manage_accounts)
        services.grant_role(current_user, account, Role(form.role.data), unit, form.from_on.data)
        db.session.commit()
        flash("Đã giao vai trò.", "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("accounts.edit", user_id=account.id), 303)


@bp.post("/roles/<int:assignment_id>/end")
@loads(RoleAssignment, Permission.manage_accounts)
def end_role(assignment, account):
    if assignment.to_on is None or assignment.to_on > date.today():
        services.end_role(current_user, assignment)
        db.session.commit()
        flash("Đã kết thúc vai trò.", "success")
    return redirect(url_for("accounts.edit", user_id=account.id), 303)


@bp.get("/account/notices")
@signed_in()
def notices_page():
    user = db.session.get(User, current_user.id)
    return render("accounts/notices.html", entries=notices.pending(user), next_url=_next_or_home())


@bp.post("/account/notices")
@signed_in()
def acknowledge_notices():
    notices.acknowledge(db.session.get(User, current_user.id))
    db.session.commit()
    return redirect(_next_or_home(), 303)


def _next_or_home() -> str:
    target = request.values.get("next")
    return target if is_safe_next(target) else url_for("org.home")
