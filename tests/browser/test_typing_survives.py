"""Typing survives: an ended session, adoption, a reload after a validation error,
leaving the page and form errors never lose what the user typed, and a failed request
always says why."""

from datetime import date, datetime, time, timedelta

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from app import maintenance
from app.attendance import services as attendance_services
from app.criticism.models import CriticismNote
from app.extensions import db
from app.meetings.models import Meeting
from app.minutes import services as minutes_services
from app.minutes.models import Minutes
from app.org.queries import roster
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

EXPIRED = "Phiên làm việc đã hết hạn"
RESTORED = "Đã khôi phục nội dung chưa lưu"
TYPED = "Chi bộ thống nhất sửa đường liên thôn trước mùa mưa."


def _expire_idle(page, live_url):
    """Make the browser's session look idle for two hours (signed like the live app's)."""
    signer = Flask("forge")
    signer.secret_key = "live"
    serializer = SecureCookieSessionInterface().get_signing_serializer(signer)
    cookie = next(c for c in page.context.cookies(live_url) if c["name"] == "session")
    data = serializer.loads(cookie["value"])
    data["seen_at"] = (datetime.fromisoformat(data["seen_at"]) - timedelta(hours=2)).isoformat()
    page.context.add_cookies([cookie | {"value": serializer.dumps(data)}])


def _log_in_again(page):
    page.fill("#username", "xa")
    page.fill("#password", "demo-chibo-2026")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture()
def minutes_of(app, held_meeting):
    """Minutes opened for the held meeting, everyone present."""
    with app.test_request_context():
        meeting = db.session.get(Meeting, held_meeting)
        attendance_services.mark_all_present(None, meeting)
        minutes = minutes_services.open_minutes(None, meeting)
        db.session.commit()
        return {"meeting": held_meeting, "minutes": minutes.id}


@pytest.fixture()
def ready_minutes(app, minutes_of):
    """Minutes with everything adoption needs, saved."""
    with app.test_request_context():
        meeting = db.session.get(Meeting, minutes_of["meeting"])
        minutes = db.session.get(Minutes, minutes_of["minutes"])
        chair, taker = (r.member.id for r in roster(meeting.cell, meeting.on))
        fields = {
            "started_at": time(19, 30),
            "ended_at": time(21, 0),
            "chair_id": chair,
            "minute_taker_id": taker,
            "votes_for": 2,
            "votes_against": 0,
            "votes_other": 0,
        }
        minutes_services.save_minutes(None, minutes, meeting, minutes.version, fields, {})
        db.session.commit()
    return minutes_of


def _saved(app, minutes_id):
    with app.app_context():
        return db.session.get(Minutes, minutes_id)


def test_expired_session_while_saving_the_minutes_restores_the_text_after_login(page, live_url, app, minutes_of):
    login(page, live_url, "xa")
    page.goto(f"{live_url}/meetings/{minutes_of['meeting']}/minutes")
    page.locator("#resolution").press_sequentially("Chi bộ thống nhất ")
    page.fill("#resolution", TYPED)
    _expire_idle(page, live_url)
    page.click(".save-bar button")
    page.wait_for_url("**/login**")
    assert EXPIRED in page.inner_text(".flashes")

    _log_in_again(page)
    page.wait_for_selector(f".draft-notice:has-text('{RESTORED}')")
    assert page.url.endswith(f"/meetings/{minutes_of['meeting']}/minutes")
    assert page.input_value("#resolution") == TYPED
    page.click(".save-bar button")
    page.wait_for_selector(".flash-success:has-text('Đã lưu biên bản')")
    assert _saved(app, minutes_of["minutes"]).resolution == TYPED
    assert page.locator(".draft-notice").count() == 0
    assert TYPED not in page.evaluate("JSON.stringify(localStorage)")
    assert page.console_errors == []


def test_attendance_button_after_logging_out_in_another_tab_goes_to_login_with_the_message(
    page, live_url, held_meeting
):
    login(page, live_url, "xa")
    page.goto(f"{live_url}/meetings/{held_meeting}/attendance")
    other = page.context.new_page()
    other.goto(f"{live_url}/meetings/{held_meeting}")
    other.click("button:has-text('Đăng xuất')")
    other.wait_for_url("**/login**")
    other.close()

    page.locator("#attendance tbody tr").first.locator("button[value=present]").click()
    page.wait_for_url("**/login**")
    assert EXPIRED in page.inner_text(".flashes")
    _log_in_again(page)
    assert page.url.endswith(f"/meetings/{held_meeting}/attendance")


def test_a_refused_request_shows_its_message(page, live_url, app, held_meeting):
    login(page, live_url, "xa")
    page.goto(f"{live_url}/meetings/{held_meeting}/attendance")
    # The live app shares the database and instance/: hold it read-only as a restore does.
    with app.app_context(), maintenance.read_only(app.instance_path):
        page.locator("#attendance tbody tr").first.locator("button[value=present]").click()
        page.wait_for_selector("#app-toast:has-text('tạm dừng ghi')")
    assert page.url.endswith(f"/meetings/{held_meeting}/attendance")


def test_adopting_saves_the_typed_text_first(page, live_url, app, ready_minutes):
    login(page, live_url, "xa")
    page.goto(f"{live_url}/meetings/{ready_minutes['meeting']}/minutes")
    page.fill("#resolution", TYPED)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Thông qua và khóa biên bản')")
    page.wait_for_selector(".flash-success:has-text('thông qua và khóa')")
    saved = _saved(app, ready_minutes["minutes"])
    assert saved.is_adopted and saved.resolution == TYPED
    assert TYPED in page.inner_text(".sheet-preview")


