"""V2 and the in-charge period: every answer that shows a note text writes a `note.read`
entry, a refused write answers without texts, a cadre in charge of a cell reads only
the notes of meetings within the assignment, and a text reaches a response only
through app/criticism/reading.py."""

from datetime import date, timedelta

import pytest
from flask import render_template_string
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.criticism import services as criticism
from app.criticism.models import CriticismNote
from app.criticism.reading import open_one
from app.criticism.sealed import SealedTextError
from app.extensions import db
from app.meetings import services as meetings
from app.meetings.models import Meeting
from app.meetings.queries import member_choices
from app.org.access import can_read_notes
from app.org.models import Member, OrgUnit
from app.self_examination import services as examinations
from app.supervision.models import SupervisionAssignment

TEXT = "Đồng chí còn nể nang trong góp ý zqxsecretqz"
COMMITMENT = "Góp ý thẳng thắn hơn zqxcommitqz"


def _reads(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "note.read"))


@pytest.fixture()
def noted(app, cell, held_meeting):
    """The held meeting with one criticism note and its commitment; a later meeting that
    reviews it; a thematic meeting with a self-examination; the ids of it all."""
    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        meeting = db.session.get(Meeting, held_meeting)
        (first, _), _ = member_choices(unit, meeting.on)
        note = criticism.add_note(
            None,
            meeting,
            kind="criticism",
            subject="member",
            text=TEXT,
            subject_member=db.session.get(Member, first),
            by_name="Đại biểu cấp trên",
            commitment=(COMMITMENT, meeting.on + timedelta(days=60)),
        )
        later = meetings.schedule_meeting(
            None, unit, kind="thematic", planned_on=date.today() + timedelta(days=3), topic="Tự soi, tự sửa"
        )
        examination = examinations.start(None, later)
        db.session.commit()
        return {
            "cell": cell,
            "meeting": held_meeting,
            "note": note.id,
            "commitment": note.commitments[0].id if note.commitments else None,
            "later": later.id,
            "examination": examination.id,
            "member": first,
        }


# (name, url, form, the objects whose texts the answer shows: one `note.read` entry each)
M, LATER, CELL = ("Meeting", "meeting"), ("Meeting", "later"), ("OrgUnit", "cell")
WRITES = [
    ("add", "/meetings/{meeting}/notes/add", {"kind": "self_criticism", "subject": "cell", "text": "Mới"}, {M}),
    ("edit", "/notes/{note}/edit", {"version": 1, "kind": "criticism", "text": TEXT + " (sửa)"}, {M}),
    ("delete", "/notes/{note}/delete", {}, {M}),
    ("restore", "/notes/{note}/restore", {}, {M}),
    ("commitment", "/notes/{note}/commitments", {"commitment": "Thêm", "commitment_due": "2099-01-01"}, {M}),
    # The later meeting's panel shows the commitment it reviews, from the earlier meeting.
    ("review", "/commitments/{commitment}/review", {"meeting_id": "{later}", "outcome": "in_progress"}, {LATER, M}),
    (
        "assessment",
        "/self-examinations/{examination}/assessment",
        {"version": 1, "collective_assessment": "Tốt"},
        {LATER},
    ),
    (
        "self_review",
        "/self-examinations/{examination}/members/{member}/save",
        {"version": 0, "self_text": "Tự nhận"},
        {LATER},
    ),
    # The member's year page shows the year's review and the notes about them.
    (
        "year_review",
        "/cells/{cell}/year-review/{year}/members/{member}/save",
        {"version": 0, "cell_comment": "Tốt"},
        {CELL, M},
    ),
]


