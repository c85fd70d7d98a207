import pytest

from app import create_app
from app.config import TestConfig

pytestmark = pytest.mark.committing  # see tests/conftest.py rolled_back


def test_security_headers_on_every_response(client, login_as, world):
    login_as("xa")
    for url in ("/login", f"/units/{world['commune']}", "/healthz"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        for directive in ("default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"):
            assert directive in csp
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "HX-Request" in response.headers["Vary"]
    assert client.get(f"/units/{world['commune']}").headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script_and_configure_htmx_safely(client, login_as, world):
    login_as("xa")
    body = client.get(f"/units/{world['commune']}").get_data(as_text=True)
    assert "<script>" not in body and " on" + "click=" not in body
    assert '"allowEval": false' in body and '"selfRequestsOnly": true' in body and '"allowScriptTags": false' in body
    assert "X-CSRFToken" in body


def test_active_search_returns_a_fragment_for_htmx_and_a_page_otherwise(client, login_as):
    login_as("quantri")
    search = {"q": "nguyen"}
    fragment = client.post("/members/search", data=search, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "<li>" in fragment
    boosted = client.post("/members/search", data=search, headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)
    assert "<html" in client.post("/members/search", data=search).get_data(as_text=True)


def test_search_ignores_diacritics_and_case(client, login_as):
    login_as("quantri")
    with_marks = client.post("/members/search", data={"q": "Nguyễn Văn"}).get_data(as_text=True)
    without = client.post("/members/search", data={"q": "NGUYEN van"}).get_data(as_text=True)
    assert "Nguyễn Văn" in without
    assert with_marks.count("<li>") == without.count("<li>") > 0


@pytest.fixture()
def csrf_app(app):
    return create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY="test-secret",
        WTF_CSRF_ENABLED=True,
    )


def test_state_changes_need_a_csrf_token(csrf_app, login_as, world):
    client = csrf_app.test_client()
    login_as("xa", client)
    response = client.post(f"/units/{world['cell']}/edit", data={"name": "Đổi tên"})
    assert response.status_code == 400
    assert "Phiên biểu mẫu đã hết hạn" in response.get_data(as_text=True)
    page = client.get(f"/units/{world['cell']}/edit").get_data(as_text=True)
    token = page.split('"X-CSRFToken": "')[1].split('"')[0]
    # htmx sends the token as a header
    response = client.post(f"/units/{world['cell']}/edit", data={"name": ""}, headers={"X-CSRFToken": token})
    assert response.status_code == 422
    assert client.post("/logout").status_code == 400


def test_healthz_checks_the_database(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "cell", "name": "x" * 500, "meeting_day": "abc"},
        {"kind": "cell", "name": "Chi bộ thử", "meeting_day": "31", "valid_from": "99/99/9999"},
        {"kind": "nonsense", "name": "Chi bộ thử"},
        {"kind": "cell", "name": "Chi bộ thử", "code": "có dấu cách"},
    ],
)
def test_bad_unit_input_is_a_422_in_vietnamese_never_a_500(client, login_as, world, data):
    login_as("xa")
    response = client.post(f"/units/{world['commune']}/children/new", data=data)
    assert response.status_code == 422
    assert "Vui lòng sửa" in response.get_data(as_text=True) or "alert-error" in response.get_data(as_text=True)


def test_bad_dates_in_query_are_400_not_500(client, login_as, world):
    login_as("xa")
    assert client.get(f"/units/{world['cell']}/members?on=2026-13-45").status_code == 400
