"""Two-step login with a one-time code (issue 12, part 5): enrolment, the code window,
no code twice, the second step at login, a deployment requiring it for offices, and the
administrator's reset."""

import time

import pyotp
import pytest

from app.audit.models import AuditEntry
from app.auth import totp
from app.auth.models import LoginAttempt
from app.extensions import db
from tests.auth.conftest import PASSWORD
from tests.conftest import user_by_name

STEP = 30


def _enrolled(app, username):
    """Enrol the account directly (the service, as the enrolment page would); its secret."""
    with app.app_context():
        user = user_by_name(username)
        totp.start_enrolment(user)
        secret = user.totp_secret
        assert totp.confirm_enrolment(user, pyotp.TOTP(secret).now())
        db.session.commit()
        return secret


def _code(secret, steps_ahead=1):
    """A code of a later step (the enrolment used the current one; a code is never accepted twice)."""
    return pyotp.TOTP(secret).at(time.time() + steps_ahead * STEP)


# --- service ---------------------------------------------------------------------------


def test_a_code_is_accepted_one_step_either_side_and_never_twice(ctx):
    user = user_by_name("bithu")
    totp.start_enrolment(user)
    otp = pyotp.TOTP(user.totp_secret)
    now = 1_900_000_000.0
    assert not totp.verify(user, otp.at(now - 2 * STEP), now)  # too old
    assert not totp.verify(user, otp.at(now + 2 * STEP), now)  # too far ahead
    assert totp.verify(user, otp.at(now - STEP), now)  # clock drift, one step
    assert not totp.verify(user, otp.at(now - STEP), now)  # replayed
    current = otp.at(now)
    assert totp.verify(user, " ".join([current[:3], current[3:]]), now)  # as the app shows it
    assert not totp.verify(user, current, now)
    assert not totp.verify(user, otp.at(now - STEP), now)  # an older step after a newer one
    assert not totp.verify(user, "12345", now) and not totp.verify(user, "abcdef", now)


def test_enrolment_is_in_force_only_once_confirmed(ctx):
    user = user_by_name("bithu")
    totp.start_enrolment(user)
    assert not user.has_totp
    assert not totp.confirm_enrolment(user, "000000" if pyotp.TOTP(user.totp_secret).now() != "000000" else "111111")
    assert not user.has_totp
    assert totp.confirm_enrolment(user, pyotp.TOTP(user.totp_secret).now())
    assert user.has_totp
    secret = user.totp_secret
    totp.start_enrolment(user)  # a confirmed secret is never replaced by starting again
    assert user.totp_secret == secret


# --- views -----------------------------------------------------------------------------


