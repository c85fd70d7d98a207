"""During a meeting the office records two self-criticisms, one criticism with a
commitment and one proposal; at the next meeting it reviews the commitment as done and
reports the proposal's answer. A sibling cell's secretary and the district office
cannot read those texts."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.org.models import OrgUnit
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

SELF_1 = "Nhận khuyết điểm chưa đọc tài liệu trước buổi họp"
SELF_2 = "Còn chậm nộp đảng phí tháng trước"
CRITICISM = "Đồng chí còn nể nang khi góp ý ở tổ dân phố"
COMMITMENT = "Góp ý thẳng thắn tại các buổi sinh hoạt tới"
PROPOSAL = "Đề nghị xã lắp đèn chiếu sáng ngõ 5"
ANSWER = "Ủy ban xã lắp trong tháng tới"


def _open_notes(page):
    page.click("#notes button:has-text('Mở ghi chép')")
    page.wait_for_selector("#notes-panel")


def _quick_add(page, row, kind, text, by=None, commitment=None):
    page.locator("#notes-panel .roster-notes a:has-text('+ Ghi chép')").nth(row).click()
    form = page.locator("form.quick-add")
    form.wait_for()
    form.locator("select[name=kind]").select_option(kind)
    if by:
        form.locator("select[name=by_member_id]").select_option(label=by)
    form.locator("textarea[name=text]").fill(text)
    if commitment:
        form.locator("input[name=commitment]").fill(commitment)
        form.locator("input[name=commitment_due]").fill((date.today() + timedelta(days=20)).isoformat())
    form.locator("button:has-text('Ghi')").click()
    page.wait_for_selector(f"#notes-panel .note:has-text('{text}')")


def test_notes_commitment_and_proposal_across_two_meetings(page, live_url, app, world, cell, held_meeting):
    with app.app_context():
        commune_id = db.session.get(OrgUnit, cell).parent_id
    login(page, live_url, "xa")
    page.goto(f"{live_url}/meetings/{held_meeting}")
    _open_notes(page)
    names = page.locator("#notes-panel .roster-notes tbody tr:not(.quick-row) td:first-child").all_inner_texts()
    _quick_add(page, 0, "self_criticism", SELF_1)
    _quick_add(page, 1, "self_criticism", SELF_2)
    _quick_add(page, 0, "criticism", CRITICISM, by=names[1], commitment=COMMITMENT)
    assert page.locator("#notes-panel .note").count() == 3
    assert COMMITMENT in page.inner_text("#notes-panel")

    # The proposal raised at the same meeting.
    page.click("#proposals summary")  # already open when there are none: clicking closes it
    if not page.locator("#proposal-content").is_visible():
        page.click("#proposals summary")
    page.fill("#proposal-content", PROPOSAL)
    page.click("#proposal-add button[type=submit]")
    page.wait_for_selector(f"#proposals li:has-text('{PROPOSAL}')")

    # The page itself shows counts only; htmx kept no copy of the texts.
    page.reload()
    body = page.inner_text("body")
    assert "3 ghi chép" in body and "2 tự phê bình" in body and SELF_1 not in body
    assert SELF_1 not in page.evaluate("JSON.stringify(localStorage)")

    # The commune answers the proposal from its inbox.
    page.goto(f"{live_url}/units/{commune_id}/proposals")
    row = page.locator(f"tr:has-text('{PROPOSAL}')")
    row.locator("textarea[name=answer]").fill(ANSWER)
    row.locator("button:has-text('Ghi trả lời')").click()
    page.wait_for_selector("text=Đã ghi trả lời")

    # The next meeting: the review item lists the commitment and the answer.
    page.goto(f"{live_url}/cells/{cell}/meetings/new")
    page.fill("#planned_on", date.today().isoformat())
    page.click("form.grid-form button:has-text('Lưu')")
    page.wait_for_selector("#agenda-items")
    review_item = page.inner_text("#agenda-items")
    assert "Cam kết sửa chữa cần kiểm điểm: 1" in review_item and ANSWER in review_item
    assert COMMITMENT not in review_item
    page.locator("#agenda-items li", has_text=ANSWER).locator("button:has-text('Đã thông báo')").click()
    page.wait_for_selector("text=Đã thông báo trả lời kiến nghị")
    _open_notes(page)
    row = page.locator("#notes-panel tr", has_text=COMMITMENT)
    row.locator("input[value=done]").check()
    row.locator("button:has-text('Ghi kết quả')").click()
    page.wait_for_selector("#notes-panel .alert-success:has-text('Đã ghi kết quả')")
    assert "Đã sửa chữa xong" in page.inner_text(f"#notes-panel tr:has-text('{COMMITMENT}')")
    # Leaving by a boosted link: htmx snapshots the page for its history, not the texts.
    page.click("text=Sổ kiến nghị của chi bộ")
    page.wait_for_selector("table#proposals")
    assert "Đã thông báo lại chi bộ" in page.inner_text("#proposals")
    stored = page.evaluate("JSON.stringify(localStorage)")
    assert COMMITMENT not in stored and CRITICISM not in stored
    assert not page.outside_requests

    # A sibling cell's secretary does not even see the meeting; the district office
    # sees counts and no way to open the texts.
    page.context.clear_cookies()
    login(page, live_url, "bithu")
    response = page.goto(f"{live_url}/meetings/{held_meeting}")
    assert response.status == 404 and SELF_1 not in page.content()
    page.context.clear_cookies()
    login(page, live_url, "huyen")
    page.goto(f"{live_url}/meetings/{held_meeting}")
    assert "3 ghi chép" in page.inner_text("#notes")
    assert page.locator("#notes button:has-text('Mở ghi chép')").count() == 0
    status = page.evaluate(
        """async (url) => {
            const token = document.querySelector('input[name=csrf_token]').value;
            const r = await fetch(url, {method: 'POST', headers: {'X-CSRFToken': token}});
            return r.status;
        }""",
        f"{live_url}/meetings/{held_meeting}/notes",
    )
    assert status == 403
    assert SELF_1 not in page.content() and CRITICISM not in page.content()
