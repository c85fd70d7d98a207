"""Configuration, read from the environment; secrets live in instance/."""

import contextlib
import os
import secrets
from datetime import timedelta
from pathlib import Path

from app.files import MAX_UPLOAD_BYTES, REQUEST_ALLOWANCE, private_dir, write_private


def _instance_secret(instance_path: str) -> str:
    """A per-installation secret key kept in instance/secret_key (created once)."""
    path = private_dir(instance_path) / "secret_key"
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another worker wrote it first
            write_private(path, secrets.token_hex(32).encode())
    return path.read_text().strip()


class Config:
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Served over HTTPS (behind a TLS proxy): Secure cookies and HSTS (create_app).
    # SESSION_COOKIE_SECURE=1, the older spelling, still means the same.
    HTTPS = os.environ.get("HTTPS", os.environ.get("SESSION_COOKIE_SECURE")) == "1"
    HSTS_MAX_AGE = int(os.environ.get("HSTS_MAX_AGE", str(365 * 24 * 3600)))
    # Proxies in front of the app whose X-Forwarded-For/-Proto are believed (nginx: 1).
    # 0: none, the address is the connection's (with a proxy, every user looks the same).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Roles whose accounts must use a second login step (comma-separated role values,
    # e.g. "admin,district_office,commune_office"); empty: optional for everyone.
    REQUIRE_TOTP_FOR = os.environ.get("REQUIRE_TOTP_FOR", "")
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    # Session lifetimes: idle and absolute, checked on the server side.
    SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "60")))
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12")))
    # Committee terms for document numbers: five-year congress cycles from 2020.
    PARTY_TERM_FIRST_YEAR = int(os.environ.get("PARTY_TERM_FIRST_YEAR", "2020"))
    PARTY_TERM_YEARS = int(os.environ.get("PARTY_TERM_YEARS", "5"))
    # Login throttling (shared by all workers: stored in the database; the rules are
    # explained in app/auth/throttle.py).
    LOGIN_WINDOW = timedelta(minutes=15)
    LOGIN_SLOW_AFTER = 3  # failures of an account at an address before each try must wait
    LOGIN_MAX_FAILURES_PAIR = 8  # locks the account at that address for the window
    LOGIN_MAX_FAILURES_ADDRESS = 30  # locks the address for names not used from it
    LOGIN_KNOWN_FOR = timedelta(days=30)  # an address an account signed in from is known
    LOGIN_ACCOUNT_WINDOW = timedelta(hours=24)
    LOGIN_ACCOUNT_SLOW_AFTER = 10  # failures from any addresses: unknown ones then wait
    LOGIN_ACCOUNT_MAX_WAIT = timedelta(minutes=15)
    MAX_CONTENT_LENGTH = MAX_UPLOAD_BYTES + REQUEST_ALLOWANCE  # the one upload limit: app/files.py
    PAGE_SIZE = 50
    # PDFs rendered at once on one server (each a Chromium: a core, ~200 MB), and how long
    # a request waits for a free slot before it is told to try again (app/printing/slots.py).
    PDF_CONCURRENCY = int(os.environ.get("PDF_CONCURRENCY", "1"))
    PDF_WAIT_SECONDS = float(os.environ.get("PDF_WAIT_SECONDS", "5"))

    @staticmethod
    def database_uri(instance_path: str) -> str:
        url = os.environ.get("DATABASE_URL")
        if url:
            # Accept the common postgres:// spelling and use psycopg 3.
            if url.startswith("postgres://"):
                url = "postgresql://" + url[len("postgres://") :]
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url[len("postgresql://") :]
            return url
        return "sqlite:///" + str(Path(instance_path) / "chibo.db")


class TestConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    SERVER_NAME = "localhost"
