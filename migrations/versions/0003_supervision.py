"""Supervision: cadres' assignments to cells, yearly visit quotas, delegate
attendance at meetings (apart from members'), when a cadre last saw their schedule,
and meetings.updated_at so the schedule can mark what changed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 09:52:20.110711

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "visit_quotas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["org_units.id"], name=op.f("fk_visit_quotas_unit_id_org_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_quotas")),
        sa.UniqueConstraint("unit_id", "level", name=op.f("uq_visit_quotas_unit_id_level")),
    )
    op.create_table(
        "schedule_seen",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_schedule_seen_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_schedule_seen")),
    )
    op.create_table(
        "supervision_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("from_on", sa.Date(), nullable=False),
        sa.Column("to_on", sa.Date(), nullable=True),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by_id"], ["users.id"], name=op.f("fk_supervision_assignments_assigned_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["cell_id"], ["org_units.id"], name=op.f("fk_supervision_assignments_cell_id_org_units")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_supervision_assignments_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supervision_assignments")),
    )
    with op.batch_alter_table("supervision_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supervision_assignments_cell_id"), ["cell_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_supervision_assignments_user_id"), ["user_id"], unique=False)

    op.create_table(
        "delegate_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("arrived_at", sa.Time(), nullable=True),
        sa.Column("left_at", sa.Time(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("is_assigned", sa.Boolean(), nullable=False),
        sa.Column("on_behalf", sa.Boolean(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_delegate_attendance_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_delegate_attendance_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_delegate_attendance_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegate_attendance")),
        sa.UniqueConstraint("meeting_id", "user_id", name=op.f("uq_delegate_attendance_meeting_id_user_id")),
    )
    with op.batch_alter_table("delegate_attendance", schema=None) as batch_op:
        batch_op.create_index("ix_delegate_attendance_meeting_id", ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_delegate_attendance_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("updated_at", sa.DateTime(), nullable=False, server_default=sa.text("CURRENT_TIMESTAMP"))
        )


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("updated_at")

    with op.batch_alter_table("delegate_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delegate_attendance_user_id"))
        batch_op.drop_index("ix_delegate_attendance_meeting_id")

    op.drop_table("delegate_attendance")
    with op.batch_alter_table("supervision_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supervision_assignments_user_id"))
        batch_op.drop_index(batch_op.f("ix_supervision_assignments_cell_id"))

    op.drop_table("supervision_assignments")
    op.drop_table("schedule_seen")
    op.drop_table("visit_quotas")