@pytest.mark.parametrize("name,url,data,shown", WRITES, ids=[w[0] for w in WRITES])
def test_every_write_answered_with_texts_writes_a_read_entry(app, client, login_as, noted, name, url, data, shown):
    ids = noted | {"year": date.today().year}
    login_as("xa")
    with app.app_context():
        last = db.session.scalar(select(func.max(AuditEntry.id)))
    response = client.post(
        url.format(**ids), data={k: str(v).format(**ids) for k, v in data.items()}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    with app.app_context():
        reads = db.session.execute(
            select(AuditEntry.object_type, AuditEntry.object_id).where(
                AuditEntry.id > last, AuditEntry.action == "note.read"
            )
        ).all()
    assert sorted(reads) == sorted((kind, ids[key]) for kind, key in shown)


def test_refused_writes_answer_without_any_text_and_are_not_reads(app, client, login_as, noted):
    login_as("xa")
    with app.test_request_context():
        meeting = db.session.get(Meeting, noted["meeting"])
        meeting.status = "adopted"  # the notes are closed with the minutes
        db.session.commit()
    before = _reads(app)
    refusals = [
        client.post(f"/notes/{noted['note']}/delete", headers={"HX-Request": "true"}),
        client.post(f"/notes/{noted['note']}/delete"),
        client.post(
            f"/commitments/{noted['commitment']}/review",
            data={"meeting_id": noted["later"], "outcome": "tốt lắm", "comment": "Của tôi"},
            headers={"HX-Request": "true", "HX-Trigger": f"review-form-{noted['commitment']}"},
        ),
        client.post(f"/commitments/{noted['commitment']}/review", data={"meeting_id": noted["later"], "outcome": "x"}),
    ]
    for response in refusals:
        body = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "zqx" not in body  # neither the note nor its commitment
    assert refusals[0].headers["HX-Retarget"] == "#notes-message"
    assert refusals[2].headers["HX-Retarget"] == f"#review-form-{noted['commitment']}"
    assert 'value="Của tôi"' in refusals[2].get_data(as_text=True)  # the user's own input stays
    assert _reads(app) == before


def _cadre_in_charge(app, cell: int, from_on: date) -> str:
    with app.app_context():
        user = User(username="phutrach", full_name="Cán bộ phụ trách")
        user.set_password("phutrach-2026")
        db.session.add(user)
        db.session.flush()
        db.session.add(
            SupervisionAssignment(user_id=user.id, cell_id=cell, kind="in_charge", level="commune", from_on=from_on)
        )
        db.session.commit()
    return "phutrach"


def test_in_charge_cadre_reads_only_meetings_within_the_assignment(app, client, login_as, noted):
    # Assigned after the held meeting (a week ago), before the thematic one (in three days).
    login_as(_cadre_in_charge(app, noted["cell"], date.today() - timedelta(days=2)))
    before = client.post(f"/meetings/{noted['meeting']}/notes")
    assert before.status_code == 403 and "zqx" not in before.get_data(as_text=True)
    assert client.post(f"/meetings/{noted['meeting']}/print/minutes/cell-copy").status_code == 403
    assert client.post(f"/notes/{noted['note']}/history").status_code == 403
    page = client.get(f"/meetings/{noted['meeting']}").get_data(as_text=True)
    assert f"/meetings/{noted['meeting']}/notes" not in page  # no button that answers 403
    # Within the assignment: the meeting opens, but the commitment from before it is left out.
    within = client.post(f"/meetings/{noted['later']}/notes")
    assert within.status_code == 200 and "zqx" not in within.get_data(as_text=True)
    assert client.post(f"/meetings/{noted['later']}/self-examination").status_code == 200
    with app.test_request_context():
        cadre = db.session.scalars(select(User).where(User.username == "phutrach")).one()
        held, later = db.session.get(Meeting, noted["meeting"]), db.session.get(Meeting, noted["later"])
        assert not can_read_notes(cadre, held) and can_read_notes(cadre, later)


def test_in_charge_cadre_assigned_before_the_meeting_reads_it(app, client, login_as, noted):
    login_as(_cadre_in_charge(app, noted["cell"], date.today() - timedelta(days=30)))
    opened = client.post(f"/meetings/{noted['meeting']}/notes").get_data(as_text=True)
    assert TEXT in opened and COMMITMENT in opened


def test_a_sealed_text_never_renders_outside_the_reading_module(app, noted):
    with app.test_request_context():
        note = db.session.get(CriticismNote, noted["note"])
        with pytest.raises(SealedTextError):
            render_template_string("<p>{{ note.text }}</p>", note=note)
        with pytest.raises(SealedTextError):
            f"{note.text}"  # noqa: B018 - a log line or an export
        with pytest.raises(SealedTextError):
            str(note.commitments[0].what)
        assert note.text == TEXT  # services still compare it
        opened = open_one(None, "thử", note)  # no reader: nothing opened
        assert opened is None
        db.session.rollback()


def test_the_opened_panel_costs_the_same_however_many_notes(app, client, login_as, noted, count_queries):
    """Opening audits and commits before rendering without loading the notes again one by one."""
    login_as("xa")

    def opened() -> int:
        with app.app_context(), count_queries() as statements:
            assert client.post(f"/meetings/{noted['meeting']}/notes").status_code == 200
        return len(statements)

    few = opened()
    with app.test_request_context():
        meeting = db.session.get(Meeting, noted["meeting"])
        member = db.session.get(Member, noted["member"])
        for i in range(6):
            criticism.add_note(
                None,
                meeting,
                kind="criticism",
                subject="member",
                subject_member=member,
                text=f"Thêm {i}",
                by_name="Đại biểu",
                commitment=(f"Sửa {i}", meeting.on + timedelta(days=30)),
            )
        db.session.commit()
    assert opened() == few
