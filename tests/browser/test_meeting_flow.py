"""The commune office runs a cell's meeting in the browser, from the year plan to the
printed minutes with an erratum."""

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.org.models import OrgUnit
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_commune_office_plans_prepares_holds_minutes_adopts_and_prints(page, live_url, app, cell):
    with app.app_context():
        cell_name = db.session.scalars(select(OrgUnit.name).where(OrgUnit.id == cell)).one()
    login(page, live_url, "xa")
    page.goto(f"{live_url}/units/{cell}")
    page.click(".actions a:has-text('Sinh hoạt chi bộ')")
    page.wait_for_selector(f"h1:has-text('{cell_name}')")

    # Plan the year: twelve regular meetings on the fixed day.
    page.click("button:has-text('Lập kế hoạch năm')")
    page.wait_for_selector("#meetings")
    assert page.locator("#meetings tbody tr").count() == 12

    # Prepare last month's meeting (or this month's, early in January).
    month = max(1, date.today().month - 1)
    page.locator("#meetings tbody tr").nth(month - 1).locator("a").first.click()
    page.wait_for_selector("#agenda-items")
    page.fill("#agenda-add #title", "Góp ý dự thảo quy ước thôn")
    page.fill("#agenda-add #planned_minutes", "15")
    page.click("#agenda-add button[type=submit]")
    # An added item goes before the closing item, which stays last.
    page.wait_for_selector("#agenda-items li:nth-last-child(2):has-text('Góp ý dự thảo quy ước thôn')")
    page.locator("#agenda-items li:nth-last-child(2) button[value=up]").click()
    page.wait_for_selector("#agenda-items li:nth-last-child(3):has-text('Góp ý dự thảo quy ước thôn')")
    assert "Tổng thời lượng dự kiến" in page.inner_text("#agenda-total")

    page.set_input_files(
        "#document-file", files=[{"name": "du-thao.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.fill("#documents #title", "Dự thảo nghị quyết tháng")
    page.click("#documents button:has-text('Tải lên')")
    page.wait_for_selector("#documents a:has-text('Dự thảo nghị quyết tháng')")

    page.fill("#notified_at", f"{date.today().year}-{month:02d}-01T08:00")
    page.fill("#notifications #method", "Giấy mời")
    page.click("#notifications button[type=submit]")
    page.wait_for_selector("#notifications li:has-text('Giấy mời')")

    page.click("button:has-text('Đã chuẩn bị xong')")
    page.wait_for_selector(".badge:has-text('Đã chuẩn bị')")
    page.click("text=Ghi nhận đã họp")
    page.click("button:has-text('Xác nhận đã họp')")
    page.wait_for_selector(".badge:has-text('Đã họp')")

    # Roll call: everyone present, then one excused absence; the tally follows.
    page.click(".steps >> text=Điểm danh")
    page.click("button:has-text('Tất cả có mặt')")
    page.wait_for_selector("#attendance-tally:has-text('2/2')")
    second = page.locator("#attendance tbody tr").nth(1)
    second.locator("summary").click()
    second.locator("input[name=reason]").fill("Đi công tác")
    second.locator("button[value=excused]").click()
    page.wait_for_selector("#attendance-tally:has-text('1/2')")
    page.wait_for_selector("#attendance tbody tr:nth-child(2):has-text('Đi công tác')")
    second = page.locator("#attendance tbody tr").nth(1)
    second.locator("button[value=present]").click()
    page.wait_for_selector("#attendance-tally:has-text('2/2')")

    # Minutes: open, fill, two speakers and a task, the vote, save.
    page.click("text=Về cuộc họp")
    page.click(".steps >> text=Biên bản")
    page.click("button:has-text('Lập biên bản')")
    page.wait_for_selector("#minutes-form", state="attached")
    page.fill("#started_at", "19:30")
    page.fill("#ended_at", "21:10")
    page.select_option("#chair_id", index=1)
    page.select_option("#minute_taker_id", index=2)
    page.fill("#resolution", "Chi bộ thống nhất hoàn thành quy ước thôn trong tháng.")
    page.fill("#votes_for", "2")
    page.fill("#votes_against", "0")
    page.fill("#votes_other", "0")
    page.click(".save-bar button")
    page.wait_for_selector(".flash-success:has-text('Đã lưu biên bản')")

    discussion = page.locator("article.minutes-item", has_text="Thảo luận")
    speakers = discussion.locator(".speakers")
    discussion.locator("summary:has-text('Thêm ý kiến')").click()
    discussion.locator("select[name=member_id]").select_option(index=1)
    discussion.locator("textarea[name=said]").fill("Đề nghị bổ sung điều khoản giữ gìn vệ sinh.")
    discussion.locator("button:has-text('+ Thêm ý kiến')").click()
    speakers.locator("li:has-text('bổ sung điều khoản')").wait_for()
    discussion.locator("input[name=name]").fill("Lê Văn Tư, Trưởng thôn")
    discussion.locator("textarea[name=said]").fill("Nhất trí với dự thảo.")
    discussion.locator("button:has-text('+ Thêm ý kiến')").click()
    speakers.locator("li:has-text('Nhất trí với dự thảo.')").wait_for()
    assert speakers.locator("li").count() == 2

    page.select_option("#tasks #assignee_id", index=1)
    page.fill("#tasks #description", "Hoàn thiện quy ước thôn, trình Ủy ban xã")
    page.click("#tasks button:has-text('Giao nhiệm vụ')")
    page.wait_for_selector("#tasks li:has-text('Hoàn thiện quy ước thôn')")

    # Adopt: the minutes lock.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Thông qua và khóa biên bản')")
    page.wait_for_selector(".flash-success:has-text('thông qua và khóa')")
    assert page.locator("#minutes-form").count() == 0 and page.locator("textarea").count() == 0
    assert "Đề nghị bổ sung điều khoản giữ gìn vệ sinh." in page.inner_text(".sheet-preview")

    # An erratum, then the print shows it.
    page.click("text=Ghi đính chính")
    page.fill("#text", "Sửa giờ kết thúc thành 21 giờ 15.")
    page.click("button:has-text('Ghi đính chính')")
    page.wait_for_selector(".flash-success")
    page.click("text=In biên bản")
    page.wait_for_selector("h1.doc-title")
    body = page.inner_text("body")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in body and "BIÊN BẢN" in body
    assert "ĐÍNH CHÍNH" in body and "21 giờ 15" in body and "Lê Văn Tư, Trưởng thôn" in body
    assert page.outside_requests == [] and page.console_errors == []
