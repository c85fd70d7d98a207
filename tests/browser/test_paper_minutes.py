"""The commune office enters a meeting's minutes from the paper book, as offices do after
the fact: no start or end time was written, a commune delegate came and spoke, members
spoke to two items, a task was given and the resolution voted; then it prints."""

import re

import pytest

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


def test_office_enters_a_paper_minutes_and_prints_it(page, live_url, held_meeting):
    login(page, live_url, "xa")

    # Roll call from the paper book: both members present.
    page.goto(f"{live_url}/meetings/{held_meeting}/attendance")
    page.click("button:has-text('Tất cả có mặt')")
    page.wait_for_selector("#attendance-tally:has-text('2/2')")

    # The commune delegate who came, with his remarks; recorded once only.
    for attempt in (1, 2):
        page.goto(f"{live_url}/meetings/{held_meeting}/delegates/new")
        page.fill("#name", "Phạm Văn Năm")
        page.fill("#position", "Đảng ủy viên xã")
        page.fill("#remarks", "Chi bộ cần bám sát nghị quyết của Đảng ủy xã về giao thông nông thôn.")
        page.click(".form-actions button:has-text('Ghi')")
        if attempt == 1:
            page.wait_for_selector(".flash-success:has-text('Đã ghi đại biểu')")
        else:
            page.wait_for_selector("text=đã được ghi ở cuộc họp này")

    # Open the minutes as entered from paper, with no times written in the book.
    page.goto(f"{live_url}/meetings/{held_meeting}/minutes")
    page.fill("#paper_reference", "Sổ biên bản 2026, trang 12–14")
    page.click("button:has-text('Lập biên bản')")
    page.wait_for_selector("#minutes-form", state="attached")
    page.check("#times_not_recorded")
    page.select_option("#chair_id", index=1)
    page.select_option("#minute_taker_id", index=2)
    page.fill("#resolution", "Chi bộ thống nhất vận động nhân dân hiến đất làm đường liên thôn.")
    page.fill("#votes_for", "2")
    page.fill("#votes_against", "0")
    page.fill("#votes_other", "0")
    page.click(".save-bar button")
    page.wait_for_selector(".flash-success:has-text('Đã lưu biên bản')")

    # Speakers on two items, as the book has them.
    said = {
        "Thảo luận": "Đề nghị mỗi hộ góp ngày công làm đường.",
        "Đánh giá": "Tháng qua chi bộ hoàn thành chỉ tiêu thu quỹ.",
    }
    for title, text in said.items():
        item = page.locator("article.minutes-item", has_text=title).first
        item.locator("summary:has-text('Thêm ý kiến')").click()
        item.locator("select[name=member_id]").select_option(index=1)
        item.locator("textarea[name=said]").fill(text)
        item.locator("button:has-text('+ Thêm ý kiến')").click()
        item.locator(f".speakers li:has-text('{text}')").wait_for()

    page.select_option("#tasks #assignee_id", index=1)
    page.fill("#tasks #description", "Lập danh sách hộ hiến đất, báo cáo Đảng ủy xã")
    page.click("#tasks button:has-text('Giao nhiệm vụ')")
    page.wait_for_selector("#tasks li:has-text('Lập danh sách hộ hiến đất')")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Thông qua và khóa biên bản')")
    page.wait_for_selector(".flash-success:has-text('thông qua và khóa')")

    page.click("text=In biên bản")
    page.wait_for_selector("h1.doc-title")
    # Loaded as a whole page with the document's own stylesheet, not swapped into the app.
    page.wait_for_url(re.compile(r"/print/minutes$"))
    assert "Liberation Serif" in page.evaluate("getComputedStyle(document.querySelector('article.sheet')).fontFamily")
    body = page.inner_text("article.sheet")
    assert re.search(r"Số 0?1-BB/CB", body)
    part_one = _section(body, "I. THỜI GIAN", "II. NỘI DUNG")
    assert "biên bản giấy không ghi giờ" in part_one
    assert part_one.count("Phạm Văn Năm") == 1  # the delegate once
    part_two = _section(body, "II. NỘI DUNG", "III.")
    for text in said.values():
        assert text in part_two
    assert part_two.index("Đề nghị mỗi hộ") > part_two.index("Tháng qua chi bộ")  # agenda order
    assert "bám sát nghị quyết của Đảng ủy xã" in part_two  # the delegate's remarks, in the content
    part_three = body[body.index("III.") :]
    assert "Lập danh sách hộ hiến đất" in part_three and "tán thành 2" in part_three
    assert part_three.index("tán thành 2") < part_three.index("kết thúc") < part_three.index("THƯ KÝ")
    assert part_three.count("kết thúc") == 1
    assert page.locator("a:has-text('Tải PDF')").count() == 1
    assert page.outside_requests == []
    # The one error the browser logs is the refused second delegate (422).
    assert [e for e in page.console_errors if "422" not in e] == []
