"""Roll call, minutes, adoption, lock, errata and reopening through the test client."""

from datetime import date

from sqlalchemy import func, select

from app.attendance.models import AttendanceRecord
from app.audit.models import AuditEntry
from app.extensions import db
from app.meetings.models import Meeting
from app.minutes.models import Minutes, MinutesRevision, Task
from app.org.queries import roster

HX = {"HX-Request": "true"}


def members_of(meeting_id):
    meeting = db.session.get(Meeting, meeting_id)
    return [r.member.id for r in roster(meeting.cell, meeting.on)]


def test_one_click_marks_and_tally_updates_out_of_band(app, client, login_as, held_meeting):
    login_as("xa")
    with app.app_context():
        first, second = members_of(held_meeting)
    response = client.post(f"/meetings/{held_meeting}/attendance/{first}", data={"status": "present"}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="member-{first}"')
    assert 'id="attendance-tally"' in body and 'hx-swap-oob="true"' in body
    assert "1/2" in body
    # A double click and a second clerk at once: still one record per member.
    for status in ("unexcused", "unexcused", "present"):
        client.post(f"/meetings/{held_meeting}/attendance/{second}", data={"status": status}, headers=HX)
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(AttendanceRecord).where(AttendanceRecord.meeting_id == held_meeting)
        )
        assert count == 2


def test_late_needs_a_time_and_excused_a_reason(app, client, login_as, held_meeting):
    login_as("xa")
    with app.app_context():
        first, _ = members_of(held_meeting)
    response = client.post(f"/meetings/{held_meeting}/attendance/{first}", data={"status": "late"}, headers=HX)
    assert response.status_code == 422 and "Ghi giờ đến" in response.get_data(as_text=True)
    response = client.post(f"/meetings/{held_meeting}/attendance/{first}", data={"status": "excused"}, headers=HX)
    assert "Ghi lý do vắng" in response.get_data(as_text=True)
    ok = client.post(
        f"/meetings/{held_meeting}/attendance/{first}", data={"status": "late", "at_time": "19:50"}, headers=HX
    )
    assert ok.status_code == 200 and "lúc 19:50" in ok.get_data(as_text=True)


def test_everyone_present_then_an_exception(app, client, login_as, held_meeting):
    login_as("xa")
    client.post(f"/meetings/{held_meeting}/attendance/all-present")
    with app.app_context():
        first, second = members_of(held_meeting)
    client.post(f"/meetings/{held_meeting}/attendance/{second}", data={"status": "excused", "reason": "Ốm"}, headers=HX)
    page = client.get(f"/meetings/{held_meeting}/attendance").get_data(as_text=True)
    assert "50%" in page and "chưa đạt" in page
    client.post(f"/meetings/{held_meeting}/guests", data={"name": "Lê Văn Khách", "position": "Trưởng thôn"})
    assert "Lê Văn Khách" in client.get(f"/meetings/{held_meeting}/attendance").get_data(as_text=True)
    sheet = client.get(f"/meetings/{held_meeting}/print/sign-in").get_data(as_text=True)
    assert "DANH SÁCH ĐẢNG VIÊN DỰ SINH HOẠT" in sheet and "Ký tên" in sheet


def _open_minutes(client, meeting_id):
    response = client.post(f"/meetings/{meeting_id}/minutes", data={"paper_reference": "Sổ 2026, trang 3"})
    assert response.status_code == 303
    with client.application.app_context():
        return db.session.scalars(select(Minutes).where(Minutes.meeting_id == meeting_id)).one()


def _fields(minutes, meeting_id, **extra):
    with db.session.no_autoflush:
        meeting = db.session.get(Meeting, meeting_id)
        chair, taker = members_of(meeting_id)
    data = {
        "version": minutes.version,
        "held_on": meeting.on.isoformat(),
        "started_at": "19:30",
        "ended_at": "21:15",
        "place": "Hội trường thôn",
        "chair_id": chair,
        "minute_taker_id": taker,
        "resolution": "Chi bộ thống nhất triển khai nhiệm vụ tháng tới.",
        "closing": "Biên bản đã được đọc lại và nhất trí thông qua.",
    }
    return data | extra


