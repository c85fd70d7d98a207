"""Two-step login in the browser: enrol with the secret shown on the page, log out (the
site's cookies and cache are cleared, typed drafts kept) and log in with the password
and a code computed as an authenticator app would."""

import itertools
import time

import pyotp
import pytest

from app.auth import services
from app.extensions import db
from app.org.models import OrgUnit, Role
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

_accounts = itertools.count(1)


@pytest.fixture()
def account(app, world):
    with app.app_context():
        username = f"hai-buoc-{next(_accounts)}-{int(time.time())}"
        cell = db.session.get(OrgUnit, world["cell"])
        services.create_account(
            None, username=username, full_name="Người Hai Bước", password="demo-chibo-2026", role=Role.viewer, unit=cell
        )
        db.session.commit()
        return username


def test_enrol_then_log_in_with_a_code(page, live_url, account):
    login(page, live_url, account)
    page.click("text=Xác thực hai bước")
    page.click("button:has-text('Bật xác thực hai bước')")
    secret = page.text_content("#totp-secret").strip()
    assert page.locator(".totp-qr svg").count() == 1
    otp = pyotp.TOTP(secret)
    page.fill("#code", otp.now())
    page.click("button:has-text('Xác nhận và bật')")
    page.wait_for_selector("text=Đã bật xác thực hai bước")

    page.evaluate("localStorage.setItem('draft:bien-ban', 'chưa lưu')")
    page.click("button:has-text('Đăng xuất')")
    page.wait_for_selector("text=Bạn đã đăng xuất")
    assert page.evaluate("localStorage.getItem('draft:bien-ban')") == "chưa lưu"  # not "storage"

    login(page, live_url, account)
    assert page.url.endswith("/login/code")
    page.fill("#code", otp.at(time.time() + otp.interval))  # the enrolment used this step's code
    page.click("button:has-text('Xác nhận')")
    page.wait_for_selector(".who-name")
    assert "Người Hai Bước" in page.text_content(".who-name")
    assert not page.console_errors and not page.outside_requests
