"""Agenda items carry a version, like every record edited in place by several people:
an edit over a newer one is refused (SQLAlchemy's version_id_col), never overwritten.

Revision ID: 0013_versions
Revises: 0011_score_prints
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_versions"
down_revision = "0012_natural_keys"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("agenda_items") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade():
    with op.batch_alter_table("agenda_items") as batch:
        batch.drop_column("version")