def test_minutes_flow_open_save_speakers_tasks_vote_adopt_lock_erratum_reopen(app, client, login_as, held_meeting):
    login_as("xa")
    minutes = _open_minutes(client, held_meeting)
    editor = client.get(f"/meetings/{held_meeting}/minutes").get_data(as_text=True)
    assert "Nhập lại từ biên bản giấy: Sổ 2026, trang 3 — người nhập: Văn phòng Đảng ủy xã Ninh Hải" in editor
    with app.app_context():
        item = db.session.get(Minutes, minutes.id).items[3]
        data = _fields(minutes, held_meeting)
    # The vote can't exceed the full members present (nobody is marked yet).
    response = client.post(f"/minutes/{minutes.id}", data=data | {"votes_for": 2})
    assert response.status_code == 422 and "vượt quá" in response.get_data(as_text=True)
    response = client.post(
        f"/minutes/{minutes.id}", data=data | {f"item-{item.id}-content": "Kết quả tháng trước tốt."}
    )
    assert response.status_code == 303
    # Speakers one by one with htmx.
    first, second = members_of_ctx(app, held_meeting)
    for member, said in ((first, "Đề nghị làm đường bê tông."), (second, "Nhất trí với dự thảo.")):
        r = client.post(f"/minutes-items/{item.id}/speakers", data={"member_id": member, "said": said}, headers=HX)
        assert r.status_code == 200
    assert "Nhất trí với dự thảo." in r.get_data(as_text=True) and "Đề nghị làm đường" in r.get_data(as_text=True)
    client.post(
        f"/minutes/{minutes.id}/tasks",
        data={"assignee_id": first, "description": "Vận động bà con hiến đất", "due_on": "2026-12-30"},
    )
    # Adoption refused while incomplete.
    response = client.post(f"/minutes/{minutes.id}/adopt", follow_redirects=True)
    assert "Chưa thể thông qua" in response.get_data(as_text=True)
    client.post(f"/meetings/{held_meeting}/attendance/all-present")
    with app.app_context():
        version = db.session.get(Minutes, minutes.id).version
    response = client.post(
        f"/minutes/{minutes.id}", data=data | {"version": version, "votes_for": 2, "votes_against": 0, "votes_other": 0}
    )
    assert response.status_code == 303
    response = client.post(f"/minutes/{minutes.id}/adopt", follow_redirects=True)
    assert "đã được thông qua và khóa" in response.get_data(as_text=True)
    with app.app_context():
        adopted = db.session.get(Minutes, minutes.id)
        assert adopted.is_adopted and adopted.attendance_snapshot["present"] == 2
        assert db.session.get(Meeting, held_meeting).status == "adopted"
        revisions = db.session.scalar(
            select(func.count()).select_from(MinutesRevision).where(MinutesRevision.minutes_id == minutes.id)
        )
        assert revisions >= 5
        version = adopted.version
    # Locked: no edit, no speaker, no attendance change.
    assert client.post(f"/minutes/{minutes.id}", data=data | {"version": version}).status_code == 422
    client.post(f"/minutes-items/{item.id}/speakers", data={"name": "X", "said": "Y"}, headers=HX)
    r = client.post(f"/meetings/{held_meeting}/attendance/{first}", data={"status": "unexcused"}, headers=HX)
    assert r.status_code == 422
    # An erratum is appended and printed.
    client.post(f"/minutes/{minutes.id}/erratum", data={"text": "Sửa giờ kết thúc thành 21 giờ 20."})
    printed = client.get(f"/meetings/{held_meeting}/print/minutes").get_data(as_text=True)
    assert "ĐÍNH CHÍNH" in printed and "21 giờ 20" in printed and "Đề nghị làm đường bê tông." in printed
    assert "DỰ THẢO" not in printed and "Vận động bà con hiến đất" in printed
    # The secretary may not reopen; the commune office may, with a reason, audited.
    login_as("bithu")
    assert client.post(f"/minutes/{minutes.id}/reopen", data={"text": "x"}).status_code == 404
    login_as("xa")
    assert client.post(f"/minutes/{minutes.id}/reopen", data={"text": ""}).status_code == 422
    client.post(f"/minutes/{minutes.id}/reopen", data={"text": "Thư ký ghi nhầm tên người phát biểu."})
    with app.app_context():
        assert not db.session.get(Minutes, minutes.id).is_adopted
        audit = db.session.scalars(
            select(AuditEntry.summary).where(AuditEntry.action == "minutes.reopen", AuditEntry.object_id == minutes.id)
        ).all()
        assert any("ghi nhầm" in s for s in audit)
        # The task carries into the next meeting's review item until done.
        task = db.session.scalars(select(Task).where(Task.meeting_id == held_meeting)).one()
        assert task.done_on is None