def test_adopting_refused_keeps_the_typed_text(page, live_url, app, ready_minutes):
    login(page, live_url, "xa")
    page.goto(f"{live_url}/meetings/{ready_minutes['meeting']}/minutes")
    page.fill("#resolution", TYPED)
    page.fill("#votes_for", "9")  # more votes than full members present: adoption refused
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Thông qua và khóa biên bản')")
    page.wait_for_selector(".alert-error:has-text('vượt quá')")
    assert page.input_value("#resolution") == TYPED
    saved = _saved(app, ready_minutes["minutes"])
    assert not saved.is_adopted and saved.resolution is None


def test_reload_after_a_validation_error_keeps_the_page_and_the_text(page, live_url, app, minutes_of):
    login(page, live_url, "xa")
    url = f"{live_url}/meetings/{minutes_of['meeting']}/minutes"
    page.goto(url)
    page.fill("#resolution", TYPED)
    page.fill("#started_at", "21:00")
    page.fill("#ended_at", "19:00")
    page.click(".save-bar button")
    page.wait_for_selector(".alert-error:has-text('Giờ kết thúc phải sau giờ bắt đầu')")
    assert page.url == url  # the POST's URL was not pushed
    page.reload()
    page.wait_for_selector(f".draft-notice:has-text('{RESTORED}')")
    assert "Thao tác không được phép" not in page.inner_text("body")
    assert page.input_value("#resolution") == TYPED and page.input_value("#started_at") == "21:00"

    # The notice can throw the copy away: the saved text comes back.
    page.click("[data-draft-discard]")
    assert page.input_value("#resolution") == ""
    page.reload()
    assert page.locator(".draft-notice").count() == 0


def test_leaving_with_unsaved_changes_asks_first(page, live_url, minutes_of):
    login(page, live_url, "xa")
    page.goto(f"{live_url}/meetings/{minutes_of['meeting']}/minutes")
    page.locator("#resolution").press_sequentially("Chưa lưu")
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click(".actions a:has-text('Về cuộc họp')")
    page.wait_for_timeout(300)
    assert asked and "chưa được lưu" in asked[0]
    assert page.url.endswith("/minutes") and page.input_value("#resolution") == "Chưa lưu"

    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)
    assert asked[-1] == "beforeunload"


def test_a_commitment_without_due_date_keeps_the_note_form_with_the_message_by_the_field(
    page, live_url, app, held_meeting
):
    login(page, live_url, "xa")
    page.goto(f"{live_url}/meetings/{held_meeting}")
    page.click("#notes button:has-text('Mở ghi chép')")
    form = page.locator("#note-add")
    form.locator("select[name=subject]").select_option("member")
    form.locator("select[name=subject_member_id]").select_option(index=1)
    form.locator("select[name=kind]").select_option("criticism")
    form.locator("select[name=by_member_id]").select_option(index=2)
    form.locator("textarea[name=text]").fill("Đồng chí còn chậm nộp báo cáo")
    form.locator("input[name=commitment]").fill("Nộp báo cáo đúng hạn")
    form.locator("button:has-text('Ghi')").click()

    page.wait_for_selector("#note-add .has-error:has-text('Ghi hạn hoàn thành việc sửa chữa')")
    due = form.locator("input[name=commitment_due]")
    assert due.get_attribute("aria-invalid") == "true"
    assert form.locator("textarea[name=text]").input_value() == "Đồng chí còn chậm nộp báo cáo"
    assert form.locator("input[name=commitment]").input_value() == "Nộp báo cáo đúng hạn"
    assert form.locator("select[name=kind]").input_value() == "criticism"
    assert form.locator("select[name=subject_member_id]").input_value() != ""
    # The note texts are sensitive: no copy in localStorage, ever.
    assert "chậm nộp" not in page.evaluate("JSON.stringify(localStorage)")

    due.fill((date.today() + timedelta(days=30)).isoformat())
    form.locator("button:has-text('Ghi')").click()
    page.wait_for_selector("#notes-panel .note:has-text('Đồng chí còn chậm nộp báo cáo')")
    assert page.locator("#note-add textarea[name=text]").input_value() == ""
    assert "chậm nộp" not in page.evaluate("JSON.stringify(sessionStorage)")
    with app.app_context():
        notes = db.session.scalars(select(CriticismNote).where(CriticismNote.meeting_id == held_meeting)).all()
        assert len(notes) == 1 and notes[0].commitments[0].what == "Nộp báo cáo đúng hạn"


def test_a_speaker_with_missing_fields_gets_a_message_by_the_field(page, live_url, minutes_of):
    login(page, live_url, "xa")
    page.goto(f"{live_url}/meetings/{minutes_of['meeting']}/minutes")
    item = page.locator("article.minutes-item").first
    item.locator("summary:has-text('Thêm ý kiến')").click()
    item.locator("input[name=name]").fill("Lê Văn Tư, Trưởng thôn")
    item.locator("button:has-text('+ Thêm ý kiến')").click()
    item.locator(".speaker-form .error:has-text('Ghi nội dung phát biểu')").wait_for()
    assert item.locator("textarea[name=said]").get_attribute("aria-invalid") == "true"
    assert item.locator("input[name=name]").input_value() == "Lê Văn Tư, Trưởng thôn"

    item.locator("input[name=name]").fill("")
    item.locator("textarea[name=said]").fill("Nhất trí.")
    item.locator("button:has-text('+ Thêm ý kiến')").click()
    item.locator(".speaker-form .error:has-text('Chọn đảng viên hoặc ghi tên')").wait_for()
    assert item.locator("textarea[name=said]").input_value() == "Nhất trí."
