"""Criticism notes: criticism and self-criticism notes of a meeting with their
revisions, correction commitments and their reviews; "tự soi, tự sửa" sessions with
the 27 signs of degradation (seeded here from app/self_examination/signs.py), members'
self-reviews; the year-end review of each member.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 11:19:52.326366

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "degradation_signs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_degradation_signs")),
        sa.UniqueConstraint("group", "number", name=op.f("uq_degradation_signs_group_number")),
    )
    op.create_table(
        "year_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("self_assessment", sa.Text(), nullable=True),
        sa.Column("proposed_rating", sa.String(length=20), nullable=True),
        sa.Column("cell_rating", sa.String(length=20), nullable=True),
        sa.Column("cell_comment", sa.Text(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["cell_id"], ["org_units.id"], name=op.f("fk_year_reviews_cell_id_org_units")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_year_reviews_member_id_members")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_year_reviews_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_year_reviews")),
        sa.UniqueConstraint("cell_id", "year", "member_id", name=op.f("uq_year_reviews_cell_id_year_member_id")),
    )
    op.create_table(
        "self_examinations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("collective_assessment", sa.Text(), nullable=True),
        sa.Column("head_member_id", sa.Integer(), nullable=True),
        sa.Column("head_assessment", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_self_examinations_created_by_id_users")),
        sa.ForeignKeyConstraint(
            ["head_member_id"], ["members.id"], name=op.f("fk_self_examinations_head_member_id_members")
        ),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_self_examinations_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_examinations")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_self_examinations_meeting_id")),
    )
    op.create_table(
        "criticism_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=20), nullable=False),
        sa.Column("subject_member_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("by_member_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("form_token", sa.String(length=40), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"], ["agenda_items.id"], name=op.f("fk_criticism_notes_agenda_item_id_agenda_items")
        ),
        sa.ForeignKeyConstraint(["by_member_id"], ["members.id"], name=op.f("fk_criticism_notes_by_member_id_members")),
        sa.ForeignKeyConstraint(["cell_id"], ["org_units.id"], name=op.f("fk_criticism_notes_cell_id_org_units")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_criticism_notes_created_by_id_users")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_criticism_notes_meeting_id_meetings")),
        sa.ForeignKeyConstraint(
            ["subject_member_id"], ["members.id"], name=op.f("fk_criticism_notes_subject_member_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criticism_notes")),
        sa.UniqueConstraint("form_token", name=op.f("uq_criticism_notes_form_token")),
    )
    with op.batch_alter_table("criticism_notes", schema=None) as batch_op:
        batch_op.create_index("ix_criticism_notes_cell_subject_member", ["cell_id", "subject_member_id"], unique=False)
        batch_op.create_index("ix_criticism_notes_meeting_id", ["meeting_id"], unique=False)

    op.create_table(
        "self_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("examination_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("self_text", sa.Text(), nullable=True),
        sa.Column("cell_assessment", sa.Text(), nullable=True),
        sa.Column("correction_plan", sa.Text(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["examination_id"], ["self_examinations.id"], name=op.f("fk_self_reviews_examination_id_self_examinations")
        ),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_self_reviews_member_id_members")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_self_reviews_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_reviews")),
        sa.UniqueConstraint("examination_id", "member_id", name=op.f("uq_self_reviews_examination_id_member_id")),
    )
    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cell_id"], ["org_units.id"], name=op.f("fk_commitments_cell_id_org_units")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_commitments_created_by_id_users")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_commitments_member_id_members")),
        sa.ForeignKeyConstraint(
            ["note_id"], ["criticism_notes.id"], name=op.f("fk_commitments_note_id_criticism_notes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.create_index("ix_commitments_cell_status_due", ["cell_id", "status", "due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitments_note_id"), ["note_id"], unique=False)

    op.create_table(
        "criticism_note_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("change", sa.String(length=20), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["users.id"], name=op.f("fk_criticism_note_revisions_changed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["note_id"], ["criticism_notes.id"], name=op.f("fk_criticism_note_revisions_note_id_criticism_notes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criticism_note_revisions")),
    )
    with op.batch_alter_table("criticism_note_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_criticism_note_revisions_note_id"), ["note_id"], unique=False)

    op.create_table(
        "self_review_signs",
        sa.Column("self_review_id", sa.Integer(), nullable=False),
        sa.Column("sign_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["self_review_id"], ["self_reviews.id"], name=op.f("fk_self_review_signs_self_review_id_self_reviews")
        ),
        sa.ForeignKeyConstraint(
            ["sign_id"], ["degradation_signs.id"], name=op.f("fk_self_review_signs_sign_id_degradation_signs")
        ),
        sa.PrimaryKeyConstraint("self_review_id", "sign_id", name=op.f("pk_self_review_signs")),
    )
    op.create_table(
        "commitment_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"], ["commitments.id"], name=op.f("fk_commitment_reviews_commitment_id_commitments")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_commitment_reviews_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["users.id"], name=op.f("fk_commitment_reviews_reviewed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_reviews")),
    )
    with op.batch_alter_table("commitment_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commitment_reviews_commitment_id"), ["commitment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commitment_reviews_meeting_id"), ["meeting_id"], unique=False)
    _seed_signs()


def _seed_signs():
    """The 27 signs as of this revision; administrators may correct them later."""
    from app.self_examination.signs import SIGNS

    signs = sa.table(
        "degradation_signs",
        sa.column("group", sa.Integer),
        sa.column("number", sa.Integer),
        sa.column("text", sa.Text),
        sa.column("is_active", sa.Boolean),
    )
    op.bulk_insert(
        signs,
        [
            {"group": group, "number": number, "text": text, "is_active": True}
            for group, texts in SIGNS.items()
            for number, text in enumerate(texts, start=1)
        ],
    )


def downgrade():
    with op.batch_alter_table("commitment_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_reviews_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_commitment_reviews_commitment_id"))

    op.drop_table("commitment_reviews")
    op.drop_table("self_review_signs")
    with op.batch_alter_table("criticism_note_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_criticism_note_revisions_note_id"))

    op.drop_table("criticism_note_revisions")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitments_note_id"))
        batch_op.drop_index("ix_commitments_cell_status_due")

    op.drop_table("commitments")
    op.drop_table("self_reviews")
    with op.batch_alter_table("criticism_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_criticism_notes_meeting_id")
        batch_op.drop_index("ix_criticism_notes_cell_subject_member")

    op.drop_table("criticism_notes")
    op.drop_table("self_examinations")
    op.drop_table("year_reviews")
    op.drop_table("degradation_signs")
