"""One stale-edit path: every record people edit concurrently carries a version; a save
over a newer one answers 409 with both versions and the user's input, a save that
changes nothing makes no revision and no new version, and a race between read and
write (SQLAlchemy's version_id_col) is a 409 too, never a 500 — on SQLite and PostgreSQL."""

import threading
from datetime import date

import pytest
from sqlalchemy import func, select, update

from app.criticism.models import CriticismNote, NoteRevision
from app.extensions import db
from app.meetings.models import Meeting
from app.minutes.models import Minutes, MinutesRevision
from app.org import queries
from app.org.models import Member, OrgUnit
from app.rules import StaleEdit
from app.self_examination.models import SelfExamination
from tests.live import live_server, post, signed_in
from tests.meetings.test_attendance_minutes import _fields, _open_minutes

pytestmark = pytest.mark.committing  # see tests/conftest.py rolled_back


def _add_note(meeting, text):
    from app.criticism import services  # its module-level loads need every model mapped

    return services.add_note(None, meeting, subject="cell", kind="self_criticism", text=text)


def _edit_note(note, version, text):
    from app.criticism import services

    services.edit_note(None, note, version=version, kind="self_criticism", text=text)


def _member(app, cell):
    with app.app_context():
        return queries.roster(db.session.get(OrgUnit, cell), date.today())[0].member.id


def _member_form(app, member_id, **changes):
    with app.app_context():
        m = db.session.get(Member, member_id)
        data = {
            "full_name": m.full_name,
            "gender": m.gender,
            "joined_on": m.joined_on.isoformat(),
            "official_on": m.official_on.isoformat() if m.official_on else "",
            "ethnicity": m.ethnicity or "Kinh",
            "card_number": m.card_number or "",
            "phone": m.phone or "",
            "notes": m.notes or "",
            "version": m.version,
        }
    return data | changes


def test_member_with_a_card_number_saves_through_the_form(app, client, login_as, cell):
    member_id = _member(app, cell)
    login_as("xa")
    form = _member_form(app, member_id, card_number=f"TS{member_id:08d}")
    assert client.post(f"/members/{member_id}/edit", data=form).status_code == 303
    again = _member_form(app, member_id, phone="0912345678")
    response = client.post(f"/members/{member_id}/edit", data=again)
    assert response.status_code == 303, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Member, member_id).phone == "0912345678"


def test_two_editors_of_a_member_the_second_gets_both_versions(app, client, login_as, cell):
    member_id = _member(app, cell)
    login_as("xa")
    opened = _member_form(app, member_id)  # both open the form at the same version
    url = f"/members/{member_id}/edit"
    assert client.post(url, data=opened | {"notes": "Ghi chú người thứ nhất"}).status_code == 303
    second = client.post(f"/members/{member_id}/edit", data=opened | {"notes": "Ghi chú người thứ hai"})
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Ghi chú người thứ nhất" in page and "Ghi chú người thứ hai" in page
    with app.app_context():
        member = db.session.get(Member, member_id)
        assert member.notes == "Ghi chú người thứ nhất"
        version = member.version
    # The same form sent again (a double click) changes nothing and is no conflict.
    assert client.post(url, data=opened | {"notes": "Ghi chú người thứ nhất"}).status_code == 303
    with app.app_context():
        assert db.session.get(Member, member_id).version == version


def _meeting_form(app, meeting_id, **changes):
    with app.app_context():
        m = db.session.get(Meeting, meeting_id)
        data = {"kind": m.kind, "planned_on": m.planned_on.isoformat(), "place": m.place or "", "version": m.version}
    return data | changes


def test_two_editors_of_a_meeting_the_second_gets_both_versions(app, client, login_as, cell):
    login_as("xa")
    response = client.post(f"/cells/{cell}/meetings/new", data={"kind": "regular", "planned_on": "2027-03-05"})
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert f'name="version" type="hidden" value="{1}"' in client.get(f"/meetings/{meeting_id}/edit").get_data(
        as_text=True
    )
    opened = _meeting_form(app, meeting_id)
    assert client.post(f"/meetings/{meeting_id}/edit", data=opened | {"place": "Nhà văn hóa thôn"}).status_code == 303
    second = client.post(f"/meetings/{meeting_id}/edit", data=opened | {"place": "Sân đình làng"})
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Nhà văn hóa thôn" in page and 'value="Sân đình làng"' in page
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).place == "Nhà văn hóa thôn"


def test_a_minutes_save_that_changes_nothing_adds_no_revision_and_no_version(app, client, login_as, held_meeting):
    login_as("xa")
    minutes = _open_minutes(client, held_meeting)
    with app.app_context():
        data = _fields(minutes, held_meeting)
    assert client.post(f"/minutes/{minutes.id}", data=data).status_code == 303

    def state():
        with app.app_context():
            count = db.session.scalar(
                select(func.count()).select_from(MinutesRevision).where(MinutesRevision.minutes_id == minutes.id)
            )
            return count, db.session.get(Minutes, minutes.id).version

    saved = state()
    data["version"] = saved[1]
    for _ in range(2):
        assert client.post(f"/minutes/{minutes.id}", data=data).status_code == 303
    assert state() == saved
    # Only an item's text changed: a new version and revision all the same.
    with app.app_context():
        item_id = db.session.get(Minutes, minutes.id).items[0].id
    client.post(f"/minutes/{minutes.id}", data=data | {f"item-{item_id}-content": "Đồng chí Bí thư báo cáo."})
    assert state() == (saved[0] + 1, saved[1] + 1)


def test_a_note_save_that_changes_nothing_adds_no_revision(app, ctx, held_meeting):
    meeting = db.session.get(Meeting, held_meeting)
    note = _add_note(meeting, "Chi bộ họp chưa đúng giờ")
    db.session.flush()
    version = note.version
    _edit_note(note, version, "Chi bộ họp chưa đúng giờ")
    db.session.flush()
    revisions = db.session.scalar(select(func.count()).where(NoteRevision.note_id == note.id))
    assert (note.version, revisions) == (version, 1)


def test_a_write_that_loses_the_race_after_the_check_is_a_stale_edit(app, held_meeting):
    """Between the check and the UPDATE another transaction saved: version_id_col's
    `WHERE version = …` finds no row, and the save is told, not lost nor a 500."""
    with app.test_request_context(method="POST"):  # a write request, as in the app
        note = _add_note(db.session.get(Meeting, held_meeting), "Bản gốc")
        db.session.commit()
        version = note.version
        session = db.session()
        session.expire_on_commit = False
        session.commit()  # this request keeps what it read, but holds no lock
        with db.engine.begin() as other:
            other.execute(
                update(CriticismNote).where(CriticismNote.id == note.id).values(text="Bản khác", version=version + 1)
            )
        with pytest.raises(StaleEdit):
            _edit_note(note, version, "Bản của tôi")
        db.session.rollback()
        assert db.session.get(CriticismNote, note.id).text == "Bản khác"
        db.session.remove()


def test_stale_assessment_is_told_then_compared(app, client, login_as, cell):
    from tests.criticism.test_self_examination import _thematic

    meeting_id, ((member_id, _), _) = _thematic(app, cell)
    login_as("xa")
    client.post(f"/meetings/{meeting_id}/self-examination/start")
    with app.app_context():
        examination = db.session.scalars(select(SelfExamination).where(SelfExamination.meeting_id == meeting_id)).one()
        version = examination.version
    url = f"/self-examinations/{examination.id}/assessment"
    first = client.post(url, data={"version": version, "collective_assessment": "Tập thể đoàn kết"})
    assert first.status_code == 200
    second = client.post(url, data={"version": version, "collective_assessment": "Tập thể còn nể nang"})
    page = second.get_data(as_text=True)
    # The refusal keeps the user's input only; comparing is an audited read showing both.
    assert second.status_code == 409 and "Tập thể đoàn kết" not in page and "Tập thể còn nể nang" in page
    compared = client.post(
        f"/meetings/{meeting_id}/self-examination",
        data={"compare": "1", "collective_assessment": "Tập thể còn nể nang"},
    ).get_data(as_text=True)
    assert "Tập thể đoàn kết" in compared and "Tập thể còn nể nang" in compared


# Races through a live, threaded server (real connections): on PostgreSQL the two
# transactions interleave; on SQLite they are serialised by the database lock.


def _race(app, url, forms):
    """POST every form at once, each from its own thread and connection; their statuses."""
    with live_server(app) as base:
        opener = signed_in(base, "xa", follow_redirects=False)  # one sign-in (a password hash) for every client
        barrier, statuses = threading.Barrier(len(forms)), [None] * len(forms)

        def send(i):
            barrier.wait()
            statuses[i] = post(opener, base + url, forms[i])

        threads = [threading.Thread(target=send, args=(i,)) for i in range(len(forms))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return statuses


def test_hundred_concurrent_saves_of_one_minutes_one_saved_the_others_told(app, client, login_as, held_meeting):
    login_as("xa")
    minutes = _open_minutes(client, held_meeting)
    with app.app_context():
        data = _fields(minutes, held_meeting)
    forms = [data | {"resolution": f"Bản số {i}"} for i in range(100)]
    statuses = _race(app, f"/minutes/{minutes.id}", forms)
    assert sorted(statuses) == [303] + [409] * 99, statuses
    with app.app_context():
        saved = db.session.get(Minutes, minutes.id).resolution
    assert saved == f"Bản số {statuses.index(303)}"  # the acknowledged one, not lost


def test_concurrent_saves_of_a_member_and_a_note_one_saved_one_told(app, client, login_as, cell, held_meeting):
    member_id = _member(app, cell)
    opened = _member_form(app, member_id)
    statuses = _race(app, f"/members/{member_id}/edit", [opened | {"notes": f"Bản {i}"} for i in range(2)])
    assert sorted(statuses) == [303, 409], statuses
    with app.app_context():
        meeting = db.session.get(Meeting, held_meeting)
        note = _add_note(meeting, "Bản gốc")
        db.session.commit()
        note_id, version = note.id, note.version
    login_as("xa")
    client.post(f"/meetings/{held_meeting}/notes")  # opened: the edit form is allowed
    forms = [{"version": version, "kind": "self_criticism", "text": f"Bản {i}"} for i in range(2)]
    statuses = _race(app, f"/notes/{note_id}/edit", forms)
    assert sorted(statuses) == [200, 409], statuses
    with app.app_context():
        assert db.session.get(CriticismNote, note_id).text == f"Bản {statuses.index(200)}"


def test_two_editors_of_an_agenda_item_the_second_gets_both_versions(app, client, login_as, cell):
    from app.meetings.models import AgendaItem

    login_as("xa")
    response = client.post(f"/cells/{cell}/meetings/new", data={"kind": "regular", "planned_on": "2027-04-05"})
    meeting_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        item = db.session.get(Meeting, meeting_id).agenda_items[1]
        opened = {"title": item.title, "planned_minutes": item.planned_minutes, "presenter_id": "", "version": 1}
        item_id, title = item.id, item.title
    url = f"/agenda-items/{item_id}/edit"
    assert 'name="version" type="hidden" value="1"' in client.get(url).get_data(as_text=True)
    assert client.post(url, data=opened | {"planned_minutes": 25}).status_code == 303
    second = client.post(url, data=opened | {"planned_minutes": 35, "presenter_name": "Đ/c Lê Văn Khách"})
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "25 phút" in page and 'value="35"' in page and "Đ/c Lê Văn Khách" in page
    with app.app_context():
        item = db.session.get(AgendaItem, item_id)
        assert (item.title, item.planned_minutes, item.version) == (title, 25, 2)


def test_a_stale_write_outside_the_form_helpers_is_a_409_message_not_a_500(app):
    from sqlalchemy.orm.exc import StaleDataError

    for headers, kept in (({"HX-Request": "true"}, "afterbegin"), ({}, None)):
        with app.test_request_context("/", method="POST", headers=headers):
            response = app.make_response(app.handle_user_exception(StaleDataError("0 rows matched")))
            assert response.status_code == 409
            assert "vừa được người khác lưu" in response.get_data(as_text=True)
            assert response.headers.get("HX-Reswap") == kept  # htmx: the page and its input stay
