"""What an edit form's version guards: a form sent without one is refused (422, in
Vietnamese), never compared as version 0; reordering the agenda is not an edit of an
item or of the meeting, so their open edit forms stay valid."""

from app.extensions import db
from app.meetings.models import AgendaItem, Meeting

MISSING = "Biểu mẫu thiếu phiên bản"


def _meeting(client, cell, on="2027-06-05"):
    response = client.post(f"/cells/{cell}/meetings/new", data={"kind": "regular", "planned_on": on})
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_an_edit_without_a_version_is_refused_with_a_message(app, client, login_as, cell):
    login_as("xa")
    meeting_id = _meeting(client, cell)
    with app.app_context():
        item = db.session.get(Meeting, meeting_id).agenda_items[1]
        item_id, minutes = item.id, item.planned_minutes
    response = client.post(
        f"/meetings/{meeting_id}/edit", data={"kind": "regular", "planned_on": "2027-06-05", "place": "Sân đình"}
    )
    assert response.status_code == 422 and MISSING in response.get_data(as_text=True)
    response = client.post(f"/agenda-items/{item_id}/edit", data={"title": "Nội dung", "planned_minutes": 45})
    assert response.status_code == 422 and MISSING in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).place != "Sân đình"
        assert db.session.get(AgendaItem, item_id).planned_minutes == minutes


def test_reordering_the_agenda_leaves_open_edit_forms_valid(app, client, login_as, cell):
    login_as("xa")
    meeting_id = _meeting(client, cell, "2027-07-05")
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        item = meeting.agenda_items[1]
        item_id, title, meeting_version, item_version = item.id, item.title, meeting.version, item.version
    assert client.post(f"/agenda-items/{item_id}/move", data={"direction": "down"}).status_code == 303
    assert (
        client.post(
            f"/meetings/{meeting_id}/agenda", data={"title": "Việc phát sinh", "planned_minutes": 10}
        ).status_code
        == 303
    )
    item_form = {"title": title, "planned_minutes": 25, "presenter_id": "", "version": item_version}
    assert client.post(f"/agenda-items/{item_id}/edit", data=item_form).status_code == 303
    meeting_form = {"kind": "regular", "planned_on": "2027-07-05", "place": "Nhà văn hóa", "version": meeting_version}
    assert client.post(f"/meetings/{meeting_id}/edit", data=meeting_form).status_code == 303
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting.place == "Nhà văn hóa"
        assert [i.id for i in meeting.agenda_items].index(item_id) == 2  # the move stays
        assert db.session.get(AgendaItem, item_id).planned_minutes == 25
