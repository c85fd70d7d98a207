"""Personal data in the browser: member search keeps names out of every address, and a
party card number is shown masked until asked for."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_search_as_you_type_with_no_name_in_any_address(page, live_url):
    addresses = []
    page.on("request", lambda r: addresses.append((r.method, r.url, r.post_data or "")))
    login(page, live_url, "xa")
    page.click("nav >> text=Tìm đảng viên")
    page.wait_for_selector("#member-search")
    page.type("#member-search", "nguyen van", delay=20)
    page.wait_for_selector("#search-results li")
    hits = page.locator("#search-results li").all_inner_texts()
    assert hits and all("Nguyễn Văn" in t for t in hits)
    searches = [a for a in addresses if a[0] == "POST" and a[1].endswith("/members/search")]
    assert searches and "nguyen" in searches[-1][2]  # the name travels in the body
    assert not [a for a in addresses if "nguyen" in a[1].lower()]
    assert page.url == f"{live_url}/members/search"

    # The keyboard: Enter searches in place.
    page.fill("#member-search", "Nguyễn Văn")
    page.press("#member-search", "Enter")
    expect(page.locator("#search-results li")).to_have_text(hits)
    assert page.url == f"{live_url}/members/search"

    # Back from a profile brings the search back, still without the name in the address.
    first = hits[0].split(" ")[0:3]
    page.locator("#search-results li a").first.click()
    page.wait_for_selector("text=Quá trình sinh hoạt")
    assert re.search(r"/members/\d+$", page.url)
    page.go_back()
    expect(page.locator("#member-search")).to_have_value("Nguyễn Văn")
    expect(page.locator("#search-results li")).to_have_text(hits)
    assert page.url == f"{live_url}/members/search" and " ".join(first) in hits[0]
    page.go_forward()
    page.wait_for_selector("text=Quá trình sinh hoạt")
    assert not [a for a in addresses if "nguyen" in a[1].lower() or "nguy%e1" in a[1].lower()]
    assert page.console_errors == [], page.console_errors


def test_search_inside_a_unit_from_its_page(page, live_url):
    login(page, live_url, "huyen")
    page.click("#children a >> text=Đảng bộ xã Ninh Hải")
    page.wait_for_selector("h1:has-text('Đảng bộ xã Ninh Hải')")
    address = page.url
    page.type("#unit-search", "tran thi", delay=20)
    page.wait_for_selector("#search-results li")
    assert all("Trần Thị" in t for t in page.locator("#search-results li").all_inner_texts())
    assert page.url == address and "tran" not in page.url


def test_reveal_a_card_number_in_place(page, live_url):
    login(page, live_url, "bithu")
    page.locator("#roster tbody tr a, a >> text=Danh sách đảng viên").first.click()
    page.wait_for_selector("#roster")
    page.locator("#roster tbody tr a").first.click()
    page.wait_for_selector("text=Quá trình sinh hoạt")
    profile = page.url
    card = page.locator("#member-card-number")
    expect(card.locator(".masked")).to_have_text(re.compile(r"^•••• \w{4}$"))
    tail = card.locator(".masked").inner_text()[-4:]
    card.get_by_role("button", name="Hiện số thẻ đảng viên").click()
    expect(card.locator(".revealed")).to_have_text(re.compile(rf"^\w+{tail}$"))
    assert page.url == profile  # swapped in place, nothing pushed into history
    assert page.locator("#member-phone .masked").is_visible()  # the phone stays masked
    page.screenshot(path="/tmp/reveal.png")
    assert page.console_errors == [], page.console_errors
