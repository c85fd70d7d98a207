"""The permission matrix, generated from the URL map: every route and method × every role
× the relation between the user and the object (own cell, sibling cell, other commune,
other district, the former cell of a transferred member, a supervision assignment before /
during / after). The expected answer comes from the route's declaration (what it loads, the
permission it needs) and the table below of which role holds which permission where,
written by hand: access.py is never asked. 404 hides what a user may not see, 403 refuses
what they see but may not change.

Each request stops once the declaration has let it through (the `authorized` signal), so
the view itself never runs: nothing is written, and the whole matrix stays fast."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, select, text

from app.auth.models import User
from app.extensions import db
from app.meetings.models import Meeting
from app.org import services as org_services
from app.org.access import Permission, can, can_change_unit
from app.org.models import Member, Membership, MembershipKind, OrgUnit, RoleAssignment
from app.supervision.models import SupervisionAssignment
from app.web.authz import Cell, authorized, declaration_of
from tests.conftest import user_by_name

P = Permission

# --- who holds what, where (by hand) --------------------------------------------------
OFFICE = frozenset(
    {
        P.view,
        P.edit_members,
        P.manage_units,
        P.manage_accounts,
        P.view_audit,
        P.view_meetings,
        P.run_meetings,
        P.assign_supervisors,
        P.set_grade,
        P.answer_proposals,
        P.reopen_minutes,
        P.confirm_extraordinary,
        P.manage_templates,
    }
)
NOTES = frozenset({P.read_notes, P.record_notes})
CELL_LEADER = frozenset({P.view, P.view_meetings, P.edit_members, P.run_meetings}) | NOTES
IN_CHARGE = frozenset({P.view_meetings, P.attend, P.read_notes})
FOLLOWING = frozenset({P.view_meetings, P.attend})

# role -> [(where, permissions)]; "where" names a unit of `places`; "anywhere" for the admin.
# Supervisors hold theirs on the cells of their current assignments only: "cell" (since
# 2000) and "sibling_cell" (since the day after the meeting the matrix uses there).
HOLDS = {
    "admin": [("anywhere", OFFICE | NOTES | {P.edit_reference_data})],
    "district_office": [("district", OFFICE)],
    "commune_office": [("commune", OFFICE | NOTES)],
    "cell_secretary": [("cell", CELL_LEADER)],
    "cell_deputy": [("cell", CELL_LEADER)],
    "supervisor_in_charge": [("cell", IN_CHARGE), ("sibling_cell", IN_CHARGE)],
    "supervisor_following": [("cell", FOLLOWING), ("sibling_cell", FOLLOWING)],
    "viewer": [("district", frozenset({P.view, P.view_meetings}))],
}
ROLES = list(HOLDS)
ACCOUNTS = {
    "admin": "quantri",
    "district_office": "huyen",
    "commune_office": "xa",
    "cell_secretary": "bithu",
    "cell_deputy": "phobithu",
    "viewer": "xem",
}
# What makes an object visible when the declaration does not say.
VISIBLE_BY_DEFAULT = P.view_meetings
VISIBLE = {"OrgUnit": P.view, "Member": P.view, "Position": P.view, "SupervisionAssignment": P.view}

# Relations: the cell the objects are taken from. For supervisors, "ended_cell" and
# "future_cell" are cells whose assignment ended last month / starts next month, and in
# "sibling_cell" the meeting is one held before their assignment there began.
MATRIX_RELATIONS = ["cell", "sibling_cell", "ended_cell", "future_cell", "other_commune_cell", "other_district_cell"]
FORMER = "former_cell"  # a member transferred from the own cell to another district

ALLOWED, HIDDEN, REFUSED = "allowed", 404, 403


class Allowed(Exception):
    """Raised from the `authorized` signal: the declaration let the request through."""


# --- the world of one test: places, objects in each relation, supervisors -------------


@dataclass
class Target:
    """One object the URL names, with the facts its expected answer depends on."""

    url: str
    visible_paths: list[str]
    perm_path: str
    meeting_on: date | None = None
    extra: dict = field(default_factory=dict)


def _row(table: str, where: str, **values) -> int:
    """The newest row of `table` matching `where`, else a copy of any row of it (or a new
    one from `values` alone) with `values` set: every relation gets every kind of object."""
    t = db.metadata.tables[table]
    found = db.session.scalar(select(func.max(t.c.id)).where(text(where)))
    if found is not None:
        return found
    source = db.session.execute(select(t).order_by(t.c.id).limit(1)).mappings().first()
    row = {k: v for k, v in (source or {}).items() if k != "id"} | values
    return db.session.execute(insert(t).values(**row)).inserted_primary_key[0]


def _meeting_of(cell_id: int) -> Meeting:
    """The cell's newest meeting with minutes (the one the objects hang on)."""
    return db.session.scalars(
        select(Meeting)
        .where(Meeting.cell_id == cell_id, Meeting.id.in_(select(db.metadata.tables["minutes"].c.meeting_id)))
        .order_by(Meeting.id.desc())
    ).first()


