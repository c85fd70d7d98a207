"""The owner of an account sees, right after logging in, what an office changed on it,
and acknowledges it."""

import pytest

from app.auth import services
from app.auth.models import User
from app.extensions import db
from app.org.models import Role
from tests.browser.conftest import login
from tests.conftest import make_cell, user_by_name

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-bao-tin"


def test_owner_sees_and_acknowledges_the_changes_after_login(page, live_url, app, world):
    with app.test_request_context():
        cell = make_cell(world["commune"], "Chi bộ thôn Báo Tin")
        account = services.create_account(
            None, username="bao_tin", full_name="Lê Văn Báo", password=PASSWORD, role=Role.viewer, unit=cell
        )
        xa = user_by_name("xa")
        services.grant_role(xa, account, Role.cell_deputy, cell)
        db.session.commit()
        account_id, office_name = account.id, xa.full_name

    login(page, live_url, "bao_tin", PASSWORD)
    assert "/account/notices" in page.url
    notice = page.inner_text("#account-notices")
    assert "Thay đổi trên tài khoản của bạn" in notice
    assert f"{office_name} (xa)" in notice
    assert "Giao vai trò Phó Bí thư chi bộ tại Chi bộ thôn Báo Tin" in notice
    page.click("button:has-text('Tôi đã xem, tiếp tục')")
    page.wait_for_selector("#account-notices", state="detached")  # on to the home page
    assert "Chi bộ thôn Báo Tin" in page.content()
    with app.app_context():
        assert db.session.get(User, account_id).notices_seen_at is not None
    page.goto(f"{live_url}/account/notices")
    assert "Không có thay đổi mới" in page.inner_text("#account-notices")
    assert page.console_errors == []
