"""Login throttling stored in the database, so every gunicorn worker sees the same counts.

Failures are counted three ways, so that no one can lock somebody else out:

- **account + address** (the pair): after LOGIN_SLOW_AFTER failures each further try
  from that address at that name waits 5, 10, 20… s; at LOGIN_MAX_FAILURES_PAIR the pair
  is locked for LOGIN_WINDOW. A success of the same pair (which needs the password)
  starts it over. The owner at another address is not affected.
- **address alone**: at LOGIN_MAX_FAILURES_ADDRESS failures in LOGIN_WINDOW, whatever the
  names and never reset by a success (an attacker's own account cannot clear it), the
  address is locked for every name that has not signed in from there in the last
  LOGIN_KNOWN_FOR. A flood of made-up names thus locks the flooding address, not the
  people who work from it (behind a proxy not declared in TRUSTED_PROXIES, that is
  everybody).
- **account alone** (the name typed, whether it exists or not): after
  LOGIN_ACCOUNT_SLOW_AFTER failures in LOGIN_ACCOUNT_WINDOW from any addresses, each try
  from an address the account has not signed in from waits 5, 10, 20… s, at most
  LOGIN_ACCOUNT_MAX_WAIT, measured from the last failure, so guesses from many addresses
  are slowed together. The owner at a known address is not slowed.

An office (or an administrator) can unlock an account: failures before that moment no
longer count for it, and its name is let through a locked address for LOGIN_WINDOW.
Refused tries are not recorded, so hammering a lock does not extend it."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from app.auth.models import LoginAttempt, User
from app.db import utcnow
from app.extensions import db


@dataclass
class Verdict:
    allowed: bool
    message: str = ""


LOCKED = "Đăng nhập bị tạm khóa do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau {minutes} phút."
WAIT = "Đã nhập sai nhiều lần. Vui lòng đợi {seconds} giây rồi thử lại."
ACCOUNT_WAIT = (
    "Tài khoản này đang bị thử mật khẩu nhiều lần. Vui lòng đợi {seconds} giây rồi thử lại, "
    "hoặc nhờ văn phòng cấp ủy mở khóa đăng nhập."
)


@dataclass
class Failures:
    count: int
    first: datetime | None
    last: datetime | None


def _failures(*conditions) -> Failures:
    row = db.session.execute(
        select(func.count(), func.min(LoginAttempt.at), func.max(LoginAttempt.at)).where(
            LoginAttempt.succeeded.is_(False), *conditions
        )
    ).one()
    return Failures(*row)


def _last_success(*conditions) -> datetime | None:
    return db.session.scalar(select(func.max(LoginAttempt.at)).where(LoginAttempt.succeeded.is_(True), *conditions))


def _backoff(count: int, slow_after: int, last: datetime, now: datetime, cap: timedelta | None = None) -> int:
    """Seconds still to wait: 5 s after the slow_after-th failure, doubling with each more."""
    if count < slow_after:
        return 0
    wait = timedelta(seconds=5 * 2 ** min(count - slow_after, 20))
    if cap is not None:
        wait = min(wait, cap)
    return max(0, math.ceil((last + wait - now).total_seconds()))


def check(username: str, address: str) -> Verdict:
    config = current_app.config
    now = utcnow()
    window: timedelta = config["LOGIN_WINDOW"]
    unlocked_at = db.session.scalar(select(User.login_unlocked_at).where(User.username == username))
    pair = (LoginAttempt.username == username, LoginAttempt.address == address)
    pair_success = _last_success(*pair)
    known = pair_success is not None and pair_success > now - config["LOGIN_KNOWN_FOR"]

    address_failures = _failures(LoginAttempt.address == address, LoginAttempt.at > now - window)
    vouched = unlocked_at is not None and unlocked_at > now - window
    if address_failures.count >= config["LOGIN_MAX_FAILURES_ADDRESS"] and not (known or vouched):
        return _locked(address_failures.first + window, now)

    since = max(t for t in (now - window, pair_success, unlocked_at) if t is not None)
    pair_failures = _failures(*pair, LoginAttempt.at > since)
    if pair_failures.count >= config["LOGIN_MAX_FAILURES_PAIR"]:
        return _locked(pair_failures.first + window, now)
    wait = _backoff(pair_failures.count, config["LOGIN_SLOW_AFTER"], pair_failures.last, now)
    if wait:
        return Verdict(False, WAIT.format(seconds=wait))

    if not known:
        since = max(t for t in (now - config["LOGIN_ACCOUNT_WINDOW"], unlocked_at) if t is not None)
        account_failures = _failures(LoginAttempt.username == username, LoginAttempt.at > since)
        wait = _backoff(
            account_failures.count,
            config["LOGIN_ACCOUNT_SLOW_AFTER"],
            account_failures.last,
            now,
            config["LOGIN_ACCOUNT_MAX_WAIT"],
        )
        if wait:
            return Verdict(False, ACCOUNT_WAIT.format(seconds=wait))
    return Verdict(True)


def _locked(until: datetime, now: datetime) -> Verdict:
    return Verdict(False, LOCKED.format(minutes=max(1, math.ceil((until - now).total_seconds() / 60))))


def note(username: str, address: str, succeeded: bool) -> None:
    db.session.add(LoginAttempt(username=username, address=address, succeeded=succeeded, at=utcnow()))


def recent_failures(user: User) -> tuple[int, int]:
    """For the account page: failures counting against the account now, and from how
    many addresses."""
    now = utcnow()
    since = max(t for t in (now - current_app.config["LOGIN_ACCOUNT_WINDOW"], user.login_unlocked_at) if t)
    return db.session.execute(
        select(func.count(), func.count(LoginAttempt.address.distinct())).where(
            LoginAttempt.username == user.username, LoginAttempt.succeeded.is_(False), LoginAttempt.at > since
        )
    ).one()
