
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.audit.models import AuditEntry
from app.config import TestConfig
from app.extensions import db
from app.org.name_search import include_name

pytestmark = pytest.mark.committing  # see tests/conftest.py rolled_back
COMPARE = {"include_name": include_name}  # as migrations/env.py


def test_audit_log_is_append_only_in_the_database(app):
    with app.app_context():
        db.session.add(AuditEntry(action="test", object_type="", summary="thử"))
        db.session.commit()
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text("UPDATE audit_entries SET summary = 'sửa'"))
            db.session.flush()
        db.session.rollback()
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text("DELETE FROM audit_entries"))
        db.session.rollback()


def test_migrations_upgrade_an_empty_database_match_the_models_and_downgrade(app, tmp_path):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        uri = app.config["SQLALCHEMY_DATABASE_URI"]  # already migrated from empty by the session fixture
        with create_engine(uri).connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts=COMPARE), db.metadata)
        assert diff == []
        return
    uri = "sqlite:///" + str(tmp_path / "empty.db")
    fresh = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=uri, SECRET_KEY="x")
    with fresh.app_context():
        upgrade()
        with db.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn, opts=COMPARE), db.metadata) == []
        downgrade(revision="base")
        with db.engine.connect() as conn:
            tables = conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars().all()
        assert set(tables) <= {"alembic_version"}


def test_migrations_upgrade_a_database_with_data(app, tmp_path):
    """SQLite changes a table in batch mode by copying and dropping it: with rows that
    refer to it (an agenda item to its meeting) the drop used to fail its foreign key."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("runs on a scratch SQLite database")
    fresh = create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite:///" + str(tmp_path / "old.db"), SECRET_KEY="x")
    with fresh.app_context():
        upgrade(revision="0011_score_prints")
        for statement in (
            "INSERT INTO org_units (id, kind, name, valid_from, path, created_at) "
            "VALUES (1, 'cell', 'Chi bộ thôn An', '2020-01-01', '/1/', '2026-01-01 00:00:00')",
            "INSERT INTO meetings (id, cell_id, kind, status, planned_on, off_fixed_day, created_at, updated_at, "
            "version) "
            "VALUES (1, 1, 'regular', 'planned', '2026-03-15', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)",
            "INSERT INTO agenda_items (id, meeting_id, position, title, planned_minutes, is_review, is_deleted) "
            "VALUES (1, 1, 1, 'Thông tin thời sự', 10, 0, 0)",
        ):
            db.session.execute(text(statement))
        db.session.commit()
        db.session.remove()
        upgrade()
        assert db.session.execute(text("SELECT month_key FROM meetings")).scalar_one() == 202603
        assert db.session.execute(text("SELECT version FROM agenda_items")).scalar_one() == 1
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