def _account_on(cell_id: int, name: str) -> tuple[int, int]:
    user = User(username=name, full_name=name, password_hash="!")
    db.session.add(user)
    db.session.flush()
    role = RoleAssignment(user_id=user.id, unit_id=cell_id, role="cell_secretary", from_on=date(2020, 1, 1))
    db.session.add(role)
    db.session.flush()
    return user.id, role.id


def _supervisor(name: str, kind: str, places: dict, sibling_meeting: Meeting) -> User:
    today = date.today()
    user = User(username=name, full_name=name, password_hash="!")
    db.session.add(user)
    db.session.flush()
    periods = {
        "cell": (date(2000, 1, 1), None),
        "sibling_cell": (sibling_meeting.on + timedelta(days=1), None),
        "ended_cell": (date(2000, 1, 1), today - timedelta(days=30)),
        "future_cell": (today + timedelta(days=30), None),
    }
    for where, (from_on, to_on) in periods.items():
        db.session.add(
            SupervisionAssignment(
                user_id=user.id,
                cell_id=places[where].id,
                kind=kind,
                level="commune",
                from_on=from_on,
                to_on=to_on,
            )
        )
    db.session.flush()
    return user


@dataclass(frozen=True)
class Place:
    id: int
    path: str
    name: str


def _places(world) -> dict[str, Place]:
    others = db.session.scalars(
        select(OrgUnit)
        .where(
            OrgUnit.parent_id == world["commune"],
            OrgUnit.kind == "cell",
            OrgUnit.id.not_in([world["cell"], world["sibling_cell"]]),
            OrgUnit.code.is_not(None),
        )
        .order_by(OrgUnit.id)
    ).all()
    ids = {k: world[k] for k in ("district", "commune", "cell", "sibling_cell", "other_commune_cell")}
    ids |= {
        "other_district_cell": world["other_district_cell"],
        "ended_cell": others[0].id,
        "future_cell": others[1].id,
    }
    units = {k: db.session.get(OrgUnit, v) for k, v in ids.items()}
    return {k: Place(u.id, u.path, u.name) for k, u in units.items()}


CURRENT_PHONE = "0912 345 678"


def _transferred_member(places) -> Member:
    member = org_services.add_member(
        None,
        db.session.get(OrgUnit, places["cell"].id),
        {"full_name": "Nguyễn Văn Chuyển Đi", "gender": "male", "joined_on": date(2010, 1, 1)},
        from_on=date(2020, 1, 1),
    )
    db.session.flush()
    current = db.session.scalars(select(Membership).where(Membership.member_id == member.id)).one()
    org_services.transfer_member(
        None,
        member,
        current,
        db.session.get(OrgUnit, places["other_district_cell"].id),
        on=date.today() - timedelta(days=60),
        kind=MembershipKind.regular,
        reason="",
    )
    # Their former cell's own record says only that they left; the rest is the profile of now.
    current.end_reason = "Chuyển sinh hoạt"
    member.phone = CURRENT_PHONE
    db.session.flush()
    return member


