"""Every meeting, attendance, minutes and print route against role × relation: another
commune's office or a sibling cell's secretary gets 404, a viewer reads only (403 on
changes), a supervisor reads the cells they follow, offices reopen minutes."""

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.meetings.documents import store_document
from app.meetings.models import AgendaItem, Meeting, ThematicTopic
from app.minutes.models import Minutes, MinutesItem, Speaker, Task
from app.org.models import Membership
from tests.org.test_permission_matrix import INVALID, MATRIX, RELATIONS

pytestmark = pytest.mark.committing  # see tests/conftest.py rolled_back

# role -> relations where the role sees meetings / runs them / reopens minutes / attends
VIEW_MEETINGS = {role: view for role, (view, _edit, _change) in MATRIX.items()} | {"giamsat": {"cell"}}
RUN = {role: edit for role, (_view, edit, _change) in MATRIX.items()}
REOPEN = {role: change for role, (_view, _edit, change) in MATRIX.items()}
ATTEND = {role: set() for role in MATRIX} | {"giamsat": {"cell"}}

# (method, url, right needed, status when allowed, only_denials). Allowed POSTs send
# invalid data or hit a rule, so nothing changes. Routes that would change demo data
# even then, or that render a PDF, are checked only where they must be refused.
ROUTES = [
    ("GET", "/cells/{cell}/meetings", "view", 200, False),
    ("GET", "/cells/{cell}/meetings?year=2020", "view", 200, False),
    ("POST", "/cells/{cell}/meetings/plan", "run", 303, False),
    ("GET", "/cells/{cell}/meetings/new", "run", 200, False),
    ("POST", "/cells/{cell}/meetings/new", "run", 422, False),
    ("POST", "/cells/{cell}/topics", "run", 303, False),
    ("GET", "/topics/{topic}/schedule", "run", 200, False),
    ("POST", "/topics/{topic}/schedule", "run", 422, False),
    ("POST", "/topics/{topic}/delete", "run", 303, False),
    ("GET", "/meetings/{adopted}", "view", 200, False),
    ("GET", "/meetings/{prepared}", "view", 200, False),
    ("GET", "/meetings/{prepared}/edit", "run", 200, False),
    ("POST", "/meetings/{prepared}/edit", "run", 422, False),
    ("POST", "/meetings/{prepared}/prepared", "run", 303, False),
    ("GET", "/meetings/{prepared}/held", "run", 200, False),
    ("POST", "/meetings/{prepared}/held", "run", 422, False),
    ("GET", "/meetings/{prepared}/postpone", "run", 200, False),
    ("POST", "/meetings/{prepared}/postpone", "run", 422, False),
    ("GET", "/meetings/{prepared}/cancel", "run", 200, False),
    ("POST", "/meetings/{prepared}/cancel", "run", 422, False),
    ("POST", "/meetings/{prepared}/agenda", "run", 303, False),
    ("GET", "/agenda-items/{item}/edit", "run", 200, False),
    ("POST", "/agenda-items/{item}/edit", "run", 422, False),
    ("POST", "/agenda-items/{item}/move", "run", 400, False),
    ("POST", "/agenda-items/{item}/delete", "run", 303, True),
    ("POST", "/meetings/{prepared}/documents", "run", 303, False),
    ("GET", "/documents/{doc}", "view", 200, False),
    ("POST", "/documents/{doc}/availability", "run", 303, False),
    ("POST", "/documents/{doc}/delete", "run", 303, True),
    ("POST", "/meetings/{prepared}/notifications", "run", 422, False),
    ("GET", "/meetings/{adopted}/attendance", "view", 200, False),
    ("POST", "/meetings/{adopted}/attendance/{member}", "run", 400, False),
    ("POST", "/meetings/{adopted}/attendance/all-present", "run", 303, False),
    ("POST", "/meetings/{adopted}/guests", "run", 422, False),
    ("POST", "/guests/{guest}/delete", "run", 303, True),
    ("GET", "/meetings/{adopted}/minutes", "view", 200, False),
    ("POST", "/meetings/{adopted}/minutes", "run", 303, False),
    ("POST", "/minutes/{minutes}", "run", 422, False),
    ("POST", "/minutes-items/{mitem}/speakers", "run", 303, False),
    ("POST", "/speakers/{speaker}/delete", "run", 303, False),
    ("POST", "/minutes/{minutes}/tasks", "run", 422, False),
    ("POST", "/tasks/{task}/done", "run", 303, True),
    ("POST", "/minutes/{minutes}/adopt", "run", 303, False),
    ("GET", "/minutes/{minutes}/erratum", "run", 200, False),
    ("POST", "/minutes/{minutes}/erratum", "run", 422, False),
    ("GET", "/minutes/{minutes}/reopen", "reopen", 200, False),
    ("POST", "/minutes/{minutes}/reopen", "reopen", 422, False),
    ("GET", "/minutes/{minutes}/history", "view", 200, False),
    ("GET", "/meetings/{adopted}/print/minutes", "view", 200, False),
    ("GET", "/meetings/{adopted}/print/agenda", "view", 200, False),
    ("GET", "/meetings/{adopted}/print/sign-in", "view", 200, False),
    ("GET", "/meetings/{adopted}/print/extract?item={mitem}", "view", 200, False),
    ("GET", "/meetings/{adopted}/print/minutes.pdf", "view", 200, True),
    ("POST", "/meetings/{adopted}/check-in", "attend", 303, False),
    ("POST", "/meetings/{adopted}/check-out", "attend", 303, False),
    ("POST", "/meetings/{adopted}/apologies", "attend", 303, False),
    ("POST", "/meetings/{adopted}/remarks", "attend", 303, False),
    ("GET", "/meetings/{adopted}/delegates/new", "run", 200, False),
    ("GET", "/meetings/{adopted}/score", "score", 200, False),
    ("POST", "/meetings/{adopted}/score", "score", 422, False),
    ("GET", "/meetings/{adopted}/scores", "view", 200, False),
    ("POST", "/meetings/{adopted}/grade", "reopen", 303, False),
    ("POST", "/meetings/{adopted}/delegates/new", "run", 422, False),
]


