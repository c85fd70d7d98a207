"""Audit log you can verify: each entry carries the SHA-256 of the entry before it
(prev_hash) and its own (hash), built here over the existing entries in id order; a
unique prev_hash so the chain cannot fork. The append-only guard now also holds against
every SQL form: SQLite refuses an INSERT that would replace an entry (INSERT OR
REPLACE / REPLACE delete the old row without firing DELETE triggers), PostgreSQL
refuses TRUNCATE (row triggers do not see it).

Revision ID: 0014_audit_chain
Revises: 0013_versions
"""

import sqlalchemy as sa
from alembic import op

# The chain's hash function is a contract shared with the application: the entries
# hashed here are checked by `flask audit-verify` with the same function.
from app.audit.chain import BATCH, GENESIS, entry_hash

revision = "0014_audit_chain"
down_revision = "0013_versions"
branch_labels = None
depends_on = None

REFUSE = "SELECT RAISE(ABORT, 'audit_entries is append-only')"

entries = sa.table(
    "audit_entries",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("actor_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.Integer),
    sa.column("unit_id", sa.Integer),
    sa.column("unit_path", sa.String),
    sa.column("summary", sa.String),
    sa.column("address", sa.String),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _backfill():
    """Hash the existing entries in id order, a batch at a time."""
    conn = op.get_bind()
    update = (
        entries.update()
        .where(entries.c.id == sa.bindparam("entry_id"))
        .values(prev_hash=sa.bindparam("new_prev"), hash=sa.bindparam("new_hash"))
    )
    last_id, last_hash = 0, GENESIS
    while True:
        rows = conn.execute(sa.select(entries).where(entries.c.id > last_id).order_by(entries.c.id).limit(BATCH)).all()
        if not rows:
            return
        hashed = []
        for row in rows:
            new_hash = entry_hash(row._mapping, last_hash)
            hashed.append({"entry_id": row.id, "new_prev": last_hash, "new_hash": new_hash})
            last_id, last_hash = row.id, new_hash
        conn.execute(update, hashed)


def upgrade():
    # The guard refuses the backfill's UPDATE: lifted for this migration only.
    if _sqlite():
        op.execute("DROP TRIGGER audit_entries_no_update")
        op.execute("DROP TRIGGER audit_entries_no_delete")
    else:
        op.execute("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only")
    with op.batch_alter_table("audit_entries") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    _backfill()
    with op.batch_alter_table("audit_entries") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_index("uq_audit_entries_prev_hash", ["prev_hash"], unique=True)
    if _sqlite():
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_entries_no_{event.lower()} BEFORE {event} ON audit_entries BEGIN {REFUSE}; END"
            )
        # REPLACE removes the rows an insert conflicts with (id, prev_hash) without
        # firing DELETE triggers: refuse such an insert before it happens.
        op.execute(
            "CREATE TRIGGER audit_entries_no_replace BEFORE INSERT ON audit_entries "
            "WHEN EXISTS (SELECT 1 FROM audit_entries WHERE id = NEW.id OR prev_hash = NEW.prev_hash) "
            f"BEGIN {REFUSE}; END"
        )
    else:
        op.execute("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only")
        op.execute(
            "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()"
        )


def downgrade():
    if _sqlite():
        for name in ("no_replace", "no_update", "no_delete"):
            op.execute(f"DROP TRIGGER audit_entries_{name}")
    else:
        op.execute("DROP TRIGGER audit_entries_no_truncate ON audit_entries")
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_index("uq_audit_entries_prev_hash")
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
    if _sqlite():  # the guard of 0001, which the table copy above dropped with the old table
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_entries_no_{event.lower()} BEFORE {event} ON audit_entries BEGIN {REFUSE}; END"
            )
