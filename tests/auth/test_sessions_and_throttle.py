from datetime import timedelta

import pytest

from app.auth.models import LoginAttempt
from app.extensions import db
from app.web.security import is_safe_next
from tests.conftest import user_by_name

PASSWORD = "demo-chibo-2026"


def _login(client, username, password=PASSWORD, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": username, "password": password})


def test_login_and_logout(client, fresh_user):
    response = _login(client, fresh_user)
    assert response.status_code == 303
    assert client.get("/").status_code == 302  # home redirects to the user's unit
    assert client.post("/logout").status_code == 303
    assert "/login" in client.get("/").headers["Location"]


def test_wrong_password_is_refused_in_vietnamese(client, fresh_user):
    response = _login(client, fresh_user, "sai-mat-khau")
    assert response.status_code == 422
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)


def test_logout_invalidates_a_copied_session_cookie(app, fresh_user):
    first, second = app.test_client(), app.test_client()
    _login(first, fresh_user)
    cookie = first.get_cookie("session")
    second.set_cookie("session", cookie.value)
    assert second.get("/").status_code == 302 and "/units/" in second.get("/").headers["Location"]
    first.post("/logout")
    assert "/login" in second.get("/").headers["Location"]


def test_password_change_ends_other_sessions_but_keeps_this_one(app, fresh_user):
    this, other = app.test_client(), app.test_client()
    _login(this, fresh_user)
    _login(other, fresh_user)
    response = this.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "mat-khau-moi-2026", "confirm": "mat-khau-moi-2026"},
    )
    assert response.status_code == 303
    assert "/units/" in this.get("/").headers["Location"]
    assert "/login" in other.get("/").headers["Location"]
    assert _login(app.test_client(), fresh_user, "mat-khau-moi-2026").status_code == 303


def test_password_change_errors_are_inline(client, login_as, fresh_user):
    _login(client, fresh_user)
    response = client.post(
        "/account/password", data={"current_password": "sai", "new_password": "ngan", "confirm": "khac"}
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Mật khẩu phải có từ 10" in body and "không khớp" in body


def test_deactivating_an_account_ends_its_sessions(app, client, login_as, fresh_user):
    victim = app.test_client()
    _login(victim, fresh_user)
    with app.app_context():
        user_id = user_by_name(fresh_user).id
    login_as("quantri")
    response = client.post(f"/accounts/{user_id}", data={"full_name": "Người Thử", "is_enabled": ""})
    assert response.status_code == 303
    assert "/login" in victim.get("/").headers["Location"]
    assert _login(app.test_client(), fresh_user).status_code == 422


def test_idle_and_absolute_timeouts(app, client, login_as):
    login_as("xa")
    with client.session_transaction() as session:
        session["seen_at"] = "2000-01-01T00:00:00"
    response = client.get("/")
    assert "/login" in response.headers["Location"]
    login_as("xa")
    with client.session_transaction() as session:
        session["auth_at"] = "2000-01-01T00:00:00"
    assert "/login" in client.get("/").headers["Location"]


@pytest.mark.parametrize(
    "target,safe",
    [
        ("/units/3", True),
        ("/members/search?q=an", True),
        ("//evil.example", False),
        ("http://evil.example/", False),
        ("/\\evil.example", False),
        ("", False),
        (None, False),
        ("javascript:alert(1)", False),
    ],
)
def test_safe_next(target, safe):
    assert is_safe_next(target) is safe


def test_login_never_redirects_off_site(client, fresh_user):
    response = _login(client, fresh_user, next_url="//evil.example/x")
    assert response.headers["Location"] == "/"


def test_login_follows_a_local_next(client, fresh_user):
    response = _login(client, fresh_user, next_url="/members/search")
    assert response.headers["Location"] == "/members/search"


def test_throttle_slows_then_refuses_then_recovers(app, client, fresh_user):
    config = app.config
    for _ in range(config["LOGIN_SLOW_AFTER"]):
        assert _login(client, fresh_user, "sai-mat-khau").status_code == 422
    slowed = _login(client, fresh_user, "sai-mat-khau")
    assert slowed.status_code == 429 and "Vui lòng đợi" in slowed.get_data(as_text=True)
    # Even the right password waits: the throttle answers before checking it.
    assert _login(client, fresh_user).status_code == 429

    def age_attempts(seconds):
        with app.app_context():
            # In Python: date arithmetic in SQL differs between SQLite and PostgreSQL.
            for attempt in db.session.scalars(db.select(LoginAttempt).where(LoginAttempt.username == fresh_user)):
                attempt.at -= timedelta(seconds=seconds)
            db.session.commit()

    for _ in range(config["LOGIN_MAX_FAILURES_PAIR"] - config["LOGIN_SLOW_AFTER"]):
        age_attempts(100)  # let the slow-down pass, but stay inside the window
        _login(client, fresh_user, "sai-mat-khau")
    age_attempts(60)
    locked = _login(client, fresh_user)
    assert locked.status_code == 429 and "tạm khóa" in locked.get_data(as_text=True)
    age_attempts(config["LOGIN_WINDOW"].total_seconds())
    assert _login(client, fresh_user).status_code == 303