def expected_status(role, relation, need, allowed_status):
    if relation not in VIEW_MEETINGS[role]:
        return 404
    allowed = {
        "view": True,
        "run": relation in RUN[role],
        "reopen": relation in REOPEN[role],
        "attend": relation in ATTEND[role],
        "score": relation in RUN[role] or relation in ATTEND[role],
    }[need]
    return allowed_status if allowed else 403


def _first(stmt):
    return db.session.scalars(stmt.limit(1)).first()


@pytest.fixture(scope="module")
def values(app, world):
    """Ids of one of each object in the cell of every relation."""
    found = {}
    with app.test_request_context():
        for relation in RELATIONS:
            cell_id = world[relation]
            adopted = _first(
                select(Meeting).where(Meeting.cell_id == cell_id, Meeting.status == "adopted").order_by(Meeting.id)
            )
            prepared = _first(select(Meeting).where(Meeting.cell_id == cell_id, Meeting.status == "prepared"))
            minutes = _first(select(Minutes).where(Minutes.meeting_id == adopted.id))
            mitem = _first(select(MinutesItem).where(MinutesItem.minutes_id == minutes.id).order_by(MinutesItem.id))
            speaker = _first(
                select(Speaker)
                .join(MinutesItem, Speaker.item_id == MinutesItem.id)
                .where(MinutesItem.minutes_id == minutes.id)
            )
            document = store_document(None, prepared, _Upload(), "Tài liệu kiểm tra quyền", None)
            guest = _guest(adopted)
            found[relation] = {
                "cell": cell_id,
                "adopted": adopted.id,
                "prepared": prepared.id,
                "item": _first(select(AgendaItem).where(AgendaItem.meeting_id == prepared.id)).id,
                "minutes": minutes.id,
                "mitem": mitem.id,
                "speaker": speaker.id,
                "task": _first(select(Task).where(Task.meeting_id == adopted.id)).id,
                "topic": _first(
                    select(ThematicTopic).where(ThematicTopic.cell_id == cell_id, ThematicTopic.meeting_id.is_not(None))
                ).id,
                "doc": document.id,
                "guest": guest.id,
                "member": _first(
                    select(Membership.member_id).where(Membership.unit_id == cell_id, Membership.to_on.is_(None))
                ),
            }
        db.session.commit()
    return found


class _Upload:
    filename = "kiem-tra.pdf"

    def read(self, size):
        return b"%PDF-1.4\n%%EOF"


def _guest(meeting):
    """Guests can't be added to adopted minutes through the service: insert directly."""
    from app.attendance.models import Guest

    guest = Guest(meeting_id=meeting.id, name="Khách kiểm tra quyền")
    db.session.add(guest)
    db.session.flush()
    return guest


@pytest.mark.parametrize("role", MATRIX)
def test_meeting_routes_follow_the_matrix(client, login_as, values, role):
    login_as(role)
    failures = []
    for relation in RELATIONS:
        for method, template, need, allowed_status, only_denials in ROUTES:
            expected = expected_status(role, relation, need, allowed_status)
            if only_denials and expected == allowed_status:
                continue
            url = template.format(**values[relation])
            response = client.open(url, method=method, data=INVALID if method == "POST" else None)
            if response.status_code != expected:
                failures.append(f"{role} {relation} {method} {url}: {response.status_code} != {expected}")
    assert not failures, "\n".join(failures)


def test_calendar_and_templates_of_another_commune_are_hidden(client, login_as, world):
    login_as("xa")
    assert client.get(f"/units/{world['commune']}/calendar").status_code == 200
    assert client.get(f"/units/{world['other_commune']}/calendar").status_code == 404
    assert client.get(f"/units/{world['commune']}/agenda-templates").status_code == 200
    assert client.get(f"/units/{world['other_commune']}/agenda-templates").status_code == 404
    login_as("bithu")  # a cell's secretary does not see the commune
    assert client.get(f"/units/{world['commune']}/agenda-templates").status_code == 404
    login_as("xem")
    assert client.get(f"/units/{world['commune']}/calendar").status_code == 200
    assert client.post(f"/units/{world['commune']}/agenda-templates", data={"lines": "x"}).status_code == 403


def test_commune_calendar_lists_only_visible_cells(app, client, login_as, world):
    login_as("giamsat")  # supervises three cells, has no role on the commune itself
    assert (
        client.get(f"/units/{world['commune']}/calendar?month={date.today().year}-{date.today().month}").status_code
        == 404
    )
