"""Party documents as a set: the numbers register per cell, type and committee term,
the sealed versions of adopted minutes and issued resolutions (content hash and
verification code), and the month's resolution of a cell.

Revision ID: 0009_party_documents
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_party_documents"
down_revision = "0008_record_rules"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "document_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("term_from", sa.Integer(), nullable=False),
        sa.Column("term_to", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=30), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("document_on", sa.Date(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["cell_id"], ["org_units.id"], name=op.f("fk_document_numbers_cell_id_org_units")),
        sa.ForeignKeyConstraint(["assigned_by_id"], ["users.id"], name=op.f("fk_document_numbers_assigned_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_numbers")),
        sa.UniqueConstraint(
            "cell_id", "kind", "term_from", "seq", name=op.f("uq_document_numbers_cell_id_kind_term_from_seq")
        ),
        sa.UniqueConstraint("kind", "document_id", name=op.f("uq_document_numbers_kind_document_id")),
    )
    op.create_table(
        "document_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=True),
        sa.Column("document_on", sa.Date(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("event", sa.String(length=100), nullable=False),
        sa.Column("sealed_at", sa.DateTime(), nullable=False),
        sa.Column("sealed_by_id", sa.Integer(), nullable=True),
        sa.Column("superseded_at", sa.DateTime(), nullable=True),
        sa.Column("superseded_note", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["cell_id"], ["org_units.id"], name=op.f("fk_document_versions_cell_id_org_units")),
        sa.ForeignKeyConstraint(["sealed_by_id"], ["users.id"], name=op.f("fk_document_versions_sealed_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_versions")),
        sa.UniqueConstraint("code", name=op.f("uq_document_versions_code")),
        sa.UniqueConstraint(
            "kind", "document_id", "version", name=op.f("uq_document_versions_kind_document_id_version")
        ),
    )
    op.create_table(
        "resolutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=True),
        sa.Column("summary", sa.String(length=300), nullable=True),
        sa.Column("results", sa.Text(), nullable=True),
        sa.Column("shortcomings", sa.Text(), nullable=True),
        sa.Column("tasks", sa.Text(), nullable=True),
        sa.Column("implementation", sa.Text(), nullable=True),
        sa.Column("recipients", sa.Text(), nullable=True),
        sa.Column("signer_name", sa.String(length=200), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=True),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_resolutions_meeting_id_meetings")),
        sa.ForeignKeyConstraint(["cell_id"], ["org_units.id"], name=op.f("fk_resolutions_cell_id_org_units")),
        sa.ForeignKeyConstraint(["issued_by_id"], ["users.id"], name=op.f("fk_resolutions_issued_by_id_users")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_resolutions_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolutions")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_resolutions_meeting_id")),
    )
    op.create_index(op.f("ix_resolutions_cell_id"), "resolutions", ["cell_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_resolutions_cell_id"), table_name="resolutions")
    op.drop_table("resolutions")
    op.drop_table("document_versions")
    op.drop_table("document_numbers")