def _member_facts(member_id: int) -> tuple[list[str], str]:
    rows = db.session.execute(
        select(OrgUnit.path, Membership.to_on)
        .join(Membership, Membership.unit_id == OrgUnit.id)
        .where(Membership.member_id == member_id)
    ).all()
    return [path for path, _ in rows], next(path for path, to_on in rows if to_on is None)


def _targets(places: dict, relation: str, place: Place, taken: dict) -> dict[str, Target]:
    """What each URL parameter names in this relation, and the facts about it."""
    cell = db.session.get(OrgUnit, place.id)
    meeting = _meeting_of(cell.id)
    mid, on, path = meeting.id, meeting.on, cell.path
    commune = db.session.get(OrgUnit, cell.parent_id)
    minutes = _row("minutes", f"meeting_id = {mid}")
    minutes_item = _row("minutes_items", f"minutes_id = {minutes}")
    part = {
        "guest_id": _row("meeting_guests", f"meeting_id = {mid}", meeting_id=mid, name="Khách", is_deleted=False),
        "document_id": _row(
            "documents",
            f"meeting_id = {mid}",
            meeting_id=mid,
            title="Tài liệu",
            filename="a.pdf",
            stored_name=f"matrix-{mid}",
            kind="pdf",
            size=1,
            sha256="0" * 64,
            is_deleted=False,
        ),
        "entry_id": _row("delegate_attendance", f"meeting_id = {mid}", meeting_id=mid),
        "task_id": _row("tasks", f"meeting_id = {mid} AND is_deleted = false", meeting_id=mid, is_deleted=False),
        "resolution_id": _row("resolutions", f"meeting_id = {mid}", meeting_id=mid),
        "examination_id": _row("self_examinations", f"meeting_id = {mid}", meeting_id=mid),
        "note_id": _row("criticism_notes", f"meeting_id = {mid}", meeting_id=mid),
        "minutes_id": minutes,
        "speaker_id": _row(
            "minutes_speakers",
            f"item_id = {minutes_item} AND is_deleted = false",
            item_id=minutes_item,
            is_deleted=False,
        ),
        "meeting_id": mid,
    }
    targets = {name: Target(str(ident), [path], path, on) for name, ident in part.items()}
    targets["item_id"] = Target(str(_row("agenda_items", f"meeting_id = {mid}")), [path], path, on)
    targets["minutes.item_id"] = Target(str(minutes_item), [path], path, on)
    for name, ident in {
        "unit_id": cell.id,
        "cell_id": cell.id,
        "topic_id": _row("thematic_topics", f"cell_id = {cell.id} AND is_deleted = false", cell_id=cell.id),
        "commitment_id": _row(
            "commitments", f"cell_id = {cell.id} AND is_deleted = false", cell_id=cell.id, is_deleted=False
        ),
    }.items():
        targets[name] = Target(str(ident), [path], path)
    targets["unit_id"].extra["parent"] = commune.path
    proposal = _row(
        "proposals",
        f"cell_id = {cell.id} AND addressed_unit_id = {commune.id} AND is_deleted = false",
        cell_id=cell.id,
        addressed_unit_id=commune.id,
        is_deleted=False,
    )
    targets["proposal_id"] = Target(str(proposal), [path], path, extra={"addressed": commune.path})
    member = db.session.scalar(
        select(func.max(Membership.member_id)).where(Membership.unit_id == cell.id, Membership.to_on.is_(None))
    )
    seen, current = _member_facts(member)
    targets["member_id"] = Target(str(member), seen, current)
    position = _row("positions", f"unit_id = {cell.id}")
    position_member = db.session.scalar(text(f"SELECT member_id FROM positions WHERE id = {position}"))
    targets["position_id"] = Target(str(position), _member_facts(position_member)[0], path)
    # An account whose only role is on this cell, and that role.
    user_id, role_id = taken.setdefault(cell.id, _account_on(cell.id, f"matrix-{relation}"))
    targets["user_id"] = Target(str(user_id), [path], path)
    targets["accounts.assignment_id"] = Target(str(role_id), [path], path)
    sup = _row("supervision_assignments", f"cell_id = {cell.id}", cell_id=cell.id)
    targets["supervision.assignment_id"] = Target(str(sup), [path], path, extra={"parent": commune.path})
    return targets


