"""The commune office drafts, edits and issues the month's resolution in the browser
(CSRF on), prints it, and checks its printed code on "Xác thực văn bản"."""

import pytest

from tests.browser.conftest import login
from tests.records.conftest import adopted_meeting  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


def test_office_issues_the_month_resolution_and_verifies_its_code(page, live_url, adopted_meeting):  # noqa: F811
    login(page, live_url, "xa")
    page.goto(f"{live_url}/meetings/{adopted_meeting}")
    page.click("nav.steps a:has-text('Nghị quyết')")
    page.click("button:has-text('Lập dự thảo nghị quyết')")
    page.wait_for_selector("#resolution-form")
    assert "Vận động các hộ hiến đất mở rộng đường" in page.input_value("#tasks")

    # Too long a summary is refused with a message, the text stays on screen.
    page.eval_on_selector("#summary", "el => el.removeAttribute('maxlength')")
    page.fill("#summary", "v" * 301)
    page.click("#resolution-form button[type=submit]")
    page.wait_for_selector("text=Trích yếu dài quá 300 ký tự.")

    page.fill("#summary", "về lãnh đạo thực hiện nhiệm vụ tháng tới")
    page.fill("#shortcomings", "Một số đảng viên chưa tham gia đầy đủ. Nguyên nhân: đi làm ăn xa.")
    page.click("#resolution-form button[type=submit]")
    page.wait_for_selector("text=Đã lưu dự thảo nghị quyết.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Ban hành nghị quyết')")
    page.wait_for_selector("text=Đã ban hành Nghị quyết số 01-NQ/CB.")

    page.click("a:has-text('In nghị quyết')")
    page.wait_for_selector("h1.doc-title:has-text('NGHỊ QUYẾT')")
    assert page.locator(".doc-number").inner_text() == "Số 01-NQ/CB"
    assert page.locator(".doc-seal svg").count() == 1
    code = page.locator(".doc-seal-code").inner_text()

    page.click("a:has-text('Quay lại'), a:has-text('Về cuộc họp')")
    page.click("nav.topnav a:has-text('Xác thực văn bản')")
    page.fill("#code", "ABCD-EFGH-2345")
    page.click("button:has-text('Kiểm tra')")
    page.wait_for_selector("#verify-result:has-text('Không tìm thấy văn bản nào có mã')")
    page.fill("#code", code.lower())
    page.click("button:has-text('Kiểm tra')")
    page.wait_for_selector("#verify-result:has-text('phiên bản hiện hành')")
    assert "đây là phiên bản hiện hành" in page.inner_text("#verify-result")
    assert "Nghị quyết số 01-NQ/CB" in page.inner_text("#verify-result")
    assert not page.outside_requests
    assert [e for e in page.console_errors if "422" not in e] == []  # only the refused save
