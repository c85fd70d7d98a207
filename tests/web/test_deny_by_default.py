"""Every route needs a login unless it is on the short public list (GET never writing is
checked in test_get_never_writes.py)."""

import re

from app.web.security import PUBLIC_ENDPOINTS


def _url(rule):
    return re.sub(r"<(?:\w+:)?(\w+)>", "1", rule.rule)


def test_public_endpoints_are_only_login_its_code_step_static_and_health(app):
    assert {"auth.login", "auth.login_code", "static", "health.healthz"} == PUBLIC_ENDPOINTS
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
