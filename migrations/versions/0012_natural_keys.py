"""Idempotent creates: the table of used one-time form tokens (replaces the notes' own
column), and one regular meeting per cell and month backed by a unique key.

Revision ID: 0012_natural_keys
Revises: 0011_score_prints
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_natural_keys"
down_revision = "0011_score_prints"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "form_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_form_tokens_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_form_tokens"),
        sa.UniqueConstraint("token", name="uq_form_tokens_token"),
    )
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("month_key", sa.Integer(), nullable=True))
    # The month of each regular/combined meeting still on; a month that (before this
    # key) got two keeps the key on the first only.
    meetings = sa.table(
        "meetings",
        sa.column("id", sa.Integer),
        sa.column("cell_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("status", sa.String),
        sa.column("planned_on", sa.Date),
        sa.column("held_on", sa.Date),
        sa.column("month_key", sa.Integer),
    )
    bind = op.get_bind()
    taken = set()
    rows = bind.execute(
        sa.select(meetings.c.id, meetings.c.cell_id, meetings.c.planned_on, meetings.c.held_on)
        .where(
            meetings.c.kind.in_(("regular", "combined")),
            meetings.c.status.not_in(("postponed", "cancelled")),
        )
        .order_by(meetings.c.id)
    ).all()
    for meeting_id, cell_id, planned_on, held_on in rows:
        on = held_on or planned_on
        key = on.year * 100 + on.month
        if (cell_id, key) in taken:
            continue
        taken.add((cell_id, key))
        bind.execute(meetings.update().where(meetings.c.id == meeting_id).values(month_key=key))
    with op.batch_alter_table("meetings") as batch:
        batch.create_unique_constraint("uq_meetings_cell_id_month_key", ["cell_id", "month_key"])
    with op.batch_alter_table("criticism_notes") as batch:
        batch.drop_constraint("uq_criticism_notes_form_token", type_="unique")
        batch.drop_column("form_token")


def downgrade():
    with op.batch_alter_table("criticism_notes") as batch:
        batch.add_column(sa.Column("form_token", sa.String(length=40), nullable=True))
        batch.create_unique_constraint("uq_criticism_notes_form_token", ["form_token"])
    with op.batch_alter_table("meetings") as batch:
        batch.drop_constraint("uq_meetings_cell_id_month_key", type_="unique")
        batch.drop_column("month_key")
    op.drop_table("form_tokens")
