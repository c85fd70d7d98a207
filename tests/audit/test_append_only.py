"""V12: the audit log is append-only against every SQL form, on SQLite and PostgreSQL.
Each statement tries to rewrite or remove an existing entry; the database refuses it
and the entry stays as it was (the statements run inside savepoints, rolled back)."""

import pytest
from sqlalchemy import select, text

from app.audit.models import AuditEntry
from app.extensions import db


def _columns():
    return [c.name for c in AuditEntry.__table__.columns]


def _rewrites(dialect: str) -> dict[str, str]:
    columns = ", ".join(_columns())
    # The same row again, with another summary: what an attacker would write over it.
    forged = ", ".join("'sửa trộm'" if c == "summary" else c for c in _columns())
    copy = f"SELECT {forged} FROM audit_entries WHERE id = :id"
    common = {
        "update": "UPDATE audit_entries SET summary = 'sửa trộm' WHERE id = :id",
        "delete": "DELETE FROM audit_entries WHERE id = :id",
        "upsert": f"INSERT INTO audit_entries ({columns}) {copy} ON CONFLICT (id) DO UPDATE SET summary = 'sửa trộm'",
    }
    if dialect == "sqlite":
        return common | {
            "insert or replace": f"INSERT OR REPLACE INTO audit_entries ({columns}) {copy}",
            "replace": f"REPLACE INTO audit_entries ({columns}) {copy}",
            "update or replace": "UPDATE OR REPLACE audit_entries SET summary = 'sửa trộm' WHERE id = :id",
        }
    return common | {
        "truncate": "TRUNCATE audit_entries",
        "truncate cascade": "TRUNCATE audit_entries CASCADE",
        "merge update": "MERGE INTO audit_entries a USING (SELECT CAST(:id AS integer) AS id) s ON a.id = s.id "
        "WHEN MATCHED THEN UPDATE SET summary = 'sửa trộm'",
        "merge delete": "MERGE INTO audit_entries a USING (SELECT CAST(:id AS integer) AS id) s ON a.id = s.id "
        "WHEN MATCHED THEN DELETE",
    }


def _snapshot(entry_id):
    row = db.session.execute(select(AuditEntry.__table__).where(AuditEntry.id == entry_id)).one()
    count = db.session.scalar(text("SELECT COUNT(*) FROM audit_entries"))
    return tuple(row), count


@pytest.mark.parametrize(
    "form",
    [
        "update",
        "delete",
        "upsert",
        "insert or replace",
        "replace",
        "update or replace",
        "truncate",
        "truncate cascade",
        "merge update",
        "merge delete",
    ],
)
def test_no_sql_form_rewrites_or_removes_an_audit_entry(app, form):
    with app.app_context():
        dialect = db.engine.dialect.name
        statements = _rewrites(dialect)
        if form not in statements:
            pytest.skip(f"{form} is not {dialect} SQL")
        entry_id = db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id).limit(1))
        before = _snapshot(entry_id)
        savepoint = db.session.begin_nested()
        with pytest.raises(Exception, match="append-only"):
            db.session.execute(text(statements[form]), {"id": entry_id})
        savepoint.rollback()
        assert _snapshot(entry_id) == before
