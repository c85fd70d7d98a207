"""Every notes, “tự soi, tự sửa” and year-end review route against role × relation.
Texts are read by the commune office, the cell's secretary and deputy, the cadre in
charge of the cell and administrators; district offices and viewers see counts only
(403 on every text); anyone else does not see the cell at all (404)."""

from datetime import date

import pytest
from sqlalchemy import select

from app.criticism.models import Commitment, CriticismNote
from app.extensions import db
from app.meetings.models import Meeting
from app.meetings.queries import member_choices
from app.self_examination.models import SelfExamination
from tests.meetings.test_meeting_permissions import VIEW_MEETINGS
from tests.org.test_permission_matrix import ALL, IN_COMMUNE, INVALID, RELATIONS

pytestmark = pytest.mark.committing  # see tests/conftest.py rolled_back

VIEW = VIEW_MEETINGS | {"phobithu": {"cell"}}
READ = {
    "quantri": ALL,
    "huyen": set(),
    "xa": IN_COMMUNE,
    "bithu": {"cell"},
    "phobithu": {"cell"},
    "giamsat": {"cell"},  # in charge of that cell; only follows others
    "xem": set(),
}
RECORD = READ | {"giamsat": set()}
YEAR = date.today().year

# (method, url, right needed, status when allowed, only_denials, extra form data)
ROUTES = [
    ("GET", "/meetings/{adopted}/notes", "view", 303, False, {}),
    ("POST", "/meetings/{adopted}/notes", "read", 200, False, {}),
    ("GET", "/meetings/{adopted}/notes/form?member={member}", "record", 200, False, {}),
    ("POST", "/meetings/{adopted}/notes/add", "record", 422, False, {}),
    ("POST", "/notes/{note}/edit", "record", 422, False, {}),
    ("POST", "/notes/{note}/delete", "record", 422, True, {}),
    ("POST", "/notes/{note}/restore", "record", 422, True, {}),
    ("POST", "/notes/{note}/commitments", "record", 422, False, {}),
    ("POST", "/notes/{note}/history", "read", 200, False, {}),
    ("POST", "/commitments/{commitment}/review", "record", 422, False, {"meeting_key": "adopted"}),
    ("POST", "/meetings/{adopted}/print/minutes/cell-copy", "read", 200, False, {}),
    ("GET", "/meetings/{session}/self-examination", "view", 200, False, {}),
    ("POST", "/meetings/{session}/self-examination", "read", 200, False, {}),
    ("POST", "/meetings/{session}/self-examination/start", "record", 303, False, {}),
    ("POST", "/self-examinations/{examination}/members/{member}", "read", 200, False, {}),
    ("POST", "/self-examinations/{examination}/members/{member}/save", "record", 200, True, {}),
    ("POST", "/self-examinations/{examination}/assessment", "record", 200, True, {}),
    ("POST", "/self-examinations/{examination}/print", "read", 200, False, {}),
    ("POST", "/self-examinations/{examination}/members/{member}/print", "read", 200, False, {}),
    ("GET", "/cells/{cell}/year-review/{year}", "view", 200, False, {}),
    ("POST", "/cells/{cell}/year-review/{year}", "read", 200, False, {}),
    ("POST", "/cells/{cell}/year-review/{year}/members/{member}", "read", 200, False, {}),
    ("POST", "/cells/{cell}/year-review/{year}/members/{member}/save", "record", 422, False, {"proposed_rating": "x"}),
    ("POST", "/cells/{cell}/year-review/{year}/print", "read", 200, False, {}),
]


def expected_status(role, relation, need, allowed_status):
    if relation not in VIEW[role]:
        return 404
    allowed = {"view": True, "read": relation in READ[role], "record": relation in RECORD[role]}[need]
    return allowed_status if allowed else 403


