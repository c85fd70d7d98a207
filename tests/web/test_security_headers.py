"""Headers and cookies (issue 12, part 8): isolation headers on every response, HSTS and
Secure cookies over HTTPS, the site's data cleared at logout, no server banner, and
writes from another site refused even with a valid token."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from flask import session
from sqlalchemy import func, select

from app import create_app
from app.auth.models import LoginAttempt
from app.config import TestConfig
from app.extensions import db
from app.org.models import OrgUnit

ROOT = Path(__file__).resolve().parents[2]
CROSS = "Yêu cầu gửi từ một trang web khác"


def test_isolation_headers_on_every_response(client, login_as, world):
    login_as("xa")
    for url in ("/login", f"/units/{world['commune']}", "/healthz", "/static/js/app.js", "/khong-co"):
        headers = client.get(url).headers
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"] and "geolocation=()" in headers["Permissions-Policy"]
        assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would be ignored anyway
        assert "Server" not in headers


def _session_cookie(app) -> str:
    with app.test_request_context("/", base_url="https://localhost"):
        session["seen"] = True
        response = app.make_response("")
        app.session_interface.save_session(app, session, response)
        return response.headers["Set-Cookie"]


def test_https_sends_hsts_and_secure_cookies(app):
    secure = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], HTTPS=True)
    response = secure.test_client().get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == f"max-age={365 * 24 * 3600}"
    cookie = _session_cookie(secure)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert secure.config["REMEMBER_COOKIE_SECURE"]
    with secure.app_context():
        db.engine.dispose()


def test_plain_http_cookies_are_not_marked_secure(app):
    cookie = _session_cookie(app)
    assert "Secure" not in cookie and "HttpOnly" in cookie


def test_logout_clears_cookies_and_cache_but_keeps_unsaved_drafts(client, login_as):
    login_as("xa")
    response = client.post("/logout")
    assert response.status_code == 303
    # "storage" would wipe the minutes drafts kept for after the next login (issue 11).
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies"'
    # The browser drops this response's cookie too, so the message is not a flash.
    assert "Bạn đã đăng xuất" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Referer": "http://evil.example/trang"},
        {"Origin": "http://localhost.evil.example"},
    ],
)
def test_a_write_from_another_site_is_refused(app, client, login_as, world, headers):
    login_as("xa")
    with app.app_context():
        before = db.session.get(OrgUnit, world["cell"]).name
    response = client.post(f"/units/{world['cell']}/edit", data={"name": "Bị đổi tên"}, headers=headers)
    assert response.status_code == 403 and CROSS in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(OrgUnit, world["cell"]).name == before


def test_a_login_from_another_site_is_refused_before_it_counts(app, client):
    def attempts():
        with app.app_context():
            return db.session.scalar(select(func.count()).where(LoginAttempt.username == "xa"))

    before = attempts()
    response = client.post(
        "/login", data={"username": "xa", "password": "sai"}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403 and attempts() == before


def test_htmx_write_from_another_site_keeps_the_page(client, login_as, world):
    login_as("xa")
    response = client.post(
        f"/units/{world['cell']}/edit",
        data={"name": "Bị đổi tên"},
        headers={"HX-Request": "true", "Origin": "http://evil.example"},
    )
    assert response.status_code == 403 and response.headers["HX-Reswap"] == "afterbegin"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "http://localhost"}, {"Origin": "https://localhost:8443"}, {"Referer": "http://localhost/units"}],
)
def test_same_site_or_unmarked_writes_go_through(client, login_as, world, headers):
    """No header: the CSRF token alone decides (old browsers, privacy tools). Scheme and
    port may differ behind a TLS proxy; the host name may not."""
    login_as("xa")
    response = client.post(f"/units/{world['cell']}/edit", data={"name": ""}, headers=headers)
    assert response.status_code == 422  # reached the form (its own validation answers)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_sends_no_server_banner():
    """The production server, started as `make run` starts it (gunicorn.conf.py is read
    from the working directory)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"SECRET_KEY": "banner"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "--workers", "1", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/favicon.svg", timeout=5) as response:
                    headers = response.headers
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        assert headers["Server"] is None
        assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    finally:
        server.terminate()
        server.wait(10)
