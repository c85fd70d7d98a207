"""An ended session is answered the same way whichever check notices it first (the
session's own timeouts, the user's session version, or the CSRF token that went with
the session): htmx gets HX-Redirect to the login page, any other request a redirect,
and the login page says why and leads back to the page the user was on."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from app import create_app
from app.auth import services as auth_services
from app.config import TestConfig
from app.db import utcnow
from app.extensions import db
from tests.conftest import user_by_name

pytestmark = pytest.mark.committing  # see tests/conftest.py rolled_back

EXPIRED = "Phiên làm việc đã hết hạn"


@pytest.fixture()
def csrf_client(app, login_as):
    live = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="test-secret"
    )
    live.config["WTF_CSRF_ENABLED"] = True
    client = live.test_client()
    login_as("xa", client)
    return client


def _token(client, world):
    page = client.get(f"/units/{world['cell']}/edit").get_data(as_text=True)
    return page.split('"X-CSRFToken": "')[1].split('"')[0]


def _htmx(page_url, token):
    return {"HX-Request": "true", "HX-Current-URL": page_url, "X-CSRFToken": token}


def _next_of(location):
    return parse_qs(urlsplit(location).query).get("next", [None])[0]


def test_htmx_post_with_the_token_of_a_session_logged_out_in_another_tab(csrf_client, world):
    token = _token(csrf_client, world)
    page = f"http://localhost/units/{world['cell']}/edit"
    csrf_client.post("/logout", headers={"X-CSRFToken": token})  # the other tab
    response = csrf_client.post(f"/units/{world['cell']}/edit", data={"name": "Mới"}, headers=_htmx(page, token))
    assert response.status_code == 204
    assert _next_of(response.headers["HX-Redirect"]) == f"/units/{world['cell']}/edit"
    assert EXPIRED in csrf_client.get(response.headers["HX-Redirect"]).get_data(as_text=True)


def test_htmx_post_after_the_idle_timeout(csrf_client, world):
    token = _token(csrf_client, world)
    with csrf_client.session_transaction() as session:
        session["seen_at"] = (utcnow() - timedelta(minutes=61)).isoformat()
    page = f"http://localhost/units/{world['cell']}#members"
    response = csrf_client.post(f"/units/{world['cell']}/edit", data={"name": "Mới"}, headers=_htmx(page, token))
    assert response.status_code == 204 and _next_of(response.headers["HX-Redirect"]) == f"/units/{world['cell']}"
    assert EXPIRED in csrf_client.get("/login").get_data(as_text=True)
    # The session is gone with its token: the next request goes to the login page too.
    again = csrf_client.post(f"/units/{world['cell']}/edit", data={"name": "Mới"}, headers=_htmx(page, token))
    assert "/login" in again.headers["HX-Redirect"]


def test_htmx_post_after_the_password_was_changed_elsewhere(app, csrf_client, world):
    token = _token(csrf_client, world)
    with app.app_context():
        user = user_by_name("xa")
        auth_services.invalidate_sessions(user)
        db.session.commit()
    response = csrf_client.post(
        f"/units/{world['cell']}/edit", data={"name": "Mới"}, headers=_htmx("http://localhost/", token)
    )
    assert response.status_code == 204 and "/login" in response.headers["HX-Redirect"]
    assert EXPIRED in csrf_client.get("/login").get_data(as_text=True)


def test_plain_post_with_a_stale_token_lands_on_login_with_the_message(csrf_client, world):
    token = _token(csrf_client, world)
    csrf_client.post("/logout", headers={"X-CSRFToken": token})
    response = csrf_client.post(
        f"/units/{world['cell']}/edit",
        data={"name": "Mới", "csrf_token": token},
        headers={"Referer": f"http://localhost/units/{world['cell']}/edit"},
    )
    assert response.status_code == 302 and _next_of(response.headers["Location"]) == f"/units/{world['cell']}/edit"
    assert EXPIRED in csrf_client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_referrer_from_another_site_is_not_a_way_back(csrf_client, world):
    csrf_client.post("/logout", headers={"X-CSRFToken": _token(csrf_client, world)})
    response = csrf_client.post(f"/units/{world['cell']}/edit", headers={"Referer": "http://evil.example/x"})
    assert response.headers["Location"].endswith("/login")


def test_a_bad_token_in_a_live_session_is_a_400_with_its_message(csrf_client, world):
    response = csrf_client.post(
        f"/units/{world['cell']}/edit", data={"name": "Mới"}, headers={"HX-Request": "true", "X-CSRFToken": "bad"}
    )
    assert response.status_code == 400 and "Phiên biểu mẫu" in response.get_data(as_text=True)


def test_a_form_with_errors_from_a_boosted_post_keeps_the_address(client, login_as, world):
    login_as("xa")
    boosted = {"HX-Request": "true", "HX-Boosted": "true"}
    response = client.post(f"/units/{world['cell']}/edit", data={"name": ""}, headers=boosted)
    assert response.status_code == 422 and response.headers["HX-Push-Url"] == "false"
    # A redirect is followed by the browser: the page it lands on is pushed as usual.
    assert "HX-Push-Url" not in client.get(f"/units/{world['cell']}", headers=boosted).headers