@pytest.fixture(scope="module")
def values(app, world):
    """In each relation's cell: an adopted meeting with a note and a commitment, and a
    combined meeting held as a “tự soi, tự sửa” session."""
    found = {}
    with app.test_request_context():
        for relation in RELATIONS:
            cell_id = world[relation]
            adopted = db.session.scalars(
                select(Meeting)
                .where(Meeting.cell_id == cell_id, Meeting.status == "adopted", Meeting.kind == "regular")
                .order_by(Meeting.held_on.desc())
            ).first()
            session = db.session.scalars(
                select(Meeting)
                .where(Meeting.cell_id == cell_id, Meeting.kind == "combined", Meeting.status == "adopted")
                .order_by(Meeting.id)
            ).first()
            examination = db.session.scalars(
                select(SelfExamination).where(SelfExamination.meeting_id == session.id)
            ).first() or SelfExamination(meeting_id=session.id)
            db.session.add(examination)
            member_id = member_choices(session.cell, session.on)[0][0]
            note = CriticismNote(
                meeting_id=adopted.id, cell_id=cell_id, subject="cell", kind="reminder", text="Ghi chép kiểm tra quyền"
            )
            db.session.add(note)
            db.session.flush()
            commitment = Commitment(note_id=note.id, cell_id=cell_id, what="Kiểm tra quyền", due_on=date.today())
            db.session.add(commitment)
            db.session.flush()
            found[relation] = {
                "cell": cell_id,
                "adopted": adopted.id,
                "session": session.id,
                "examination": examination.id,
                "member": member_id,
                "note": note.id,
                "commitment": commitment.id,
                "year": YEAR,
            }
        db.session.commit()
    return found


@pytest.mark.parametrize("role", list(VIEW))
def test_notes_routes_follow_the_matrix(client, login_as, values, role):
    login_as(role)
    failures = []
    for relation in RELATIONS:
        for method, template, need, allowed_status, only_denials, extra in ROUTES:
            expected = expected_status(role, relation, need, allowed_status)
            if only_denials and expected == allowed_status:
                continue
            url = template.format(**values[relation])
            data = dict(INVALID) | {k: v for k, v in extra.items() if k != "meeting_key"}
            if "meeting_key" in extra:
                data["meeting_id"] = values[relation][extra["meeting_key"]]
            response = client.open(url, method=method, data=data if method == "POST" else None)
            if response.status_code != expected:
                failures.append(f"{role} {relation} {method} {url}: {response.status_code} != {expected}")
            if response.status_code in (403, 404):
                assert "Ghi chép kiểm tra quyền" not in response.get_data(as_text=True)
    assert not failures, "\n".join(failures)


def test_a_cadre_who_only_follows_a_cell_reads_no_texts(app, client, login_as, values):
    from app.auth.models import User
    from app.supervision.models import SupervisionAssignment

    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "giamsat"))
        followed = db.session.scalars(
            select(SupervisionAssignment.cell_id).where(
                SupervisionAssignment.user_id == user_id, SupervisionAssignment.kind == "follows"
            )
        ).first()
        meeting = db.session.scalars(
            select(Meeting.id).where(Meeting.cell_id == followed, Meeting.status == "adopted")
        ).first()
    login_as("giamsat")
    assert client.get(f"/meetings/{meeting}").status_code == 200
    assert client.post(f"/meetings/{meeting}/notes").status_code == 403


def test_searches_exports_and_the_audit_log_never_carry_a_text(app, client, login_as, values, world):
    login_as("xa")
    client.post(f"/meetings/{values['cell']['adopted']}/notes")
    search = client.post("/members/search", data={"q": "kiem tra quyen", "unit": world["commune"]})
    assert search.status_code == 200 and "Ghi chép kiểm tra quyền" not in search.get_data(as_text=True)
    for url in (
        f"/units/{world['commune']}",
        f"/cells/{world['cell']}/meetings",
        f"/meetings/{values['cell']['adopted']}",
        f"/meetings/{values['cell']['adopted']}/print/minutes",
        "/audit",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Ghi chép kiểm tra quyền" not in response.get_data(as_text=True), url
