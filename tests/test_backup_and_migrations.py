import threading
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, func, select, text

from app import create_app
from app.audit.models import AuditEntry
from app.backup import backup, restore
from app.config import TestConfig
from app.extensions import db
from app.org import services
from app.org.models import Member, OrgUnit


def test_backup_while_writing_then_restore(app, world, tmp_path):
    target = tmp_path / "sao-luu.db"
    stop = threading.Event()
    written = []

    def writer():
        with app.app_context():
            cell = db.session.get(OrgUnit, world["sibling_cell"])
            while not stop.is_set() and len(written) < 400:
                services.add_member(
                    None,
                    cell,
                    {"full_name": f"Người Ghi {len(written)}", "gender": "male", "joined_on": date(2020, 1, 1)},
                    from_on=date.today(),
                )
                db.session.commit()
                written.append(1)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            pass
        with app.app_context():
            counts = backup(str(target))
    finally:
        stop.set()
        thread.join()
    assert counts["members"] > 0 and counts["org_units"] > 0
    with app.app_context():
        live_members = db.session.scalar(select(func.count()).select_from(Member))
        assert live_members >= counts["members"]
        restored = restore(str(target))
        assert restored["members"] == counts["members"]
        assert db.session.scalar(select(func.count()).select_from(Member)) == counts["members"]


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
