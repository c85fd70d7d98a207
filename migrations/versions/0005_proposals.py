"""Proposals: the register of members' proposals (kiến nghị), from the cell that
raised them to the committee that answers them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 10:56:45.896504

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("raised_by_member_id", sa.Integer(), nullable=True),
        sa.Column("raised_by", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("addressed_unit_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("forwarded_on", sa.Date(), nullable=True),
        sa.Column("deadline_on", sa.Date(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("reported_meeting_id", sa.Integer(), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["addressed_unit_id"], ["org_units.id"], name=op.f("fk_proposals_addressed_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(["answered_by_id"], ["users.id"], name=op.f("fk_proposals_answered_by_id_users")),
        sa.ForeignKeyConstraint(["cell_id"], ["org_units.id"], name=op.f("fk_proposals_cell_id_org_units")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_proposals_created_by_id_users")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_proposals_meeting_id_meetings")),
        sa.ForeignKeyConstraint(
            ["raised_by_member_id"], ["members.id"], name=op.f("fk_proposals_raised_by_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["reported_meeting_id"], ["meetings.id"], name=op.f("fk_proposals_reported_meeting_id_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
    )
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.create_index("ix_proposals_addressed_unit_status", ["addressed_unit_id", "status"], unique=False)
        batch_op.create_index("ix_proposals_cell_id", ["cell_id"], unique=False)


def downgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_index("ix_proposals_cell_id")
        batch_op.drop_index("ix_proposals_addressed_unit_status")

    op.drop_table("proposals")
