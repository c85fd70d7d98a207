"""Every route needs a login unless it is on the short public list; no GET changes data."""

import re

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.web.security import PUBLIC_ENDPOINTS


def _url(rule):
    return re.sub(r"<(?:\w+:)?(\w+)>", "1", rule.rule)


def test_public_endpoints_are_only_login_static_and_health(app):
    assert {"auth.login", "static", "health.healthz"} == PUBLIC_ENDPOINTS
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints >= PUBLIC_ENDPOINTS


def test_every_other_rule_redirects_anonymous_users_to_login(app, client):
    unclassified = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(_url(rule), method=method)
            if response.status_code != 302 or "/login" not in response.headers.get("Location", ""):
                unclassified.append(f"{method} {rule.rule} -> {response.status_code}")
    assert not unclassified, "routes reachable without login:\n" + "\n".join(unclassified)


def test_htmx_request_without_session_gets_hx_redirect_not_a_login_page(client):
    response = client.get("/members/search?q=an", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].endswith("/login")


def test_no_get_route_changes_data(app, client, login_as, world):
    login_as("quantri")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint != "static":
            url = re.sub(r"<(?:\w+:)?(\w+)>", str(world["cell"]), rule.rule)
            assert client.get(url).status_code < 500, url
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == before
