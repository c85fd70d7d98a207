"""A refused note write in the browser: the message and the user's own text, never the
other notes; after a stale save, comparing opens the saved text beside the user's."""

import pytest
from sqlalchemy import select

from app.criticism.models import CriticismNote
from app.extensions import db
from app.meetings.models import Meeting
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

OTHER = "Ghi chép khác của cuộc họp, không được gửi lại khi bị từ chối"
SAVED = "Bản người khác vừa lưu"
MINE = "Bản của tôi, chưa lưu"


def test_stale_note_edit_keeps_my_text_without_the_others_then_compares(page, live_url, app, held_meeting):
    from app.criticism import services as criticism

    with app.test_request_context():
        meeting = db.session.get(Meeting, held_meeting)
        for text in (OTHER, "Bản gốc"):
            criticism.add_note(None, meeting, kind="self_criticism", subject="cell", text=text)
        db.session.commit()
    login(page, live_url, "xa")
    page.goto(f"{live_url}/meetings/{held_meeting}")
    page.click("#notes button:has-text('Mở ghi chép')")
    page.wait_for_selector("#notes-panel")
    with app.test_request_context():
        note = db.session.scalars(select(CriticismNote).where(CriticismNote.meeting_id == held_meeting)).all()[-1]
        criticism.edit_note(None, note, version=note.version, kind="self_criticism", text=SAVED)  # someone else
        db.session.commit()
        note_id = note.id
    form = page.locator(f"#edit-form-{note_id}")
    page.locator(f"#note-{note_id} details summary").first.click()
    form.locator("textarea[name=text]").fill(MINE)
    form.locator("button:has-text('Lưu')").click()
    page.wait_for_selector(f"#edit-form-{note_id} .error:has-text('vừa được người khác lưu')")
    panel = page.inner_text("#notes-panel")
    assert OTHER in panel  # the rest of the opened panel stays as it was on screen
    assert form.locator("textarea[name=text]").input_value() == MINE
    form.locator("button:has-text('Xem bản đang lưu để so sánh')").click()
    page.wait_for_selector(f"#note-{note_id} .conflict:has-text('{MINE}')")
    assert SAVED in page.inner_text(f"#note-{note_id}")
    page.locator(f"#edit-form-{note_id} button:has-text('Lưu')").click()
    page.wait_for_selector("#notes-panel .alert-success")
    with app.app_context():
        assert db.session.get(CriticismNote, note_id).text == MINE


def test_deleting_a_note_of_adopted_minutes_answers_with_the_message_only(page, live_url, app, held_meeting):
    from app.criticism import services as criticism

    with app.test_request_context():
        meeting = db.session.get(Meeting, held_meeting)
        criticism.add_note(None, meeting, kind="self_criticism", subject="cell", text=OTHER)
        db.session.commit()
    login(page, live_url, "xa")
    page.goto(f"{live_url}/meetings/{held_meeting}")
    page.click("#notes button:has-text('Mở ghi chép')")
    page.wait_for_selector("#notes-panel")
    with app.app_context():
        db.session.get(Meeting, held_meeting).status = "adopted"  # adopted meanwhile, in another tab
        db.session.commit()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#notes-panel button:has-text('Xóa')").first.click()
    page.wait_for_selector("#notes-message.alert-error")
    assert OTHER in page.inner_text("#notes-panel")  # still the page's own copy, not re-sent
