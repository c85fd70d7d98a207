from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.db import Base, utcnow

# scrypt is memory-hard; werkzeug's parameters (N=2^15, r=8, p=1) use 32 MiB a hash.
PASSWORD_METHOD = "scrypt"  # nosec B105  # an algorithm name, not a password


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    # Bumped on logout-everywhere, password change and deactivation: every session
    # cookie carries the number it was issued with, and stops working when it changes.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Changes others made to the account up to here were acknowledged (app/auth/notices.py).
    notices_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Failed logins before this moment no longer count against the account (an office
    # unlocked it: app/auth/throttle.py).
    login_unlocked_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Two-step login (app/auth/totp.py): the shared secret, set when enrolment starts and
    # in force once confirmed with a code; the last time step accepted (no code twice).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    roles = relationship("RoleAssignment", order_by="RoleAssignment.from_on", viewonly=True)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.is_enabled

    @property
    def has_totp(self) -> bool:
        return self.totp_confirmed_at is not None


class LoginAttempt(Base):
    """Failed and successful logins: the throttle every worker reads."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60))
    address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )
