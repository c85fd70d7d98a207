"""Every create form sent twice, back to back and at once (two clients in threads), makes
one record: its one-time token answers a replay with what the first made. Natural keys
(one regular meeting a month, one member per card) hold under a race, with a message."""

import io
import secrets
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.attendance.models import Guest
from app.auth.models import User
from app.criticism.models import CriticismNote
from app.extensions import db
from app.meetings.models import AgendaItem, Document, Meeting, ThematicTopic
from app.minutes.models import MinutesItem, Speaker, Task
from app.org.models import Member, Membership, OrgUnit, Position
from app.proposals.models import Proposal
from app.supervision.models import DelegateAttendance

pytestmark = pytest.mark.committing  # see tests/conftest.py rolled_back

NEXT_YEAR = date.today().year + 1


def _setup(app, cell_id):
    """A held meeting with its minutes open and a member of the cell: ids for the forms."""
    from app.meetings import services as meetings
    from app.minutes import services as minutes

    with app.test_request_context():
        cell = db.session.get(OrgUnit, cell_id)
        cell.meeting_day = 5
        on = date.today() - timedelta(days=3)
        meeting = meetings.schedule_meeting(None, cell, kind="thematic", topic="Chuyên đề thử", planned_on=on)
        meetings.mark_held(None, meeting, on, None)
        book = minutes.open_minutes(None, meeting)
        db.session.flush()
        item = db.session.scalars(select(MinutesItem).where(MinutesItem.minutes_id == book.id)).first()
        member = db.session.scalars(
            select(Member).join(Membership).where(Membership.unit_id == cell_id).order_by(Member.id)
        ).first()
        db.session.commit()
        return {"cell": cell_id, "meeting": meeting.id, "minutes": book.id, "item": item.id, "member": member.id}


def _count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# name: (url, form data, count of what it makes); ids from _setup.
FORMS = {
    "meeting": (
        "/cells/{cell}/meetings/new",
        lambda ids: {"kind": "thematic", "topic": "Học tập nghị quyết", "planned_on": f"{NEXT_YEAR}-03-20"},
        lambda ids: _count(Meeting, Meeting.cell_id == ids["cell"]),
    ),
    "agenda item": (
        "/meetings/{meeting}/agenda",
        lambda ids: {"title": "Ý kiến khác", "planned_minutes": "10"},
        lambda ids: _count(AgendaItem, AgendaItem.meeting_id == ids["meeting"], AgendaItem.is_deleted.is_(False)),
    ),
    "speaker": (
        "/minutes-items/{item}/speakers",
        lambda ids: {"member_id": str(ids["member"]), "said": "Tán thành"},
        lambda ids: _count(Speaker, Speaker.item_id == ids["item"]),
    ),
    "task": (
        "/minutes/{minutes}/tasks",
        lambda ids: {"assignee_name": "Chi ủy", "description": "Rà soát sổ đảng viên"},
        lambda ids: _count(Task, Task.meeting_id == ids["meeting"]),
    ),
    "proposal": (
        "/cells/{cell}/proposals",
        lambda ids: {"addressed_unit_id": str(ids["parent"]), "content": "Đề nghị cấp tài liệu"},
        lambda ids: _count(Proposal, Proposal.cell_id == ids["cell"]),
    ),
    "document": (
        "/meetings/{meeting}/documents",
        lambda ids: {"title": "Dự thảo", "file": (io.BytesIO(b"%PDF-1.4 test"), "du-thao.pdf")},
        lambda ids: _count(Document, Document.meeting_id == ids["meeting"]),
    ),
    "member": (
        "/units/{cell}/members/new",
        lambda ids: {
            "full_name": "Lê Văn Mới",
            "gender": "male",
            "joined_on": "2015-05-19",
            "from_on": "2020-01-01",
            "membership_kind": "regular",
        },
        lambda ids: _count(Member, Member.full_name == "Lê Văn Mới", Member.id > ids["member"]),
    ),
    "guest": (
        "/meetings/{meeting}/guests",
        lambda ids: {"name": "Nguyễn Văn Khách", "position": "Bí thư Đoàn"},
        lambda ids: _count(Guest, Guest.meeting_id == ids["meeting"]),
    ),
    "topic": (
        "/cells/{cell}/topics?year=" + str(NEXT_YEAR),
        lambda ids: {"planned_month": "4", "title": "Chuyên đề Hồ Chí Minh"},
        lambda ids: _count(ThematicTopic, ThematicTopic.cell_id == ids["cell"]),
    ),
    "delegate": (
        "/meetings/{meeting}/delegates/new",
        lambda ids: {"user_id": "", "name": "Đại biểu " + secrets.token_hex(3), "position": "Huyện ủy viên"},
        lambda ids: _count(DelegateAttendance, DelegateAttendance.meeting_id == ids["meeting"]),
    ),
    "position": (
        "/members/{member}/positions",
        lambda ids: {"title": "committee", "from_on": "2024-01-01"},
        lambda ids: _count(Position, Position.member_id == ids["member"]),
    ),
    "unit": (
        "/units/{parent}/children/new",
        lambda ids: {"kind": "cell", "name": f"Chi bộ {ids['tag']}", "cell_type": "residential"},
        lambda ids: _count(OrgUnit, OrgUnit.name == f"Chi bộ {ids['tag']}"),
    ),
    "account": (
        "/accounts/new",
        lambda ids: {
            "username": f"tk{ids['tag']}{secrets.token_hex(2)}",  # a name per round
            "full_name": "Người Dùng Mới",
            "password": "Mat-khau-rat-dai-2026!",
            "role": "viewer",
            "unit_id": str(ids["parent"]),
        },
        lambda ids: _count(User, User.username.like(f"tk{ids['tag']}%")),
    ),
    "note": (
        "/meetings/{meeting}/notes/add",
        lambda ids: {
            "kind": "self_criticism",
            "subject": "member",
            "subject_member_id": str(ids["member"]),
            "text": "Chưa đóng đảng phí đúng hạn",
        },
        lambda ids: _count(CriticismNote, CriticismNote.meeting_id == ids["meeting"]),
    ),
}


def _post(client, url, data):
    data = {k: (v if not isinstance(v, tuple) else (io.BytesIO(v[0].getvalue()), v[1])) for k, v in data.items()}
    return client.post(url, data=data, content_type="multipart/form-data", headers={"HX-Request": "true"})


def _twice_at_once(app, login_as, url, data):
    clients = [login_as("xa", app.test_client()) for _ in range(2)]
    responses, barrier = [None, None], threading.Barrier(2)

    def send(i):
        barrier.wait()
        responses[i] = _post(clients[i], url, data)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return responses


@pytest.mark.parametrize("name", FORMS)
def test_a_create_form_sent_twice_makes_one_record(app, login_as, world, cell, name):
    url, data, count = FORMS[name]
    ids = _setup(app, cell) | {"parent": world["commune"], "tag": secrets.token_hex(3)}
    url = url.format(**ids)
    client = login_as("xa", app.test_client())
    with app.app_context():
        before = count(ids)
    # Back to back: the same form (one token) twice.
    token = secrets.token_hex(16)
    first = _post(client, url, data(ids) | {"form_token": token})
    again = _post(client, url, data(ids) | {"form_token": token})
    assert first.status_code < 400, first.get_data(as_text=True)[:500]
    assert again.status_code == first.status_code and again.headers.get("Location") == first.headers.get("Location")
    with app.app_context():
        assert count(ids) == before + 1
    # At once: two clients send one form (a double click on two connections).
    responses = _twice_at_once(app, login_as, url, data(ids) | {"form_token": secrets.token_hex(16)})
    assert all(r.status_code < 500 for r in responses)
    with app.app_context():
        assert count(ids) == before + 2


def test_plan_year_twice_at_once_makes_twelve_meetings(app, login_as, cell):
    with app.app_context():
        db.session.get(OrgUnit, cell).meeting_day = 5
        db.session.commit()
    url = f"/cells/{cell}/meetings/plan"
    year = NEXT_YEAR + 1
    for token in (secrets.token_hex(16), None):  # the same form twice, then two tabs
        data = {"year": str(year), **({"form_token": token} if token else {})}
        responses = _twice_at_once(app, login_as, url, data)
        assert all(r.status_code < 500 for r in responses)
        with app.app_context():
            planned = _count(Meeting, Meeting.cell_id == cell, func.extract("year", Meeting.planned_on) == year)
            assert planned == 12
        year += 1


def test_a_regular_meeting_twice_in_a_month_at_once_is_one_and_a_message(app, login_as, cell):
    data = {"kind": "regular", "planned_on": f"{NEXT_YEAR}-06-05"}
    responses = _twice_at_once(app, login_as, f"/cells/{cell}/meetings/new", data)
    assert sorted(r.status_code for r in responses) == [303, 422]
    assert "mỗi tháng chỉ một buổi" in next(r for r in responses if r.status_code == 422).get_data(as_text=True)
    with app.app_context():
        assert _count(Meeting, Meeting.cell_id == cell) == 1


def test_one_card_number_twice_at_once_is_one_member_and_a_message(app, login_as, cell):
    card = "9" + secrets.token_hex(4)[:7].translate(str.maketrans("abcdef", "123456"))
    data = {
        "full_name": "Phạm Thị Thẻ",
        "gender": "female",
        "joined_on": "2015-05-19",
        "from_on": "2020-01-01",
        "membership_kind": "regular",
        "card_number": card,
    }
    responses = _twice_at_once(app, login_as, f"/units/{cell}/members/new", data)
    assert sorted(r.status_code for r in responses) == [303, 422], [r.get_data(as_text=True)[:300] for r in responses]
    assert "đã có trong hệ thống" in next(r for r in responses if r.status_code == 422).get_data(as_text=True)
    with app.app_context():
        assert _count(Member, Member.card_number == card) == 1


def test_one_username_twice_at_once_is_one_account_and_a_message(app, login_as, world):
    username = "trung" + secrets.token_hex(3)
    data = {
        "username": username,
        "full_name": "Người Trùng Tên",
        "password": "Mat-khau-rat-dai-2026!",
        "role": "viewer",
        "unit_id": str(world["commune"]),
    }
    responses = _twice_at_once(app, login_as, "/accounts/new", data)
    assert sorted(r.status_code for r in responses) == [303, 422]
    assert "đã có người dùng" in next(r for r in responses if r.status_code == 422).get_data(as_text=True)
    with app.app_context():
        assert _count(User, User.username == username) == 1
