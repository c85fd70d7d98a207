"""Removal alert: a partial index on the unexcused absences, the only attendance rows
the alert reads (a district's year is read from it instead of every attendance record).

Revision ID: 0011_score_prints
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_score_prints"
down_revision = "0010_minutes_structure"
branch_labels = None
depends_on = None

UNEXCUSED_ONLY = "status = 'unexcused'"


def upgrade():
    op.create_index(
        "ix_attendance_records_unexcused",
        "attendance_records",
        ["meeting_id", "member_id"],
        sqlite_where=sa.text(UNEXCUSED_ONLY),
        postgresql_where=sa.text(UNEXCUSED_ONLY),
    )


def downgrade():
    op.drop_index("ix_attendance_records_unexcused", table_name="attendance_records")
