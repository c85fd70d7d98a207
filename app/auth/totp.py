"""Two-step login with a time-based one-time code (RFC 6238, any authenticator app).

The secret stays on the server (users.totp_secret); it is shown once, as text and a QR
code drawn here, while the user enrols, and is in force once a first code confirms it.
A code is accepted one 30-second step early or late (clocks drift), and never twice:
the last accepted step is kept, and a code of that step or an earlier one is refused.
A deployment can require the second step for some roles (REQUIRE_TOTP_FOR)."""

import re
import time

import pyotp
from flask import current_app
from pyotp.utils import strings_equal
from sqlalchemy import or_, update

from app.audit.services import record
from app.auth.models import User
from app.db import utcnow
from app.extensions import db

ISSUER = "Sinh hoạt Chi bộ"
DRIFT_STEPS = 1


def start_enrolment(user: User) -> None:
    """A new secret, not in force until confirmed (a confirmed one is never replaced here)."""
    if user.has_totp:
        return
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = None


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def verify(user: User, code: str | None, now: float | None = None) -> bool:
    """Is `code` right for now (± one step) and newer than the last one accepted?
    Accepting it marks its step used."""
    code = re.sub(r"\s", "", code or "")
    if not user.totp_secret or not re.fullmatch(r"\d{6}", code):
        return False
    totp = pyotp.TOTP(user.totp_secret)
    current = int((time.time() if now is None else now) // totp.interval)
    last = user.totp_last_step if user.totp_last_step is not None else -1
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if step > last and strings_equal(code, totp.generate_otp(step)):
            return _claim(user, step)
    return False


def _claim(user: User, step: int) -> bool:
    """Mark the step used, unless a concurrent request with the same code already has:
    the condition is checked by the database, under the row's lock."""
    claimed = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
    )
    return claimed.rowcount == 1


def confirm_enrolment(user: User, code: str | None) -> bool:
    if user.has_totp or not verify(user, code):
        return False
    user.totp_confirmed_at = utcnow()
    record(user, "account.totp_enrol", user, None, f"Bật xác thực hai bước cho tài khoản {user.username}")
    return True


def reset(actor, user: User) -> None:
    """Recovery (a lost phone): the account signs in with its password alone again, and
    enrols anew where its role requires the second step."""
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    record(actor, "account.totp_reset", user, None, f"Đặt lại xác thực hai bước của tài khoản {user.username}")


def required_roles() -> set[str]:
    return {r.strip() for r in current_app.config["REQUIRE_TOTP_FOR"].split(",") if r.strip()}


def must_enrol(user: User) -> bool:
    """Does the deployment require the second step of this account, not yet enrolled?"""
    from app.org.access import grants

    roles = required_roles()
    return bool(roles) and not user.has_totp and any(gr.role and gr.role.value in roles for gr in grants(user))