# --- the expected answer: declaration + the table above ----------------------------------


def _held(role: str, places: dict, unit_path: str) -> frozenset:
    held = frozenset()
    for where, perms in HOLDS[role]:
        if where == "anywhere" or unit_path.startswith(places[where].path):
            held |= perms
    return held


def _held_anywhere(role: str) -> frozenset:
    return frozenset().union(*(perms for _, perms in HOLDS[role]))


def _in_assignment(role: str, places: dict, target: Target) -> bool:
    """The cadre in charge reads notes only of meetings held within
    the assignment; in "sibling_cell" the meeting is from before it began."""
    return not (
        role == "supervisor_in_charge"
        and target.meeting_on is not None
        and target.perm_path.startswith(places["sibling_cell"].path)
    )


def expected(role: str, places: dict, declaration, method: str, target: Target | None) -> object:
    needed = declaration.needs(method)
    if declaration.kind == "public":
        return ALLOWED
    if declaration.kind == "signed_in":
        if needed is None or needed in _held_anywhere(role):
            return ALLOWED
        shown = declaration.perm is None or declaration.perm in _held_anywhere(role)
        return REFUSED if shown and needed is not declaration.perm else HIDDEN
    model = declaration.model.__name__
    options = declaration.options
    if model == "User" or (model == "RoleAssignment"):
        # Accounts: managed by whoever manages accounts on every unit the account has a role
        # on and could grant its roles; the matrix's accounts are cell secretaries, whose
        # role reads notes: an administrator or the commune office above the cell only.
        manages = P.manage_accounts in _held(role, places, target.perm_path)
        return ALLOWED if manages and role in ("admin", "commune_office") else HIDDEN
    visible_perm = declaration.visible or VISIBLE.get(model, VISIBLE_BY_DEFAULT)
    visible = any(visible_perm in _held(role, places, p) for p in target.visible_paths)
    if model == "Proposal":
        visible = visible or P.answer_proposals in _held(role, places, target.extra["addressed"])
    if not visible:
        return HIDDEN
    if needed is visible_perm and model in ("Member", "Position"):
        return ALLOWED  # seen through any of the member's cells, past ones included
    where = target.perm_path
    if options.get("on") == "parent":
        where = target.extra["parent"]
    elif options.get("on") == "addressed_unit":
        where = target.extra["addressed"]
    held = _held(role, places, where)
    if model == "SupervisionAssignment":  # ended by an office of the cell or the unit above
        held |= _held(role, places, target.extra["parent"])
    needs = needed if isinstance(needed, frozenset) else {needed}
    return ALLOWED if needs & held else REFUSED


def _param_target(targets, endpoint: str, name: str) -> Target | None:
    blueprint = endpoint.split(".")[0]
    return targets.get(f"{blueprint}.{name}") or targets.get(name)


def _url(rule, targets) -> tuple[str, Target | None] | None:
    """The rule's path in this relation and the object its declaration loads."""
    values, loaded = {}, None
    for name in rule.arguments:
        if name == "year":
            values[name] = str(date.today().year)
        elif name == "doc":
            values[name] = "minutes"
        elif name == "template_id":
            values[name] = "1"
        else:
            target = _param_target(targets, rule.endpoint, name)
            if target is None:
                return None
            values[name] = target.url
            loaded = loaded or target
    return rule.build(values, append_unknown=False)[1], loaded


