from flask import Blueprint, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from app.auth import services, throttle
from app.auth.forms import LoginForm, PasswordChangeForm
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
        address = request.remote_addr or "unknown"
        verdict = throttle.check(username, address)
        if not verdict.allowed:
            return render("auth/login.html", form=form, error=verdict.message, status=429)
        user = db.session.scalars(select(User).where(User.username == username)).first()
        ok = (user or _DUMMY).check_password(form.password.data) and user is not None and user.is_enabled
        throttle.note(username, address, succeeded=ok)
        if ok:
            services.note_login(user)
            db.session.commit()
            _start_session(user)
            return redirect(next_url if is_safe_next(next_url) else url_for("org.home"), 303)
        db.session.commit()
        error = "Tên đăng nhập hoặc mật khẩu không đúng."
    return render("auth/login.html", form=form, error=error, status=form_status())


@bp.post("/logout")
@signed_in()
def logout():
    user = db.session.get(User, current_user.id)
    services.invalidate_sessions(user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"), 303)


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
