"""Planning and preparing a meeting through the Flask test client."""

import io
import re
from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.meetings.models import AgendaItem, Document, Meeting, MeetingStatus
from app.org.models import OrgUnit

HX = {"HX-Request": "true"}


def meetings_of(cell_id):
    return db.session.scalars(select(Meeting).where(Meeting.cell_id == cell_id).order_by(Meeting.planned_on)).all()


def test_plan_year_creates_twelve_regular_meetings_once(app, client, login_as, cell):
    login_as("xa")
    year = date.today().year + 1
    response = client.post(f"/cells/{cell}/meetings/plan", data={"year": year, "planned_time": "19:30"})
    assert response.status_code == 303
    client.post(f"/cells/{cell}/meetings/plan", data={"year": year})  # a second click adds nothing
    with app.app_context():
        unit = db.session.get(OrgUnit, cell)
        meetings = [m for m in meetings_of(cell) if m.planned_on.year == year]
        assert len(meetings) == 12
        day = unit.meeting_day or unit.parent.meeting_day
        assert {m.planned_on.day for m in meetings} == {day}
        assert all(m.kind == "regular" and not m.off_fixed_day for m in meetings)
        first = meetings[0]
        assert first.agenda_items[0].title.startswith("Khai mạc")
        assert sum(i.planned_minutes for i in first.agenda_items) >= 90
    page = client.get(f"/cells/{cell}/meetings?year={year}").get_data(as_text=True)
    assert page.count("Sinh hoạt thường kỳ") >= 12
    assert "Chưa có chuyên đề cho quý 1, 2, 3, 4" in page


def test_meeting_off_the_fixed_day_is_flagged(app, client, login_as, cell):
    login_as("xa")
    with app.app_context():
        unit = db.session.get(OrgUnit, cell)
        day = unit.meeting_day or unit.parent.meeting_day
    off = date(date.today().year + 1, 3, 1 if day != 1 else 2)
    response = client.post(f"/cells/{cell}/meetings/new", data={"kind": "regular", "planned_on": off.isoformat()})
    assert response.status_code == 303
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert "Không họp đúng ngày sinh hoạt cố định" in client.get(f"/meetings/{meeting_id}").get_data(as_text=True)


def test_thematic_needs_a_topic_and_topics_can_join_a_regular_meeting(app, client, login_as, cell):
    login_as("xa")
    year = date.today().year + 1
    response = client.post(f"/cells/{cell}/meetings/new", data={"kind": "thematic", "planned_on": f"{year}-02-10"})
    assert response.status_code == 422
    assert "cần có tên chuyên đề" in response.get_data(as_text=True)
    client.post(f"/cells/{cell}/meetings/plan", data={"year": year})
    client.post(
        f"/cells/{cell}/topics?year={year}", data={"planned_month": 4, "title": "Học tập Nghị quyết Trung ương"}
    )
    with app.app_context():
        from app.meetings.models import ThematicTopic

        topic = db.session.scalars(select(ThematicTopic).where(ThematicTopic.cell_id == cell)).one()
    response = client.post(f"/topics/{topic.id}/schedule", data={"mode": "combined"})
    assert response.status_code == 303
    with app.app_context():
        april = [m for m in meetings_of(cell) if m.planned_on.month == 4 and m.planned_on.year == year][0]
        assert april.kind == "combined" and april.topic == "Học tập Nghị quyết Trung ương"
        assert april.minimum_minutes == 120
    page = client.get(f"/cells/{cell}/meetings?year={year}").get_data(as_text=True)
    assert "quý 1, 3, 4" in page