def _cases(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule, method, declaration_of(app, rule.endpoint)


def _loaded_first(rule, declaration, targets):
    """The target of the parameter the declaration loads (a route may name two ids)."""
    from app.web.authz import LOADERS

    for name in LOADERS[declaration.model].params:
        if name in rule.arguments:
            return _param_target(targets, rule.endpoint, name)
    return None


@pytest.fixture()
def matrix_world(app, world):
    with app.app_context():
        places = _places(world)
        sibling_meeting = _meeting_of(places["sibling_cell"].id)
        users = {
            "supervisor_in_charge": _supervisor("matrix-in-charge", "in_charge", places, sibling_meeting),
            "supervisor_following": _supervisor("matrix-follows", "follows", places, sibling_meeting),
        }
        taken = {places["cell"].id: (user_by_name("bithu").id, _bithu_role())}
        relations = {rel: _targets(places, rel, places[rel], taken) for rel in MATRIX_RELATIONS}
        member = _transferred_member(places)
        seen, current = _member_facts(member.id)
        relations[FORMER] = {"member_id": Target(str(member.id), seen, current)}
        db.session.commit()  # only releases the test's savepoint (rolled_back)
        user_ids = {role: users[role].id for role in users}
        return places, relations, user_ids


def _bithu_role() -> int:
    return db.session.scalar(
        select(RoleAssignment.id).where(RoleAssignment.user_id == user_by_name("bithu").id).order_by(RoleAssignment.id)
    )


def _request(client, method: str, url: str):
    try:
        return client.open(url, method=method, headers={"Origin": "http://localhost"}).status_code
    except Allowed:
        return ALLOWED


def _stop_when_authorized(sender, **extra):
    raise Allowed()


def _run(app, client, login_as, matrix_world, role, relations):
    places, by_relation, user_ids = matrix_world
    with app.app_context():
        login_as(db.session.get(User, user_ids[role]) if role in user_ids else ACCOUNTS[role])
    results = []
    authorized.connect(_stop_when_authorized)
    try:
        for rule, method, declaration in _cases(app):
            for relation in relations:
                targets = by_relation[relation]
                if not rule.arguments and relation != "cell":
                    continue  # a page of no object: once
                built = _url(rule, targets)
                if built is None:
                    continue
                url, _ = built
                target = _loaded_first(rule, declaration, targets) if declaration.kind == "loads" else None
                with app.app_context():
                    want = expected(role, places, declaration, method, target)
                    outside = False
                    if (
                        declaration.kind == "loads"
                        and declaration.needs(method) is P.read_notes
                        and want == ALLOWED
                        and not _in_assignment(role, places, target)
                    ):
                        # A cadre in charge reads notes of meetings within the assignment only.
                        want, outside = REFUSED, True
                got = _request(client, method, url)
                results.append((f"{role} {relation} {method} {url} ({rule.endpoint})", got, want, outside))
    finally:
        authorized.disconnect(_stop_when_authorized)
    return results


@pytest.mark.parametrize("role", ROLES)
def test_matrix(app, client, login_as, matrix_world, role):
    results = _run(app, client, login_as, matrix_world, role, MATRIX_RELATIONS)
    failures = [f"{case}: {got} != {want}" for case, got, want, _ in results if got != want]
    assert not failures, f"{len(failures)} of {len(results)}:\n" + "\n".join(failures)
    endpoints = {case.split("(")[-1] for case, *_ in results}
    assert len(endpoints) == sum(1 for r in app.url_map.iter_rules() if r.endpoint != "static")


def test_in_charge_reads_notes_only_of_meetings_within_the_assignment(app, client, login_as, matrix_world):
    results = _run(app, client, login_as, matrix_world, "supervisor_in_charge", ["sibling_cell"])
    outside = [(case, got, want) for case, got, want, is_outside in results if is_outside]
    assert outside  # the notes routes of a meeting held before the assignment began
    failures = [f"{case}: {got} != {want}" for case, got, want in outside if got != want]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ["cell_secretary", "cell_deputy", "commune_office"])
def test_former_cell_keeps_the_transferred_members_history_but_may_not_change_it(
    app, client, login_as, matrix_world, role
):
    results = _run(app, client, login_as, matrix_world, role, [FORMER])
    assert results and all(got == want for _, got, want, _ in results), results
    assert {want for _, _, want, _ in results} == {ALLOWED, REFUSED}


