"""Login throttling that an attacker cannot turn against others (issue 12, V7/V8):
counted per account and address, per address and per account, never reset by someone
else's success; a flood of made-up names or wrong passwords from one address cannot lock
the owner out at theirs."""

import pytest

from app.audit.models import AuditEntry
from app.auth.models import LoginAttempt
from app.extensions import db
from tests.auth.conftest import PASSWORD
from tests.conftest import user_by_name

ATTACKER = "10.0.0.66"
OWNER = "10.0.0.5"


def _login(client, username, password=PASSWORD, address=ATTACKER):
    return client.post(
        "/login", data={"username": username, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def _refused(response) -> bool:
    return response.status_code == 429


@pytest.fixture()
def small_limits(app, monkeypatch):
    """The same rules with smaller numbers, so a test needs a few requests, not 30."""
    for key, value in {"LOGIN_MAX_FAILURES_ADDRESS": 6, "LOGIN_ACCOUNT_SLOW_AFTER": 5}.items():
        monkeypatch.setitem(app.config, key, value)


def test_a_success_does_not_reset_the_address_counter(app, client, fresh_user, small_limits):
    """V7: an attacker with an account of their own logs in between guesses."""
    limit = app.config["LOGIN_MAX_FAILURES_ADDRESS"]
    for i in range(limit - 1):
        assert _login(client, f"khong-co-{i}", "doan-mo").status_code == 422
    assert _login(client, fresh_user).status_code == 303
    client.post("/logout")
    assert _login(client, "khong-co-x", "doan-mo").status_code == 422  # the limit-th failure
    assert _refused(_login(client, "khong-co-y", "doan-mo"))


def test_a_flood_of_made_up_names_locks_only_that_address_for_names_not_used_there(
    app, client, fresh_user, small_limits
):
    """V8: without a proxy fix everyone comes from one address; 30 made-up names then
    locked every account. Now the address is locked for names never used from it, and an
    account that signs in from there (or anywhere else) still can."""
    owner_here = fresh_user
    assert _login(client, owner_here).status_code == 303  # the owner's usual place
    client.post("/logout")
    for i in range(app.config["LOGIN_MAX_FAILURES_ADDRESS"]):
        _login(client, f"bia-dat-{i}", "doan-mo")
    flooded = _login(client, "bia-dat-moi", "doan-mo")
    assert _refused(flooded) and "tạm khóa" in flooded.get_data(as_text=True)
    assert _refused(_login(client, "xa"))  # never used from the flooding address
    assert _login(client, owner_here).status_code == 303
    client.post("/logout")
    assert _login(app.test_client(), "xa", address=OWNER).status_code == 303


def test_wrong_passwords_from_an_attacker_do_not_lock_the_owner_at_their_address(app, client, fresh_user):
    """V8: eight wrong passwords locked a named account for everybody."""
    for _ in range(app.config["LOGIN_MAX_FAILURES_PAIR"]):
        _login(client, fresh_user, "doan-mo")
    assert _refused(_login(client, fresh_user))  # the attacker's address is locked for it
    assert _login(app.test_client(), fresh_user, address=OWNER).status_code == 303


def test_an_account_guessed_from_many_addresses_is_slowed_everywhere_but_at_known_ones(
    app, client, fresh_user, small_limits
):
    assert _login(client, fresh_user, address=OWNER).status_code == 303
    client.post("/logout")
    for i in range(app.config["LOGIN_ACCOUNT_SLOW_AFTER"]):
        assert _login(app.test_client(), fresh_user, "doan-mo", address=f"10.1.0.{i}").status_code == 422
    slowed = _login(app.test_client(), fresh_user, address="10.1.1.1")
    assert _refused(slowed) and "văn phòng" in slowed.get_data(as_text=True)
    assert _login(client, fresh_user, address=OWNER).status_code == 303  # the owner's own address


def test_made_up_and_real_names_are_throttled_alike(app, small_limits):
    """The account-wide count keys on the name typed, so it does not tell whether it exists."""
    answers = []
    for name in ("thu-khong-co", "xa"):
        for i in range(app.config["LOGIN_ACCOUNT_SLOW_AFTER"]):
            _login(app.test_client(), name, "doan-mo", address=f"10.2.{len(answers)}.{i}")
        answer = _login(app.test_client(), name, "doan-mo", address="10.2.9.9")
        answers.append((answer.status_code, answer.get_data(as_text=True).count("văn phòng")))
    assert answers[0] == answers[1] and answers[0][0] == 429


def test_refused_attempts_are_not_counted(app, client, fresh_user):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PAIR"] + 3):
        _login(client, fresh_user, "doan-mo")
    with app.app_context():
        failures = db.session.scalar(
            db.select(db.func.count()).where(LoginAttempt.username == fresh_user, LoginAttempt.succeeded.is_(False))
        )
    assert failures == app.config["LOGIN_SLOW_AFTER"]  # the slow-down refuses the rest unchecked


def test_an_office_unlocks_an_account_of_its_cells(app, client, login_as, small_limits):
    attacker = app.test_client()
    pair_failures = app.config["LOGIN_SLOW_AFTER"]
    for _ in range(pair_failures):
        _login(attacker, "bithu", "doan-mo")
    others = app.config["LOGIN_ACCOUNT_SLOW_AFTER"] - pair_failures
    for i in range(others):
        _login(attacker, "bithu", "doan-mo", address=f"10.3.0.{i}")
    assert _refused(_login(app.test_client(), "bithu", address="10.3.1.1"))  # slowed account-wide
    assert _refused(_login(app.test_client(), "bithu"))  # and at the attacker's address
    with app.app_context():
        account = user_by_name("bithu").id
    login_as("xa")
    page = client.get(f"/accounts/{account}").get_data(as_text=True)
    failures = app.config["LOGIN_ACCOUNT_SLOW_AFTER"]
    assert f"{failures} lần nhập sai trong 24 giờ qua, từ {others + 1} địa chỉ" in page
    assert client.post(f"/accounts/{account}/unlock").status_code == 303
    with app.app_context():
        entry = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.action, entry.object_id, entry.actor_id) == ("account.unlock", account, user_by_name("xa").id)
    assert "Không có lần nhập sai nào" in client.get(f"/accounts/{account}").get_data(as_text=True)
    assert _login(app.test_client(), "bithu", address="10.3.1.1").status_code == 303


def test_unlocking_lets_the_name_through_a_flooded_address(app, client, login_as, small_limits):
    for i in range(app.config["LOGIN_MAX_FAILURES_ADDRESS"]):
        _login(app.test_client(), f"bia-dat-{i}", "doan-mo")
    assert _refused(_login(app.test_client(), "bithu"))
    with app.app_context():
        account = user_by_name("bithu").id
    login_as("xa")
    client.post(f"/accounts/{account}/unlock")
    assert _login(app.test_client(), "bithu").status_code == 303
    assert _refused(_login(app.test_client(), "phobithu"))  # the address stays locked for others


@pytest.mark.parametrize("manager", ["bithu", "huyen-khac"])
def test_only_a_manager_of_the_account_may_unlock_it(app, client, login_as, manager):
    with app.app_context():
        account = user_by_name("xa").id
        if manager == "huyen-khac":  # the office of the other district
            from app.auth import services
            from app.org.models import OrgUnit, Role

            other = db.session.scalars(db.select(OrgUnit).where(OrgUnit.kind == "district")).all()[-1]
            services.create_account(
                None,
                username=manager,
                full_name="Văn phòng khác",
                password=PASSWORD,
                role=Role.district_office,
                unit=other,
            )
            db.session.commit()
    login_as(manager)
    assert client.post(f"/accounts/{account}/unlock").status_code == 404
    with app.app_context():
        assert user_by_name("xa").login_unlocked_at is None
