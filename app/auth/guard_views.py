"""Login guard: the user's own two-step login (enrol, confirm), and for account managers
unlocking an account's login throttle; for administrators resetting its second step."""

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user

from app.auth import services, throttle, totp
from app.auth.forms import CodeForm
from app.auth.models import User
from app.extensions import db
from app.org.access import Permission, is_admin, require
from app.web.authz import loads, signed_in
from app.web.forms import form_status
from app.web.htmx import render
from app.web.qr import qr_svg

bp = Blueprint("guard", __name__)


def _me() -> User:
    return db.session.get(User, current_user.id)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@signed_in()
def two_factor():
    user = _me()
    form = CodeForm()
    if not user.has_totp and user.totp_secret and form.validate_on_submit():
        if totp.confirm_enrolment(user, form.code.data):
            db.session.commit()
            flash("Đã bật xác thực hai bước. Từ lần đăng nhập sau, hệ thống sẽ hỏi mã xác thực.", "success")
            return redirect(url_for("org.home"), 303)
        form.code.errors.append("Mã xác thực không đúng. Kiểm tra giờ trên điện thoại rồi nhập mã mới.")
    uri = qr = None
    if user.totp_secret and not user.has_totp:
        uri = totp.provisioning_uri(user)
        qr = qr_svg(uri, "Mã QR xác thực hai bước", scale=4)
    return render(
        "auth/two_factor.html",
        user=user,
        form=form,
        uri=uri,
        qr=qr,
        required=totp.must_enrol(user),
        status=form_status(),
    )


@bp.post("/account/two-factor/start")
@signed_in()
def two_factor_start():
    user = _me()
    totp.start_enrolment(user)
    db.session.commit()
    return redirect(url_for("guard.two_factor"), 303)


@bp.post("/accounts/<int:user_id>/unlock")
@loads(User, Permission.manage_accounts)
def unlock(account):
    services.unlock_login(current_user, account)
    db.session.commit()
    flash(f"Đã mở khóa đăng nhập cho tài khoản {account.username}.", "success")
    return redirect(url_for("accounts.edit", user_id=account.id), 303)


@bp.post("/accounts/<int:user_id>/two-factor/reset")
@loads(User, Permission.manage_accounts)
def two_factor_reset(account):
    require(is_admin(current_user))  # the second step is reset by an administrator only
    totp.reset(current_user, account)
    db.session.commit()
    flash(f"Đã đặt lại xác thực hai bước của tài khoản {account.username}.", "success")
    return redirect(url_for("accounts.edit", user_id=account.id), 303)


@bp.app_template_global()
def login_guard(account: User) -> dict:
    """What the account page shows about the account's login (accounts/_login_guard.html)."""
    failures, addresses = throttle.recent_failures(account)
    return {"failures": failures, "addresses": addresses, "may_reset_totp": is_admin(current_user)}
