"""An account's owner acknowledges the changes others made to it (roles, password,
locking), shown after login: the time up to which they were seen.

Revision ID: 0016_account_notices
Revises: 0015_login_guard
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_account_notices"
down_revision = "0015_login_guard"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("notices_seen_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("notices_seen_at")