def test_former_cell_sees_its_own_time_not_the_current_profile(app, client, login_as, matrix_world):
    """The former cell reads the member's history of its time only."""
    _, relations, _ = matrix_world
    member_id = relations[FORMER]["member_id"].url
    login_as("bithu")
    page = client.get(f"/members/{member_id}").get_data(as_text=True)
    body = page[page.index('<main id="main"') :]  # the header names the user's own cell
    # (cells of two districts may share a name: the present cell is looked for by its link)
    assert f'/units/{matrix_world[0]["other_district_cell"].id}"' not in body
    assert CURRENT_PHONE.replace(" ", "") not in body.replace(" ", "")


def test_a_permission_nobody_wrote_down_is_held_by_nobody():
    """The table above is the whole truth: every permission is written down for some role,
    and the roles hold exactly what access.py lists (no "everything except")."""
    from app.org.access import ROLE_PERMISSIONS
    from app.org.models import Role

    by_role = {
        Role.admin: HOLDS["admin"][0][1],
        Role.district_office: OFFICE,
        Role.commune_office: OFFICE | NOTES,
        Role.cell_secretary: CELL_LEADER,
        Role.cell_deputy: CELL_LEADER,
        Role.supervisor: frozenset({P.view, P.view_meetings, P.attend}),
        Role.viewer: HOLDS["viewer"][0][1],
    }
    assert by_role == ROLE_PERMISSIONS
    assert set(Permission) == set().union(*by_role.values())
    assert Cell.visible is P.view_meetings


# --- the cell-level table the meetings and notes tests share, and the view bodies' own
# answers (an allowed request runs the view: a refused form answers 422, not 403) ------
RELATIONS = ["cell", "sibling_cell", "other_commune_cell", "other_district_cell"]
ALL = set(RELATIONS)
IN_DISTRICT = {"cell", "sibling_cell", "other_commune_cell"}
IN_COMMUNE = {"cell", "sibling_cell"}

# role account -> (may view, may edit members, may rename/move/retire the cell)
MATRIX = {
    "quantri": (ALL, ALL, ALL),
    "huyen": (IN_DISTRICT, IN_DISTRICT, IN_DISTRICT),
    "xa": (IN_COMMUNE, IN_COMMUNE, IN_COMMUNE),
    "bithu": ({"cell"}, {"cell"}, set()),
    "giamsat": (set(), set(), set()),  # a supervision assignment opens meetings only
    "xem": (IN_DISTRICT, set(), set()),
}

# (method, url template, which right it needs, status when allowed). POSTs send an
# invalid form, so an allowed request is answered with its errors and changes nothing.
ROUTES = [
    ("GET", "/units/{cell}", "view", 200),
    ("GET", "/units/{cell}/members", "view", 200),
    ("GET", "/members/{member}", "view", 200),
    ("POST", "/members/search", "view", 200),  # the name and the unit in the body (SEARCH)
    ("GET", "/units/{cell}/members/new", "edit", 200),
    ("POST", "/units/{cell}/members/new", "edit", 422),
    ("GET", "/members/{member}/edit", "edit", 200),
    ("POST", "/members/{member}/edit", "edit", 422),
    ("GET", "/members/{member}/transfer", "edit", 200),
    ("GET", "/members/{member}/end", "edit", 200),
    ("POST", "/members/{member}/exemptions", "edit", 303),
    ("POST", "/members/{member}/positions", "edit", 303),
    ("GET", "/units/{cell}/members/import", "edit", 200),
    ("GET", "/units/{cell}/edit", "change", 200),
    ("POST", "/units/{cell}/edit", "change", 422),
    ("GET", "/units/{cell}/retire", "change", 200),
    ("POST", "/units/{cell}/retire", "change", 422),
    ("GET", "/units/{cell}/move", "change", 200),
]
INVALID = {"name": "", "full_name": "", "reason": "", "title": "", "on": "not a date"}


