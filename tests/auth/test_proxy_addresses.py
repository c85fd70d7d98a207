"""Behind nginx every connection comes from the proxy: with TRUSTED_PROXIES the app
takes the client's address from X-Forwarded-For (as many hops as declared), without it
the header is ignored (a client could otherwise pick any address to escape the throttle)."""

import itertools

import pytest
from sqlalchemy import select

from app import create_app
from app.auth.models import LoginAttempt
from app.config import TestConfig
from app.extensions import db

pytestmark = pytest.mark.committing  # a second app on the database commits its attempts

_names = itertools.count(1)


def _recorded_address(app, trusted: int, headers: dict) -> str:
    behind = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], TRUSTED_PROXIES=trusted
    )
    username = f"khong-co-proxy-{trusted}-{next(_names)}"
    try:
        response = behind.test_client().post(
            "/login",
            data={"username": username, "password": "sai"},
            headers=headers,
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
        assert response.status_code == 422
        with behind.app_context():
            return db.session.scalars(select(LoginAttempt.address).where(LoginAttempt.username == username)).one()
    finally:
        with behind.app_context():
            db.engine.dispose()


def test_one_trusted_proxy_gives_the_client_address(app):
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    assert _recorded_address(app, 1, forwarded) == "203.0.113.9"


def test_only_the_declared_hops_are_believed(app):
    # The client wrote its own X-Forwarded-For; nginx appended the address it saw.
    spoofed = {"X-Forwarded-For": "10.9.9.9, 203.0.113.9"}
    assert _recorded_address(app, 1, spoofed) == "203.0.113.9"


def test_without_trusted_proxies_the_header_is_ignored(app):
    assert _recorded_address(app, 0, {"X-Forwarded-For": "203.0.113.9"}) == "127.0.0.1"
