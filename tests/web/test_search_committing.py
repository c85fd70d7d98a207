"""Member search where the test needs real commits: a second app with CSRF on the same
database, and a restore holding writes (issue 12, part 6)."""

import pytest

from tests.web.test_output_safety import NAME

pytestmark = pytest.mark.committing


def test_search_needs_a_csrf_token(app, login_as):
    from app import create_app
    from app.config import TestConfig

    csrf_app = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="s", WTF_CSRF_ENABLED=True
    )
    client = csrf_app.test_client()
    login_as("quantri", client)
    assert client.post("/members/search", data={"q": NAME}).status_code == 400
    page = client.get("/members/search").get_data(as_text=True)
    token = page.split('"X-CSRFToken": "')[1].split('"')[0]
    answer = client.post("/members/search", data={"q": NAME}, headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert answer.status_code == 200 and "<li>" in answer.get_data(as_text=True)


def test_search_still_works_while_a_restore_holds_writes(app, client, login_as):
    """It only reads: it takes no write lock and is not refused as a write."""
    from app import maintenance

    login_as("quantri")
    with app.app_context(), maintenance.read_only(app.instance_path):
        response = client.post("/members/search", data={"q": NAME})
        assert response.status_code == 200 and "<li>" in response.get_data(as_text=True)