def expected_status(role, relation, need, allowed_status):
    view, edit, change = MATRIX[role]
    if relation not in view:
        return 404
    allowed = {"view": True, "edit": relation in edit, "change": relation in change}[need]
    return allowed_status if allowed else 403


def _member_in(cell_id):
    return (
        db.session.scalars(
            select(Membership).where(Membership.unit_id == cell_id, Membership.to_on.is_(None)).order_by(Membership.id)
        )
        .first()
        .member
    )


@pytest.mark.parametrize("role", MATRIX)
def test_can_agrees_with_the_cell_table(app, world, role):
    view, edit, change = MATRIX[role]
    with app.test_request_context():
        user = user_by_name(role)
        for relation in RELATIONS:
            unit = db.session.get(OrgUnit, world[relation])
            assert can(user, Permission.view, unit) == (relation in view), (role, relation)
            assert can(user, Permission.edit_members, unit) == (relation in edit), (role, relation)
            assert can_change_unit(user, unit) == (relation in change), (role, relation)


@pytest.mark.parametrize("role", MATRIX)
def test_view_bodies_answer_like_the_cell_table(app, client, login_as, world, role):
    login_as(role)
    failures = []
    for relation in RELATIONS:
        with app.app_context():
            member = _member_in(world[relation])
            values = {"cell": world[relation], "member": member.id, "member_name": member.search_name}
        for method, template, need, allowed_status in ROUTES:
            url = template.format(**values)
            data = INVALID if method == "POST" else None
            if url == "/members/search":
                data = {"q": member.search_name, "unit": world[relation]}
            response = client.open(url, method=method, data=data)
            expected = expected_status(role, relation, need, allowed_status)
            if response.status_code != expected:
                failures.append(f"{role} {relation} {method} {url}: {response.status_code} != {expected}")
            if need == "view" and "search" in url and expected == 200:
                assert member.full_name in response.get_data(as_text=True)
    assert not failures, "\n".join(failures)


def test_search_never_shows_members_of_another_scope(app, client, login_as, world):
    """Seed marker names everywhere, search as the commune office: only its own appear."""
    from app.org import services

    relations = ["cell", "sibling_cell", "other_commune_cell", "other_district_cell"]
    with app.app_context():
        for relation in relations:
            cell = db.session.get(OrgUnit, world[relation])
            services.add_member(
                None,
                cell,
                {
                    "full_name": f"Dấu Vết {relation.replace('_', ' ').title()}",
                    "gender": "male",
                    "joined_on": date(2015, 1, 1),
                },
                from_on=date(2020, 1, 1),
            )
        db.session.commit()
    login_as("xa")
    body = client.post("/members/search", data={"q": "dau vet"}).get_data(as_text=True)
    assert "Dấu Vết Cell" in body and "Dấu Vết Sibling Cell" in body
    assert "Dấu Vết Other Commune Cell" not in body and "Dấu Vết Other District Cell" not in body
    commune_page = client.get(f"/units/{world['commune']}").get_data(as_text=True)
    with app.app_context():
        other = db.session.get(OrgUnit, world["other_commune_cell"]).name
    assert other not in commune_page
    login_as("bithu")
    body = client.post("/members/search", data={"q": "dau vet"}).get_data(as_text=True)
    assert "Dấu Vết Cell" in body and "Dấu Vết Sibling Cell" not in body


def test_audit_and_accounts_lists_are_scoped(app, client, login_as, world):
    login_as("xa")
    audit = client.get("/audit").get_data(as_text=True)
    assert "huyen" not in client.get("/accounts").get_data(as_text=True)
    assert "Hoa Lư" not in audit or "Ninh Hải" in audit
    assert client.get("/accounts").status_code == 200
    login_as("bithu")
    assert client.get("/accounts").status_code == 404
    assert client.get("/audit").status_code == 404
    with app.app_context():
        huyen_id = user_by_name("huyen").id
    login_as("xa")
    assert client.get(f"/accounts/{huyen_id}").status_code == 404
