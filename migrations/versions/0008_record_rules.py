"""Record rules: paper minutes can be adopted with their times marked as not recorded.

Revision ID: 0008_record_rules
Revises: 0006
Create Date: 2026-12-01 04:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008_record_rules"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("minutes") as batch:
        batch.add_column(sa.Column("times_not_recorded", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("minutes") as batch:
        batch.drop_column("times_not_recorded")
