"""Authorization by construction: every endpoint declares what it loads and the permission
it needs (app/web/authz.py); a route added without one fails here."""

from app.org.access import Permission
from app.web.authz import LOADERS, declaration_of
from app.web.security import PUBLIC_ENDPOINTS


def test_every_endpoint_declares_its_permission(app):
    missing = sorted(
        f"{rule.endpoint} {rule.rule} {sorted(rule.methods - {'HEAD', 'OPTIONS'})}"
        for rule in app.url_map.iter_rules()
        if declaration_of(app, rule.endpoint) is None
    )
    assert not missing, "routes without @loads/@signed_in/@public:\n" + "\n".join(missing)


def test_public_declarations_are_the_endpoints_open_without_login(app):
    public = {r.endpoint for r in app.url_map.iter_rules() if declaration_of(app, r.endpoint).kind == "public"}
    assert public == PUBLIC_ENDPOINTS


def test_each_loaded_object_comes_from_the_url(app):
    """`@loads(Meeting, …)` on a route without a meeting id would never load anything."""
    wrong = []
    for rule in app.url_map.iter_rules():
        declaration = declaration_of(app, rule.endpoint)
        if declaration.kind == "loads":
            if not set(LOADERS[declaration.model].params) & rule.arguments:
                wrong.append(f"{rule.endpoint}: {declaration.model.__name__} not in {rule.rule}")
            assert declaration.perm is not None
        elif declaration.kind == "signed_in":
            assert not {"unit_id", "cell_id", "meeting_id", "member_id", "user_id"} & rule.arguments, rule.rule
    assert not wrong, "\n".join(wrong)


def test_declared_permissions_are_permissions(app):
    for rule in app.url_map.iter_rules():
        declaration = declaration_of(app, rule.endpoint)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            needed = declaration.needs(method)
            for perm in needed if isinstance(needed, frozenset) else [needed]:
                assert perm is None or isinstance(perm, Permission), rule.endpoint