def _password_step(client, username="bithu", next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": username, "password": PASSWORD})


def test_login_asks_for_the_code_after_the_password(app, client):
    secret = _enrolled(app, "bithu")
    response = _password_step(client, next_url="/members/search")
    assert response.status_code == 303 and response.headers["Location"] == "/login/code"
    assert "/login" in client.get("/").headers["Location"]  # not signed in yet
    page = client.get("/login/code").get_data(as_text=True)
    assert "Xác thực hai bước" in page and 'autocomplete="one-time-code"' in page
    wrong = client.post("/login/code", data={"code": "000000" if _code(secret) != "000000" else "111111"})
    assert wrong.status_code == 422 and "Mã xác thực không đúng" in wrong.get_data(as_text=True)
    right = client.post("/login/code", data={"code": _code(secret)})
    assert right.status_code == 303 and right.headers["Location"] == "/members/search"
    assert "/units/" in client.get("/").headers["Location"]


def test_a_used_code_does_not_sign_in_again(app, client):
    secret = _enrolled(app, "bithu")
    code = _code(secret)
    _password_step(client)
    assert client.post("/login/code", data={"code": code}).status_code == 303
    other = app.test_client()
    _password_step(other)
    assert other.post("/login/code", data={"code": code}).status_code == 422


def test_wrong_codes_count_towards_the_throttle(app, client):
    _enrolled(app, "bithu")
    _password_step(client)
    for _ in range(app.config["LOGIN_SLOW_AFTER"]):
        client.post("/login/code", data={"code": "000000"})
    slowed = client.post("/login/code", data={"code": "000000"})
    assert slowed.status_code == 429
    with app.app_context():
        failures = db.session.scalar(
            db.select(db.func.count()).where(LoginAttempt.username == "bithu", LoginAttempt.succeeded.is_(False))
        )
    assert failures >= app.config["LOGIN_SLOW_AFTER"]


def test_the_code_step_needs_the_password_step_first(client):
    response = client.post("/login/code", data={"code": "123456"})
    assert response.status_code == 303 and response.headers["Location"] == "/login"


def test_the_code_step_expires(app, client):
    secret = _enrolled(app, "bithu")
    _password_step(client)
    with client.session_transaction() as session:
        session["code_step"] = session["code_step"] | {"at": "2000-01-01T00:00:00"}
    assert client.post("/login/code", data={"code": _code(secret)}).headers["Location"] == "/login"


def test_enrolling_from_the_page(app, client, login_as):
    login_as("bithu")
    assert "Bật xác thực hai bước" in client.get("/account/two-factor").get_data(as_text=True)
    assert client.post("/account/two-factor/start").status_code == 303
    page = client.get("/account/two-factor").get_data(as_text=True)
    with app.app_context():
        secret = user_by_name("bithu").totp_secret
    assert secret in page and "otpauth://totp/" in page and "<svg" in page
    refused = client.post("/account/two-factor", data={"code": "12"})
    assert refused.status_code == 422
    done = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303
    with app.app_context():
        assert user_by_name("bithu").has_totp
        assert db.session.scalar(db.select(db.func.count()).where(AuditEntry.action == "account.totp_enrol")) >= 1
    assert "đang bật" in client.get("/account/two-factor").get_data(as_text=True)


@pytest.fixture()
def required_for_offices(app, monkeypatch):
    monkeypatch.setitem(app.config, "REQUIRE_TOTP_FOR", "admin,district_office,commune_office")


def test_a_required_role_must_enrol_before_anything_else(client, login_as, world, required_for_offices):
    login_as("xa")
    response = client.get(f"/units/{world['commune']}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/two-factor")
    htmx = client.post(f"/units/{world['cell']}/edit", data={"name": "x"}, headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"].endswith("/account/two-factor")
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "bắt buộc xác thực hai bước" in page
    assert client.post("/logout").status_code == 303


def test_other_roles_are_not_required(client, login_as, world, required_for_offices):
    login_as("bithu")
    assert client.get(f"/units/{world['cell']}").status_code == 200


def test_an_enrolled_office_works_normally_when_required(app, client, login_as, world, required_for_offices):
    _enrolled(app, "xa")
    login_as("xa")
    assert client.get(f"/units/{world['commune']}").status_code == 200


def test_only_an_administrator_resets_the_second_step(app, client, login_as):
    _enrolled(app, "bithu")
    with app.app_context():
        account_id = user_by_name("bithu").id
    login_as("xa")  # the commune office manages the account, but may not reset it
    assert client.post(f"/accounts/{account_id}/two-factor/reset").status_code == 403
    assert "Đặt lại xác thực hai bước" not in client.get(f"/accounts/{account_id}").get_data(as_text=True)
    login_as("quantri")
    assert "Đặt lại xác thực hai bước" in client.get(f"/accounts/{account_id}").get_data(as_text=True)
    assert client.post(f"/accounts/{account_id}/two-factor/reset").status_code == 303
    with app.app_context():
        assert not user_by_name("bithu").has_totp and user_by_name("bithu").totp_secret is None
        entry = db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.action == "account.totp_reset").order_by(AuditEntry.id.desc())
        ).first()
        assert entry.object_id == account_id and entry.actor_id == user_by_name("quantri").id
    # The password alone again; the owner is first shown the administrator's reset.
    assert _password_step(app.test_client()).headers["Location"] == "/account/notices?next=/"


def test_two_requests_with_the_same_code_at_once_sign_in_once(ctx):
    """The second read the account before the first marked the code used: the database
    still refuses it (a conditional update under the row's lock)."""
    from sqlalchemy.orm.attributes import set_committed_value

    user = user_by_name("bithu")
    totp.start_enrolment(user)
    db.session.flush()
    code, now = pyotp.TOTP(user.totp_secret).at(1_900_000_000), 1_900_000_000.0
    assert totp.verify(user, code, now)
    set_committed_value(user, "totp_last_step", None)  # what the other request had read
    assert not totp.verify(user, code, now)
