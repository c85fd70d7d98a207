"""Tests do not see each other's writes: a commit inside a test (a view's, a fixture's)
only releases a savepoint of one transaction that is rolled back when the test ends."""

import sqlite3

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Connection, make_url

from app.audit.models import AuditEntry
from app.extensions import db


def test_a_commit_inside_a_test_stays_inside_it(app, client, login_as, held_meeting):
    login_as("xa")
    assert client.post(f"/meetings/{held_meeting}/guests", data={"name": "Khách cô lập"}).status_code == 303
    with app.app_context():
        test_connection = db.engine
        assert isinstance(test_connection, Connection) and test_connection.in_transaction()
        db.session.add(AuditEntry(action="test.isolation", object_type="", summary="chỉ trong phép thử"))
        db.session.commit()
        assert test_connection.in_transaction()  # the view's and this commit: savepoints only
        assert db.session.scalar(select(func.count()).where(AuditEntry.action == "test.isolation")) == 1
    assert _committed_count(app.config["SQLALCHEMY_DATABASE_URI"]) == 0  # nothing reached the shared database


def _committed_count(uri: str) -> int:
    """What another client of the database sees (on SQLite a plain reader: the app's
    connect hook would take the write lock, which the test's transaction holds)."""
    query = "SELECT COUNT(*) FROM audit_entries WHERE action = 'test.isolation'"
    if uri.startswith("sqlite"):
        reader = sqlite3.connect(make_url(uri).database)
        try:
            return reader.execute(query).fetchone()[0]
        finally:
            reader.close()
    outside = create_engine(uri)
    try:
        with outside.connect() as other:
            return other.execute(text(query)).scalar_one()
    finally:
        outside.dispose()