def _new_meeting(client, cell, **extra):
    data = {"kind": "regular", "planned_on": f"{date.today().year + 1}-05-05", "place": "Nhà văn hóa"} | extra
    response = client.post(f"/cells/{cell}/meetings/new", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_agenda_add_move_remove_with_htmx_and_without(app, client, login_as, cell):
    login_as("xa")
    meeting_id = _new_meeting(client, cell)
    response = client.post(
        f"/meetings/{meeting_id}/agenda",
        data={"title": "Bàn về xây dựng nông thôn mới", "planned_minutes": 20},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="agenda"') and "Bàn về xây dựng nông thôn mới" in body
    assert "<html" not in body
    with app.app_context():
        items = db.session.get(Meeting, meeting_id).agenda_items
        # An added item goes before the closing item, which stays last.
        last, before = items[-2], items[-3]
        assert last.title == "Bàn về xây dựng nông thôn mới" and "bế mạc" in items[-1].title
    client.post(f"/agenda-items/{last.id}/move", data={"direction": "up"}, headers=HX)
    with app.app_context():
        titles = [i.title for i in db.session.get(Meeting, meeting_id).agenda_items]
        assert titles[-3] == "Bàn về xây dựng nông thôn mới" and titles[-2] == before.title
    response = client.post(f"/agenda-items/{last.id}/move", data={"direction": "down"})  # without JavaScript
    assert response.status_code == 303
    bad = client.post(f"/meetings/{meeting_id}/agenda", data={"title": "", "planned_minutes": 0}, headers=HX)
    assert bad.status_code == 422
    client.post(f"/agenda-items/{last.id}/delete", headers=HX)
    with app.app_context():
        assert last.id not in [i.id for i in db.session.get(Meeting, meeting_id).agenda_items]
        assert db.session.get(AgendaItem, last.id).is_deleted  # kept, hidden
        version = db.session.get(AgendaItem, before.id).version  # the version its edit form carries
    edit = client.post(
        f"/agenda-items/{before.id}/edit",
        data={"title": "Sửa tên", "planned_minutes": 7, "version": version},
        headers=HX,
    )
    assert edit.status_code == 200 and "Sửa tên" in edit.get_data(as_text=True)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_documents_checked_by_content_and_served_only_in_scope(app, client, login_as, cell, world):
    login_as("xa")
    meeting_id = _new_meeting(client, cell)
    fake = client.post(
        f"/meetings/{meeting_id}/documents",
        data={"file": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "nghi-quyet.pdf"), "title": "Giả"},
        content_type="multipart/form-data",
    )
    assert fake.status_code == 303
    response = client.post(
        f"/meetings/{meeting_id}/documents",
        data={"file": (io.BytesIO(PDF_BYTES), "du-thao.pdf"), "title": "Dự thảo nghị quyết"},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Dự thảo nghị quyết" in response.get_data(as_text=True)
    with app.app_context():
        docs = db.session.scalars(select(Document).where(Document.meeting_id == meeting_id)).all()
        assert len(docs) == 1 and docs[0].kind == "pdf" and docs[0].stored_name.endswith(".pdf")
        doc_id = docs[0].id
    download = client.get(f"/documents/{doc_id}")
    assert download.status_code == 200 and download.data == PDF_BYTES
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in download.headers["Content-Security-Policy"]
    login_as("bithu")  # secretary of another cell
    assert client.get(f"/documents/{doc_id}").status_code == 404
    login_as("xa")
    late = client.post(
        f"/documents/{doc_id}/availability",
        data={"available_at": f"{date.today().year + 1}-05-04T20:00", "posted_on_app_at": ""},
        follow_redirects=True,
    )
    assert "chưa đủ 1 ngày" in late.get_data(as_text=True)


def test_notifications_are_recorded(client, login_as, cell):
    login_as("xa")
    meeting_id = _new_meeting(client, cell)
    client.post(
        f"/meetings/{meeting_id}/notifications",
        data={"audience": "supervisor", "notified_at": "2026-05-01T08:00", "method": "Giấy mời"},
    )
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Cấp ủy viên phụ trách: Giấy mời" in page


def test_postpone_links_to_new_meeting_and_cancel_needs_reason(app, client, login_as, cell):
    login_as("xa")
    meeting_id = _new_meeting(client, cell)
    assert client.post(f"/meetings/{meeting_id}/cancel", data={"reason": ""}).status_code == 422
    response = client.post(
        f"/meetings/{meeting_id}/postpone",
        data={"new_on": f"{date.today().year + 1}-05-12", "reason": "Trùng lịch bầu cử"},
    )
    assert response.status_code == 303
    with app.app_context():
        old = db.session.get(Meeting, meeting_id)
        assert old.status == MeetingStatus.postponed and old.postponed_to is not None
        assert len(old.postponed_to.agenda_items) == len(old.agenda_items)
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Hoãn sang" in page and "Trùng lịch bầu cử" in page


def test_commune_calendar_shows_cells_of_the_month(app, client, login_as, cell, world):
    login_as("xa")
    year = date.today().year + 1
    client.post(f"/cells/{cell}/meetings/plan", data={"year": year})
    page = client.get(f"/units/{world['commune']}/calendar?month={year}-6").get_data(as_text=True)
    with app.app_context():
        name = db.session.get(OrgUnit, cell).name
    assert name in page and "tháng 6/" + str(year) in page
    assert client.get(f"/units/{world['commune']}/calendar?month=bad").status_code == 200


def test_agenda_template_of_the_commune_is_used(app, client, login_as, world):
    login_as("xa")
    response = client.post(
        f"/units/{world['commune']}/agenda-templates",
        data={"kind": "extraordinary", "lines": "Khai mạc | 5\n* Kiểm điểm nhiệm vụ | 10\nVấn đề cần giải quyết | abc"},
    )
    assert response.status_code == 422 and "Dòng 3" in response.get_data(as_text=True)
    client.post(
        f"/units/{world['commune']}/agenda-templates",
        data={"kind": "extraordinary", "lines": "Khai mạc | 5\n* Kiểm điểm nhiệm vụ | 10\nVấn đề cần giải quyết | 80"},
    )
    with app.app_context():
        from tests.conftest import make_cell

        unit = make_cell(world["commune"], "Chi bộ mẫu chương trình")
        db.session.commit()
        cell_id = unit.id
    meeting_id = _new_meeting(client, cell_id, kind="extraordinary")
    with app.app_context():
        items = db.session.get(Meeting, meeting_id).agenda_items
        assert [i.title for i in items] == ["Khai mạc", "Kiểm điểm nhiệm vụ", "Vấn đề cần giải quyết"]
        assert items[1].is_review
    client.post(
        f"/units/{world['commune']}/agenda-templates", data={"kind": "extraordinary", "lines": "x", "reset": "y"}
    )
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
        )
        assert count == 3
    assert re.search(r"Chương trình mẫu", client.get(f"/units/{world['commune']}").get_data(as_text=True))


def test_agenda_item_errors_return_into_the_row(client, login_as, cell):
    login_as("xa")
    meeting_id = _new_meeting(client, cell)
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    item_id = int(re.search(r'id="agenda-item-(\d+)"', page).group(1))
    response = client.post(f"/agenda-items/{item_id}/edit", data={"title": "", "planned_minutes": 5}, headers=HX)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == f"#agenda-item-{item_id}"
    assert "Vui lòng nhập thông tin này." in response.get_data(as_text=True)
