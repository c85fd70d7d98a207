"""The audit chain under real commits: concurrent writers keep one chain, a stale
SQLite reader cannot append, the migration builds the chain over existing entries (and
downgrades), a restore continues the restored chain."""

import threading

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, func, select, text

from app import create_app
from app.audit.chain import GENESIS, entry_hash, verify
from app.audit.models import AuditEntry
from app.audit.services import record
from app.backup import backup, restore
from app.config import TestConfig
from app.extensions import db

pytestmark = pytest.mark.committing  # see tests/conftest.py rolled_back


def _verify_all():
    verdict = verify(db.session.connection())
    db.session.rollback()
    return verdict


def test_concurrent_appends_keep_one_chain(app):
    threads, each = 6, 15
    errors = []
    barrier = threading.Barrier(threads)

    def writer(n):
        try:
            with app.app_context():
                barrier.wait()
                for i in range(each):
                    record(None, "test.concurrent", summary=f"Luồng {n} lần {i}")
                    db.session.commit()
        except Exception as error:  # reported below, with the thread's own traceback lost
            errors.append(repr(error))

    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(AuditEntry))
    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    with app.app_context():
        verdict = _verify_all()
        assert verdict.broken_id is None, verdict.problem
        assert verdict.intact == before + threads * each
        written = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "test.concurrent").order_by(AuditEntry.id)
        ).all()
        # Ids follow the chain: each entry's predecessor is the one with the next lower id.
        assert len({entry.prev_hash for entry in written}) == len(written) == threads * each


def test_a_sqlite_reader_whose_snapshot_is_stale_cannot_append(app):
    """A GET transaction (plain BEGIN) read the head before another writer committed:
    SQLite refuses its write rather than let it link to an old head."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite's snapshot rule; PostgreSQL takes the advisory lock before reading")
    with app.test_request_context(method="GET"):
        db.session.scalar(select(func.max(AuditEntry.id)))  # the read snapshot starts here

        def other_writer():
            with app.app_context():
                record(None, "test.stale", summary="Ghi trước")
                db.session.commit()

        thread = threading.Thread(target=other_writer)
        thread.start()
        thread.join()
        record(None, "test.stale", summary="Ghi sau, từ ảnh cũ")
        with pytest.raises(Exception, match="locked|busy"):
            db.session.flush()
        db.session.rollback()
    with app.app_context():
        assert _verify_all().broken_id is None
        assert db.session.scalar(select(func.count()).where(AuditEntry.action == "test.stale")) == 1


@pytest.fixture()
def scratch_uri(app, tmp_path):
    """An empty database beside the session's: a SQLite file, or a PostgreSQL schema."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if not uri.startswith("postgresql"):
        yield "sqlite:///" + str(tmp_path / "scratch.db")
        return
    engine = create_engine(uri)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS audit_scratch CASCADE; CREATE SCHEMA audit_scratch"))
    yield uri + ("&" if "?" in uri else "?") + "options=-csearch_path%3Daudit_scratch"
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA audit_scratch CASCADE"))
    engine.dispose()


def test_the_migration_builds_the_chain_over_existing_entries_and_downgrades(scratch_uri):
    fresh = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=scratch_uri, SECRET_KEY="x")
    with fresh.app_context():
        upgrade(revision="0013_versions")
        for n, at in enumerate(("2026-01-01 08:00:00", "2026-01-01 08:00:00.250000", "2026-02-03 09:10:11")):
            db.session.execute(
                text(
                    "INSERT INTO audit_entries (id, at, action, object_type, object_id, summary, address) "
                    "VALUES (:id, :at, 'meeting.create', 'Meeting', :n, :summary, 'cli')"
                ),
                {"id": 10 + 5 * n, "at": at, "n": n, "summary": f"Lập cuộc họp số {n} ở thôn Đông"},
            )
        db.session.commit()
        upgrade(revision="0014_audit_chain")
        rows = db.session.execute(select(AuditEntry.__table__).order_by(AuditEntry.id)).all()
        assert [row.prev_hash for row in rows] == [GENESIS, rows[0].hash, rows[1].hash]
        assert all(row.hash == entry_hash(row._mapping, row.prev_hash) for row in rows)
        verdict = _verify_all()
        assert (verdict.broken_id, verdict.intact) == (None, 3)
        # The app appends after the migrated entries.
        record(None, "test.after", summary="Sau khi nâng cấp")
        db.session.commit()
        assert _verify_all().intact == 4
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text("UPDATE audit_entries SET summary = 'sửa'"))
        db.session.rollback()

        downgrade(revision="0013_versions")
        columns = [c["name"] for c in db.inspect(db.engine).get_columns("audit_entries")]
        assert "hash" not in columns and "prev_hash" not in columns
        for statement in ("UPDATE audit_entries SET summary = 'sửa'", "DELETE FROM audit_entries"):
            with pytest.raises(Exception, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()
        assert db.session.scalar(text("SELECT COUNT(*) FROM audit_entries")) == 4
        db.session.remove()
        db.engine.dispose()


def test_a_restore_continues_the_restored_chain(app, tmp_path):
    target = tmp_path / "chuoi.tar"
    with app.app_context():
        record(None, "test.before_backup", summary="Trước khi sao lưu")
        db.session.commit()
        backup(str(target))
        last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        last_hash = last.hash
        for n in range(3):
            record(None, "test.after_backup", summary=f"Sau khi sao lưu {n}")
        db.session.commit()
        restore(str(target))
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "system.restore" and entry.prev_hash == last_hash
    result = app.test_cli_runner().invoke(args=["audit-verify"])
    assert result.exit_code == 0, result.output
