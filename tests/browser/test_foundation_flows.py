"""What a person does in the browser: log in as each role, walk the tree, search,
import a member file. Also: nothing is loaded from outside the LAN server."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

LANDING = {  # account -> heading of the unit it lands on
    "quantri": "Đảng bộ tỉnh Ninh Bình",
    "huyen": "Đảng bộ huyện Hoa Lư",
    "xa": "Đảng bộ xã Ninh Hải",
    "giamsat": "Lịch dự sinh hoạt của tôi",
    "xem": "Đảng bộ huyện Hoa Lư",
}


@pytest.mark.parametrize("username", [*LANDING, "bithu"])
def test_each_demo_role_logs_in_and_lands_on_its_unit(page, live_url, username):
    login(page, live_url, username)
    heading = page.locator("h1").first.inner_text()
    assert LANDING.get(username, "Chi bộ") in heading
    assert page.locator(".who-name").is_visible()
    assert page.outside_requests == [] and page.console_errors == []


def test_navigate_tree_to_a_member_profile_with_breadcrumbs(page, live_url):
    login(page, live_url, "huyen")
    page.click("#children a >> text=Đảng bộ xã Ninh Hải")
    page.wait_for_selector("h1:has-text('Đảng bộ xã Ninh Hải')")
    page.locator("#children tbody tr a").first.click()
    page.wait_for_selector("text=Danh sách đảng viên")
    assert "Đảng bộ huyện Hoa Lư" in page.locator(".breadcrumbs").inner_text()
    page.click("text=Danh sách đảng viên")
    page.wait_for_selector("#roster")
    name = page.locator("#roster tbody tr a").first.inner_text()
    page.locator("#roster tbody tr a").first.click()
    page.wait_for_selector(f"h1:has-text('{name}')")
    assert "Quá trình sinh hoạt" in page.content()
    page.go_back()
    page.wait_for_selector("#roster")


def test_active_search_with_and_without_diacritics(page, live_url):
    login(page, live_url, "xa")
    page.click("nav >> text=Tìm đảng viên")
    page.wait_for_selector("#member-search")
    page.type("#member-search", "nguyen van", delay=20)
    page.wait_for_selector("#search-results li")
    without = page.locator("#search-results li").all_inner_texts()
    assert without and all("Nguyễn Văn" in t for t in without)
    page.fill("#member-search", "")
    page.type("#member-search", "Nguyễn Văn", delay=20)
    page.wait_for_function("document.querySelector('#member-search').value === 'Nguyễn Văn'")
    # expect() retries until the last debounced search has been swapped in.
    expect(page.locator("#search-results li")).to_have_text(without)
    assert page.console_errors == []


def test_import_a_member_file_with_preview(page, live_url, tmp_path):
    csv_file = tmp_path / "danh-sach.csv"
    csv_file.write_text(
        "Họ và tên;Giới tính;Ngày sinh;Ngày vào Đảng;Ngày chính thức\n"
        "Trịnh Văn Nhập;Nam;02/09/1985;19/05/2010;19/05/2011\n"
        "Quách Thị Duyệt;Nữ;01/01/1992;03/02/2020;\n",
        encoding="utf-8",
    )
    login(page, live_url, "bithu")
    page.click("text=Danh sách đảng viên")
    page.click("text=Nhập từ tệp")
    page.set_input_files("#file", str(csv_file))
    page.click("button:has-text('Xem trước')")
    page.wait_for_selector("#import-preview")
    assert "2 dòng, 0 dòng có lỗi" in page.locator("#import-preview h2").inner_text()
    page.click("button:has-text('Xác nhận nhập 2 đảng viên')")
    page.wait_for_selector("#roster")
    roster = page.locator("#roster").inner_text()
    assert "Trịnh Văn Nhập" in roster and "Quách Thị Duyệt" in roster
    assert "Đã nhập 2 đảng viên" in page.locator(".flashes").inner_text()


def test_forms_show_inline_errors_and_keep_input(page, live_url):
    login(page, live_url, "xa")
    page.click("text=+ Thêm đơn vị trực thuộc")
    page.fill("#name", "Chi bộ thôn Mới Lập")
    page.fill("#meeting_day", "40")
    page.click("button:has-text('Lưu')")
    page.wait_for_selector(".error")
    assert "Ngày sinh hoạt phải từ 1 đến 28" in page.locator(".error").first.inner_text()
    assert page.input_value("#name") == "Chi bộ thôn Mới Lập"
    page.fill("#meeting_day", "12")
    page.select_option("#cell_type", "residential")
    page.click("button:has-text('Lưu')")
    page.wait_for_selector("h1:has-text('Chi bộ thôn Mới Lập')")
    assert "Đã tạo Chi bộ thôn Mới Lập" in page.locator(".flashes").inner_text()
