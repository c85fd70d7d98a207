"""Login throttling stored in the database, so every gunicorn worker sees the same
counts. After a few failures each further try must wait longer; after many, the
account (or the address) is refused until the window has passed."""

import math
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from app.auth.models import LoginAttempt
from app.db import utcnow
from app.extensions import db


@dataclass
class Verdict:
    allowed: bool
    message: str = ""


def _failures(column, value, since):
    last_success = (
        select(func.max(LoginAttempt.at)).where(column == value, LoginAttempt.succeeded.is_(True)).scalar_subquery()
    )
    return db.session.execute(
        select(func.count(), func.min(LoginAttempt.at), func.max(LoginAttempt.at)).where(
            column == value,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.at > since,
            LoginAttempt.at > func.coalesce(last_success, since),
        )
    ).one()


def check(username: str, address: str) -> Verdict:
    config = current_app.config
    now = utcnow()
    window: timedelta = config["LOGIN_WINDOW"]
    since = now - window
    user_count, user_first, user_last = _failures(LoginAttempt.username, username, since)
    addr_count, addr_first, _ = _failures(LoginAttempt.address, address, since)

    for count, first, limit in (
        (user_count, user_first, config["LOGIN_MAX_FAILURES_USER"]),
        (addr_count, addr_first, config["LOGIN_MAX_FAILURES_ADDRESS"]),
    ):
        if count >= limit:
            minutes = max(1, math.ceil((first + window - now).total_seconds() / 60))
            return Verdict(
                False, f"Đăng nhập bị tạm khóa do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau {minutes} phút."
            )
    if user_count >= config["LOGIN_SLOW_AFTER"]:
        wait = timedelta(seconds=5 * 2 ** (user_count - config["LOGIN_SLOW_AFTER"]))
        remaining = (user_last + wait - now).total_seconds()
        if remaining > 0:
            return Verdict(False, f"Đã nhập sai nhiều lần. Vui lòng đợi {math.ceil(remaining)} giây rồi thử lại.")
    return Verdict(True)


def note(username: str, address: str, succeeded: bool) -> None:
    db.session.add(LoginAttempt(username=username, address=address, succeeded=succeeded, at=utcnow()))
