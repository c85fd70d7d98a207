"""The minutes editor keeps what was typed: adoption saves it first (or refuses with it
kept), and the speaker and task forms answer with their input and a message by the field."""

from sqlalchemy import select

from app.extensions import db
from app.minutes.models import Minutes, Speaker, Task
from tests.meetings.test_attendance_minutes import HX, _fields, _open_minutes, members_of

TYPED = "Nghị quyết gõ xong nhưng chưa bấm lưu."


def _ready(app, client, held_meeting):
    """Minutes with everyone present and everything adoption needs, saved."""
    with app.app_context():
        for member in members_of(held_meeting):
            client.post(f"/meetings/{held_meeting}/attendance/{member}", data={"status": "present"}, headers=HX)
    minutes = _open_minutes(client, held_meeting)
    with app.app_context():
        data = _fields(minutes, held_meeting, votes_for=2, votes_against=0, votes_other=0)
    assert client.post(f"/minutes/{minutes.id}", data=data).status_code == 303
    with app.app_context():
        return db.session.get(Minutes, minutes.id), data


def test_adopt_saves_the_editor_fields_first(app, client, login_as, held_meeting):
    login_as("xa")
    minutes, data = _ready(app, client, held_meeting)
    response = client.post(
        f"/minutes/{minutes.id}/adopt", data=data | {"version": minutes.version, "resolution": TYPED}
    )
    assert response.status_code == 303
    with app.app_context():
        adopted = db.session.get(Minutes, minutes.id)
        assert adopted.is_adopted and adopted.resolution == TYPED


def test_adopt_over_someone_elses_save_is_a_conflict_and_adopts_nothing(app, client, login_as, held_meeting):
    login_as("xa")
    minutes, data = _ready(app, client, held_meeting)
    stale = minutes.version
    client.post(f"/minutes/{minutes.id}", data=data | {"version": stale, "resolution": "Bản của người khác"})
    response = client.post(f"/minutes/{minutes.id}/adopt", data=data | {"version": stale, "resolution": TYPED})
    assert response.status_code == 409 and TYPED in response.get_data(as_text=True)
    with app.app_context():
        saved = db.session.get(Minutes, minutes.id)
        assert not saved.is_adopted and saved.resolution == "Bản của người khác"


def test_adopt_refused_writes_nothing_and_keeps_the_text(app, client, login_as, held_meeting):
    login_as("xa")
    minutes, data = _ready(app, client, held_meeting)
    response = client.post(
        f"/minutes/{minutes.id}/adopt", data=data | {"version": minutes.version, "resolution": TYPED, "votes_for": 9}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and TYPED in body and "vượt quá" in body
    with app.app_context():
        saved = db.session.get(Minutes, minutes.id)
        assert not saved.is_adopted and saved.resolution != TYPED


def test_a_speaker_without_text_or_name_gets_messages_by_the_fields(app, client, login_as, held_meeting):
    login_as("xa")
    minutes = _open_minutes(client, held_meeting)
    with app.app_context():
        item = db.session.get(Minutes, minutes.id).items[0]
    response = client.post(f"/minutes-items/{item.id}/speakers", data={"name": "Lê Văn Tư"}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Lê Văn Tư"' in body and f'id="speaker-said-{item.id}-error">Ghi nội dung phát biểu.' in body
    response = client.post(f"/minutes-items/{item.id}/speakers", data={"said": "Nhất trí."}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and ">Nhất trí.</textarea>" in body
    assert f'id="speaker-member-{item.id}-error">Chọn đảng viên hoặc ghi tên người phát biểu.' in body
    with app.app_context():
        assert not db.session.scalars(select(Speaker).where(Speaker.item_id == item.id)).all()


def test_a_task_without_assignee_keeps_its_input_with_the_message_by_the_field(app, client, login_as, held_meeting):
    login_as("xa")
    minutes = _open_minutes(client, held_meeting)
    response = client.post(f"/minutes/{minutes.id}/tasks", data={"description": "Sửa đường liên thôn"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Sửa đường liên thôn</textarea>" in body
    assert 'id="assignee_id-error">Chọn người thực hiện' in body
    with app.app_context():
        assert not db.session.scalars(select(Task).where(Task.meeting_id == held_meeting)).all()


def test_a_refused_attendance_mark_keeps_the_typed_reason(app, client, login_as, held_meeting):
    login_as("xa")
    with app.app_context():
        first, _ = members_of(held_meeting)
    response = client.post(
        f"/meetings/{held_meeting}/attendance/{first}",
        data={"status": "late", "reason": "Đi họp tổ dân phố về muộn"},
        headers=HX,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Ghi giờ đến" in body
    assert 'value="Đi họp tổ dân phố về muộn"' in body
