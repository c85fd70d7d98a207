
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from app import create_app
from app.audit.models import AuditEntry
from app.config import TestConfig
from app.extensions import db

pytestmark = pytest.mark.committing  # see tests/conftest.py rolled_back


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
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == []
        return
    uri = "sqlite:///" + str(tmp_path / "empty.db")
    fresh = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=uri, SECRET_KEY="x")
    with fresh.app_context():
        upgrade()
        with db.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), db.metadata) == []
        downgrade(revision="base")
        with db.engine.connect() as conn:
            tables = conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars().all()
        assert set(tables) <= {"alembic_version"}
