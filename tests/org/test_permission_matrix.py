"""Role × relation × route: `can()` and the HTTP status agree, and 404 hides what a
user may not see while 403 refuses what they may see but not change."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.org.access import Permission, can, can_change_unit
from app.org.models import Membership, OrgUnit
from tests.conftest import user_by_name

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
def test_can_agrees_with_matrix(app, world, role):
    view, edit, change = MATRIX[role]
    with app.test_request_context():
        user = user_by_name(role)
        for relation in RELATIONS:
            unit = db.session.get(OrgUnit, world[relation])
            assert can(user, Permission.view, unit) == (relation in view), (role, relation)
            assert can(user, Permission.edit_members, unit) == (relation in edit), (role, relation)
            assert can_change_unit(user, unit) == (relation in change), (role, relation)


@pytest.mark.parametrize("role", MATRIX)
def test_http_status_agrees_with_matrix(app, client, login_as, world, role):
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
    from datetime import date

    from app.org import services

    with app.app_context():
        for relation in RELATIONS:
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
