"""Record rules: paper minutes can be adopted with their times marked as not recorded.

Revision ID: 0008_record_rules
Revises: 0006
Create Date: 2026-12-01 04:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008_record_rules"
down_revision = "0007_unit_history"
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN (SQLite 3.35+ has both): a batch copy of "minutes" would trip
# the foreign keys of the rows that point at it.
def upgrade():
    op.add_column("minutes", sa.Column("times_not_recorded", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    op.drop_column("minutes", "times_not_recorded")
