"""Part 7: each audit entry carries the hash of the one before it; `flask audit-verify`
walks the chain and names the first broken link. Tampering is simulated with the
append-only guard lifted inside the test's transaction (DDL is transactional on both
databases), so the rollback at the end puts everything back."""

import pytest
from sqlalchemy import func, select, text

from app.audit.chain import FIELDS, GENESIS, entry_hash, verify
from app.audit.models import AuditEntry
from app.audit.services import record
from app.extensions import db


def _lift_guard():
    """What someone with write access to the database file could do."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("DROP TRIGGER audit_entries_no_update"))
        db.session.execute(text("DROP TRIGGER audit_entries_no_delete"))
    else:
        db.session.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only"))


def _entries(n):
    entries = [record(None, "test.chain", summary=f"Mục thử {i}") for i in range(n)]
    db.session.flush()
    return entries


def test_each_entry_carries_the_hash_of_the_previous_one(app, ctx):
    last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    first, second, third = _entries(3)
    assert first.prev_hash == last.hash
    assert (second.prev_hash, third.prev_hash) == (first.hash, second.hash)
    assert (first.id, second.id, third.id) == (last.id + 1, last.id + 2, last.id + 3)  # id order is chain order
    for entry in (first, second, third):
        assert entry.hash == entry_hash({name: getattr(entry, name) for name in FIELDS}, entry.prev_hash)
    # What the database holds hashes to the same value (types survive the round trip).
    db.session.expire_all()
    stored = db.session.execute(select(AuditEntry.__table__).where(AuditEntry.id == third.id)).one()
    assert entry_hash(stored._mapping, stored.prev_hash) == stored.hash


def test_the_demo_chain_is_intact_and_the_command_says_so(app):
    result = app.test_cli_runner().invoke(args=["audit-verify"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(AuditEntry))
        first = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).first()
    assert total > 10 and first.prev_hash == GENESIS
    assert f"Nhật ký thao tác nguyên vẹn: {total} mục" in result.output


def test_a_changed_entry_is_found(app):
    with app.app_context():
        entries = _entries(3)
        _lift_guard()
        db.session.execute(text("UPDATE audit_entries SET summary = 'đã sửa' WHERE id = :id"), {"id": entries[1].id})
        verdict = verify(db.session.connection(), batch=7)  # several batches
        assert verdict.broken_id == entries[1].id
        assert "nội dung mục" in verdict.problem and "đã bị sửa" in verdict.problem
        assert verdict.intact == db.session.scalar(select(func.count()).where(AuditEntry.id < entries[1].id))


def test_a_changed_entry_with_its_hash_recomputed_breaks_the_next_link(app):
    with app.app_context():
        first, second = _entries(2)
        _lift_guard()
        forged = {name: getattr(first, name) for name in FIELDS} | {"summary": "đã sửa"}
        db.session.execute(
            text("UPDATE audit_entries SET summary = 'đã sửa', hash = :hash WHERE id = :id"),
            {"hash": entry_hash(forged, first.prev_hash), "id": first.id},
        )
        verdict = verify(db.session.connection())
        assert verdict.broken_id == second.id and f"mục liền trước (#{first.id})" in verdict.problem


def test_a_deleted_entry_is_found_and_the_command_exits_1(app):
    with app.app_context():
        ids = [entry.id for entry in _entries(3)]
        _lift_guard()
        db.session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": ids[1]})
        db.session.commit()  # into the test's transaction, rolled back at its end
    result = app.test_cli_runner().invoke(args=["audit-verify"])
    assert result.exit_code == 1
    assert f"bị can thiệp tại mục #{ids[2]}" in result.output
    assert f"mục liền trước (#{ids[0]})" in result.output and "đã bị xoá" in result.output


def test_deleting_the_first_entries_is_found(app):
    with app.app_context():
        first_two = db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id).limit(2)).all()
        _lift_guard()
        db.session.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": first_two[0]})
        verdict = verify(db.session.connection())
        assert verdict.broken_id == first_two[1] and "các mục đầu nhật ký đã bị xoá" in verdict.problem


def test_check_records_checks_the_chain_too(app):
    result = app.test_cli_runner().invoke(args=["check-records"])
    assert result.exit_code == 0 and "Nhật ký thao tác nguyên vẹn" in result.output
    with app.app_context():
        entry_id = _entries(1)[0].id
        _lift_guard()
        db.session.execute(text("UPDATE audit_entries SET actor_id = 1 WHERE id = :id"), {"id": entry_id})
        db.session.commit()  # into the test's transaction, rolled back at its end
    result = app.test_cli_runner().invoke(args=["check-records"])
    assert result.exit_code == 1 and f"bị can thiệp tại mục #{entry_id}" in result.output


def test_a_second_entry_after_the_same_one_is_refused(app):
    """A writer that skips the lock (or forges an entry) cannot fork the chain."""
    with app.app_context():
        (entry,) = _entries(1)
        table = AuditEntry.__table__
        values = {name: getattr(entry, name) for name in FIELDS} | {"id": entry.id + 1000, "summary": "nhánh"}
        values |= {"prev_hash": entry.prev_hash, "hash": entry_hash(values, entry.prev_hash)}
        savepoint = db.session.begin_nested()
        with pytest.raises(Exception, match="append-only|unique|UNIQUE"):
            db.session.execute(table.insert().values(**values))
        savepoint.rollback()
        assert verify(db.session.connection()).broken_id is None


def test_a_replace_on_the_previous_hash_is_refused(app):
    """REPLACE resolves a conflict on any unique index, prev_hash's included, by deleting
    the entry it conflicts with: an insert reusing a prev_hash is refused first."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's REPLACE")
        (entry,) = _entries(1)
        columns = [c.name for c in AuditEntry.__table__.columns]
        forged = ", ".join(":new_id" if c == "id" else c for c in columns)
        savepoint = db.session.begin_nested()
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(
                text(
                    f"INSERT OR REPLACE INTO audit_entries ({', '.join(columns)}) SELECT {forged} FROM audit_entries "
                    "WHERE id = :id"
                ),
                {"id": entry.id, "new_id": entry.id + 1000},
            )
        savepoint.rollback()
        assert db.session.get(AuditEntry, entry.id) is not None
