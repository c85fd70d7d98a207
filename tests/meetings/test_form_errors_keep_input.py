"""The meeting page's small forms (notification, a document's availability) and the
attendance sheet's guest form: a refused form comes back on its page, 422, with every
input as typed and each message by its field; nothing is written."""

import io

from sqlalchemy import func, select

from app.attendance.models import Guest
from app.extensions import db
from app.meetings.models import Document, Notification

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _field(body: str, name: str) -> str:
    """The markup from a field's input to the end of its field block."""
    before, after = body.split(f'name="{name}"', 1)
    return before[before.rindex("<input") :] + after.split('<div class="field')[0].split("</form>")[0]


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_notification_without_a_time_keeps_its_input(app, client, login_as, held_meeting):
    login_as("xa")
    data = {"audience": "supervisor", "notified_at": "hôm qua", "method": "Tin nhắn Zalo nhóm chi bộ"}
    response = client.post(f"/meetings/{held_meeting}/notifications", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Tin nhắn Zalo nhóm chi bộ"' in _field(body, "method")
    assert '<option selected value="supervisor">' in body or '<option value="supervisor" selected>' in body
    when = _field(body, "notified_at")
    assert 'value="hôm qua"' in when and 'aria-invalid="true"' in when
    assert "Ngày giờ không hợp lệ." in when
    assert _count(app, Notification, Notification.meeting_id == held_meeting) == 0


def test_a_document_availability_that_is_not_a_time_keeps_its_input(app, client, login_as, held_meeting):
    login_as("xa")
    upload = {"title": "Kế hoạch", "file": (io.BytesIO(PDF), "ke-hoach.pdf")}
    assert client.post(f"/meetings/{held_meeting}/documents", data=upload).status_code == 303
    with app.app_context():
        document_id = db.session.scalar(select(Document.id).where(Document.meeting_id == held_meeting))
    data = {"available_at": "2026-13-45T25:00", "posted_on_app_at": "2026-05-01T08:00"}
    response = client.post(f"/documents/{document_id}/availability", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    form = body.split(f'action="/documents/{document_id}/availability"')[1].split("</form>")[0]
    sent = _field(form, "available_at")
    assert 'value="2026-13-45T25:00"' in sent and 'aria-invalid="true"' in sent
    assert "Ngày giờ không hợp lệ." in sent
    assert 'value="2026-05-01T08:00"' in _field(form, "posted_on_app_at")
    assert "Đã lưu thời điểm" not in body
    with app.app_context():
        document = db.session.get(Document, document_id)
        assert document.available_at is None and document.posted_on_app_at is None


def test_a_guest_without_a_name_keeps_the_position_and_unit(app, client, login_as, held_meeting):
    login_as("xa")
    data = {"name": "  ", "position": "Trưởng thôn", "unit_name": "Ban công tác Mặt trận thôn An"}
    response = client.post(f"/meetings/{held_meeting}/guests", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    guests = body.split('id="guests"')[1]
    name = _field(guests, "name")
    assert 'aria-invalid="true"' in name and "Vui lòng nhập thông tin này." in name
    assert 'value="Trưởng thôn"' in _field(guests, "position")
    assert 'value="Ban công tác Mặt trận thôn An"' in _field(guests, "unit_name")
    assert _count(app, Guest, Guest.meeting_id == held_meeting) == 0
    data["name"] = "Lê Văn Khách"
    assert client.post(f"/meetings/{held_meeting}/guests", data=data).status_code == 303
    assert _count(app, Guest, Guest.meeting_id == held_meeting) == 1
