from datetime import datetime, timedelta

from flask import Blueprint, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from app.auth import notices, services, throttle, totp
from app.auth.forms import CodeForm, LoginForm, PasswordChangeForm
from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.web.authz import public, signed_in
from app.web.forms import form_status
from app.web.htmx import render
from app.web.security import is_safe_next

bp = Blueprint("auth", __name__)

# Checked against when the username is unknown, so a wrong name costs the same time.
_DUMMY = User(username="-", full_name="-")
_DUMMY.set_password("not-a-real-password")


# Between the password and the code: how long the first step holds.
CODE_STEP_TIMEOUT = timedelta(minutes=5)


def _address() -> str:
    return request.remote_addr or "unknown"


def _finish_login(user: User, next_url: str | None):
    services.note_login(user)
    db.session.commit()
    _start_session(user)
    target = next_url if is_safe_next(next_url) else url_for("org.home")
    return redirect(notices.after_login(user, target), 303)


def _start_session(user: User) -> None:
    session.clear()
    login_user(user)
    now = utcnow().isoformat()
    session["auth_at"] = now
    session["seen_at"] = now


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("org.home"))
    form = LoginForm()
    next_url = request.args.get("next")
    error = None
    if form.validate_on_submit():
        username = form.username.data.strip().lower()
        address = _address()
        verdict = throttle.check(username, address)
        if not verdict.allowed:
            return render("auth/login.html", form=form, error=verdict.message, status=429)
        user = db.session.scalars(select(User).where(User.username == username)).first()
        ok = (user or _DUMMY).check_password(form.password.data) and user is not None and user.is_enabled
        if ok and user.has_totp:
            # The password was right; the attempt is counted at the code step.
            session.clear()
            session["code_step"] = {
                "user": user.id,
                "version": user.session_version,
                "at": utcnow().isoformat(),
                "next": next_url if is_safe_next(next_url) else None,
            }
            return redirect(url_for("auth.login_code"), 303)
        throttle.note(username, address, succeeded=ok)
        if ok:
            return _finish_login(user, next_url)
        db.session.commit()
        error = "Tên đăng nhập hoặc mật khẩu không đúng."
    signed_out = request.method == "GET" and request.args.get("signed_out") == "1"
    return render("auth/login.html", form=form, error=error, signed_out=signed_out, status=form_status())


def _code_step_user() -> User | None:
    """The account whose password was right a moment ago in this browser, if still valid."""
    step = session.get("code_step")
    if not isinstance(step, dict) or utcnow() - datetime.fromisoformat(step["at"]) > CODE_STEP_TIMEOUT:
        return None
    user = db.session.get(User, step["user"])
    if user is None or not user.is_enabled or user.session_version != step["version"] or not user.has_totp:
        return None
    return user


@bp.route("/login/code", methods=["GET", "POST"])
@public
def login_code():
    """The second step: a code from the account's authenticator app."""
    user = _code_step_user()
    if user is None:
        session.pop("code_step", None)
        flash("Vui lòng đăng nhập lại.", "warning")
        return redirect(url_for("auth.login"), 303)
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        address = _address()
        verdict = throttle.check(user.username, address)
        if not verdict.allowed:
            return render("auth/login_code.html", form=form, error=verdict.message, status=429)
        ok = totp.verify(user, form.code.data)
        throttle.note(user.username, address, succeeded=ok)
        if ok:
            return _finish_login(user, session["code_step"]["next"])
        db.session.commit()
        error = "Mã xác thực không đúng hoặc đã được dùng. Vui lòng nhập mã mới trong ứng dụng."
    return render("auth/login_code.html", form=form, error=error, status=form_status())


@bp.post("/logout")
@signed_in()
def logout():
    user = db.session.get(User, current_user.id)
    services.invalidate_sessions(user)
    db.session.commit()
    logout_user()
    session.clear()
    # The browser drops every cookie of the site, this response's too: the message goes
    # in the address, not in a flash.
    response = redirect(url_for("auth.login", signed_out=1), 303)
    # Not "storage": unsaved minutes wait in localStorage to be restored after the next
    # login (issue 11, app/static/js/app.js); wiping it would lose what was typed in
    # another tab. Criticism note drafts are in sessionStorage and end with the tab.
    response.headers["Clear-Site-Data"] = '"cache", "cookies"'
    return response


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in()
def password():
    form = PasswordChangeForm()
    user = db.session.get(User, current_user.id)
    if form.validate_on_submit():
        if not user.check_password(form.current_password.data):
            form.current_password.errors.append("Mật khẩu hiện tại không đúng.")
        elif form.new_password.data == form.current_password.data:
            form.new_password.errors.append("Mật khẩu mới phải khác mật khẩu hiện tại.")
        else:
            services.change_password(user, form.new_password.data)
            db.session.commit()
            _start_session(user)  # this browser stays signed in; every other session ends
            flash("Đã đổi mật khẩu. Các phiên đăng nhập khác đã bị đăng xuất.", "success")
            return redirect(url_for("org.home"), 303)
    return render("auth/password.html", form=form, status=form_status())
