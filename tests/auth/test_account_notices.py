"""The owner of an account sees, on the page after login, what other people changed on
it (roles granted and ended, password reset, locking) until they acknowledge it."""

from datetime import timedelta

from app.auth import notices, services
from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.org.models import OrgUnit, Role
from tests.conftest import user_by_name

PASSWORD = "mat-khau-ban-dau"


def _account(world, username="duoc_bao"):
    return services.create_account(
        None,
        username=username,
        full_name="Người Được Báo",
        password=PASSWORD,
        role=Role.viewer,
        unit=db.session.get(OrgUnit, world["cell"]),
    )


def _login(client, username, password=PASSWORD, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": username, "password": password})


def test_pending_lists_what_others_changed_in_one_query(ctx, world, count_queries):
    account = _account(world)
    assert notices.pending(account) == []  # made by the system: nobody to report
    xa = user_by_name("xa")
    assignment = services.grant_role(xa, account, Role.cell_deputy, db.session.get(OrgUnit, world["cell"]))
    services.end_role(xa, assignment)
    services.update_account(xa, account, full_name=account.full_name, is_enabled=True, new_password="mat-khau-moi-99")
    services.change_password(account, "mat-khau-cua-toi")  # the owner's own change: not news
    db.session.flush()
    with count_queries() as statements:
        entries = notices.pending(account)
    assert len(statements) == 1
    assert [e.action for e, _, _ in entries] == ["role.grant", "role.end", "account.update"]
    assert {(name, username) for _, name, username in entries} == {(xa.full_name, "xa")}
    assert "đặt lại mật khẩu" in entries[-1][0].summary
    notices.acknowledge(account)
    db.session.flush()
    assert notices.pending(account) == []


def test_supervision_assignments_are_reported_too(ctx, world):
    from app.supervision import services as supervision

    account = _account(world)
    account.member_id = db.session.scalars(db.select(User.member_id).where(User.member_id.is_not(None))).first()
    account.notices_seen_at = utcnow() - timedelta(seconds=1)
    supervision.assign(
        user_by_name("xa"), account, [db.session.get(OrgUnit, world["cell"])], "follows", "commune", utcnow().date()
    )
    db.session.flush()
    assert [e.action for e, _, _ in notices.pending(account)] == ["supervision.assign"]


def test_login_shows_the_notice_until_acknowledged(app, client, login_as, world):
    with app.test_request_context():
        account = _account(world)
        db.session.commit()
        account_id = account.id
    login_as("xa")
    reset = {"full_name": "Người Được Báo", "is_enabled": "y", "new_password": "mat-khau-moi-99"}
    assert client.post(f"/accounts/{account_id}", data=reset).status_code == 303
    client.post("/logout")
    response = _login(client, "duoc_bao", "mat-khau-moi-99", next_url="/members/search")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/account/notices?next=")
    page = client.get(response.headers["Location"])
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Thay đổi trên tài khoản của bạn" in body
    assert "(xa)" in body and "đặt lại mật khẩu" in body
    done = client.post("/account/notices", data={"next": "/members/search"})
    assert done.status_code == 303 and done.headers["Location"] == "/members/search"
    assert "đặt lại mật khẩu" not in client.get("/account/notices").get_data(as_text=True)
    client.post("/logout")
    assert _login(client, "duoc_bao", "mat-khau-moi-99").headers["Location"] == "/"


def test_acknowledging_is_a_post_and_ignores_an_outside_next(app, client, login_as, world):
    with app.test_request_context():
        account = _account(world, "bao_ngoai")
        services.grant_role(user_by_name("xa"), account, Role.viewer, db.session.get(OrgUnit, world["sibling_cell"]))
        db.session.commit()
    login_as("bao_ngoai")
    assert client.get("/account/notices?next=//evil.example/").status_code == 200
    with app.app_context():
        assert user_by_name("bao_ngoai").notices_seen_at is None  # GET changes nothing
    response = client.post("/account/notices", data={"next": "//evil.example/"})
    assert response.headers["Location"] == "/"
    with app.app_context():
        assert user_by_name("bao_ngoai").notices_seen_at is not None
