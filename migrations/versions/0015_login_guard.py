"""Login guard: an office can unlock an account's login throttle, and accounts can use
a second step at login (a time-based one-time code).

Revision ID: 0015_login_guard
Revises: 0014_audit_chain
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_login_guard"
down_revision = "0014_audit_chain"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("login_unlocked_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_confirmed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_confirmed_at")
        batch.drop_column("totp_secret")
        batch.drop_column("login_unlocked_at")