def members_of_ctx(app, meeting_id):
    with app.app_context():
        return members_of(meeting_id)


def test_open_tasks_appear_in_the_next_meeting_review_item(app, client, login_as, held_meeting):
    login_as("xa")
    minutes = _open_minutes(client, held_meeting)
    first, _ = members_of_ctx(app, held_meeting)
    client.post(f"/minutes/{minutes.id}/tasks", data={"assignee_id": first, "description": "Thu đảng phí quý IV"})
    with app.app_context():
        cell_id = db.session.get(Meeting, held_meeting).cell_id
    response = client.post(
        f"/cells/{cell_id}/meetings/new", data={"kind": "regular", "planned_on": date.today().isoformat()}
    )
    next_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/meetings/{next_id}").get_data(as_text=True)
    assert "Thu đảng phí quý IV" in page
    with app.app_context():
        task_id = db.session.scalars(select(Task.id).where(Task.meeting_id == held_meeting)).one()
    client.post(f"/tasks/{task_id}/done", data={"back": next_id}, follow_redirects=True)  # shows the flash
    page = client.get(f"/meetings/{next_id}").get_data(as_text=True)
    assert "Thu đảng phí quý IV" not in page and "Không còn nhiệm vụ tồn đọng" in page


def test_concurrent_edit_is_reported_and_nothing_is_lost(app, client, login_as, held_meeting):
    login_as("xa")
    minutes = _open_minutes(client, held_meeting)
    with app.app_context():
        data = _fields(minutes, held_meeting)
    first = client.post(f"/minutes/{minutes.id}", data=data | {"resolution": "Bản của người thứ nhất"})
    assert first.status_code == 303
    second = client.post(f"/minutes/{minutes.id}", data=data | {"resolution": "Bản của người thứ hai"})
    body = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Bản của người thứ nhất" in body and "Bản của người thứ hai" in body
    with app.app_context():
        assert db.session.get(Minutes, minutes.id).resolution == "Bản của người thứ nhất"
    # Saving again after seeing both keeps the second text deliberately.
    with app.app_context():
        version = db.session.get(Minutes, minutes.id).version
    client.post(f"/minutes/{minutes.id}", data=data | {"version": version, "resolution": "Bản của người thứ hai"})
    history = client.get(f"/minutes/{minutes.id}/history").get_data(as_text=True)
    assert "Bản của người thứ hai" in history and 'class="del"' in history and 'class="ins"' in history


def test_minutes_only_for_a_held_meeting(app, client, login_as, cell):
    login_as("xa")
    response = client.post(f"/cells/{cell}/meetings/new", data={"kind": "regular", "planned_on": "2027-01-05"})
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/meetings/{meeting_id}/minutes", data={})
    with app.app_context():
        assert db.session.scalars(select(Minutes).where(Minutes.meeting_id == meeting_id)).first() is None
    assert "Biên bản được lập sau khi cuộc họp diễn ra" in client.get(f"/meetings/{meeting_id}/minutes").get_data(
        as_text=True
    )
