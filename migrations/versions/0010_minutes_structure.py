"""Minutes structure: members temporarily attending elsewhere (away_periods), and each
minutes item linked to the agenda item it was copied from (criticism notes print inside
the item where they were taken). Existing items are linked by meeting, position and title.

Revision ID: 0010_minutes_structure
Revises: 0006
"""

from alembic import op
import sqlalchemy as sa


revision = "0010_minutes_structure"
down_revision = "0009_party_documents"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "away_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("destination", sa.String(length=200), nullable=False),
        sa.Column("from_on", sa.Date(), nullable=False),
        sa.Column("to_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_away_periods_member_id_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_away_periods")),
    )
    op.create_index(op.f("ix_away_periods_member_id"), "away_periods", ["member_id"], unique=False)
    fk = op.f("fk_minutes_items_agenda_item_id_agenda_items")
    if op.get_bind().dialect.name == "sqlite":
        # ADD COLUMN with its reference in place: rebuilding the table (batch mode) would
        # trip the speakers' foreign key to minutes_items.
        op.execute(
            f"ALTER TABLE minutes_items ADD COLUMN agenda_item_id INTEGER CONSTRAINT {fk} REFERENCES agenda_items (id)"
        )
    else:
        op.add_column("minutes_items", sa.Column("agenda_item_id", sa.Integer(), nullable=True))
        op.create_foreign_key(fk, "minutes_items", "agenda_items", ["agenda_item_id"], ["id"])
    op.execute(
        """
        UPDATE minutes_items SET agenda_item_id = (
            SELECT MIN(agenda_items.id) FROM agenda_items JOIN minutes ON minutes.meeting_id = agenda_items.meeting_id
            WHERE minutes.id = minutes_items.minutes_id
              AND agenda_items.position = minutes_items.position
              AND agenda_items.title = minutes_items.title
        )
        """
    )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.drop_column("minutes_items", "agenda_item_id")  # SQLite ≥ 3.35 drops it in place
    else:
        op.drop_constraint(op.f("fk_minutes_items_agenda_item_id_agenda_items"), "minutes_items", type_="foreignkey")
        op.drop_column("minutes_items", "agenda_item_id")
    op.drop_index(op.f("ix_away_periods_member_id"), table_name="away_periods")
    op.drop_table("away_periods")
