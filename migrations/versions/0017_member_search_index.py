"""Member search answers from an index on the folded name: on SQLite an FTS5 table
with the trigram tokenizer, kept in step with `members` by triggers; on PostgreSQL a
pg_trgm GIN index on `members.search_name` (replacing its B-tree, which no
`LIKE '%…%'` could use).

The FTS5 table is contentless and indexes ' ' || search_name, so a short word typed
("an") matches the start of a name's word (" an") through the index too. A later
migration that rebuilds `members` in SQLite batch mode drops these triggers: it must
create them again.

Revision ID: 0017_member_search_index
Revises: 0016_account_notices
"""

from alembic import op

revision = "0017_member_search_index"
down_revision = "0016_account_notices"
branch_labels = None
depends_on = None

_SQLITE_UP = (
    "CREATE VIRTUAL TABLE members_fts USING fts5(search_name, content='', tokenize='trigram')",
    "INSERT INTO members_fts (rowid, search_name) SELECT id, ' ' || search_name FROM members",
    "CREATE TRIGGER members_fts_insert AFTER INSERT ON members BEGIN "
    "INSERT INTO members_fts (rowid, search_name) VALUES (new.id, ' ' || new.search_name); END",
    # A contentless table forgets a row only when told the values it indexed.
    "CREATE TRIGGER members_fts_delete AFTER DELETE ON members BEGIN "
    "INSERT INTO members_fts (members_fts, rowid, search_name) VALUES ('delete', old.id, ' ' || old.search_name); "
    "END",
    "CREATE TRIGGER members_fts_update AFTER UPDATE OF search_name ON members BEGIN "
    "INSERT INTO members_fts (members_fts, rowid, search_name) VALUES ('delete', old.id, ' ' || old.search_name); "
    "INSERT INTO members_fts (rowid, search_name) VALUES (new.id, ' ' || new.search_name); END",
)
_SQLITE_DOWN = (
    "DROP TRIGGER members_fts_update",
    "DROP TRIGGER members_fts_delete",
    "DROP TRIGGER members_fts_insert",
    "DROP TABLE members_fts",
)


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_UP:
            op.execute(statement)
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.drop_index("ix_members_search_name", table_name="members")
    op.create_index(
        "ix_members_search_name",
        "members",
        ["search_name"],
        postgresql_using="gin",
        postgresql_ops={"search_name": "gin_trgm_ops"},
    )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_DOWN:
            op.execute(statement)
        return
    op.drop_index("ix_members_search_name", table_name="members")
    op.create_index("ix_members_search_name", "members", ["search_name"])
    # The extension stays: other objects may have come to use it.
