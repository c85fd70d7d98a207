"""Scoring: versioned score templates with criteria and grade bands (the shipped
defaults are inserted here), score sheets and entries by scorer, and each meeting's
official grade.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 10:05:05.869311

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "score_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("legal_basis", sa.String(length=200), nullable=True),
        sa.Column("cell_types", sa.String(length=200), nullable=False),
        sa.Column("meeting_kinds", sa.String(length=200), nullable=False),
        sa.Column("bands", sa.JSON(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["previous_id"], ["score_templates.id"], name=op.f("fk_score_templates_previous_id_score_templates")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["org_units.id"], name=op.f("fk_score_templates_unit_id_org_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_templates")),
    )
    op.create_table(
        "score_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("group", sa.String(length=100), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("max_points", sa.Integer(), nullable=False),
        sa.Column("needed_for_top", sa.Boolean(), nullable=False),
        sa.Column("fact", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["template_id"], ["score_templates.id"], name=op.f("fk_score_criteria_template_id_score_templates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_criteria")),
    )
    with op.batch_alter_table("score_criteria", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_criteria_template_id"), ["template_id"], unique=False)

    op.create_table(
        "score_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("scorer_kind", sa.String(length=20), nullable=False),
        sa.Column("scorer_id", sa.Integer(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("grade", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_score_sheets_meeting_id_meetings")),
        sa.ForeignKeyConstraint(["scorer_id"], ["users.id"], name=op.f("fk_score_sheets_scorer_id_users")),
        sa.ForeignKeyConstraint(
            ["template_id"], ["score_templates.id"], name=op.f("fk_score_sheets_template_id_score_templates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_sheets")),
        sa.UniqueConstraint("meeting_id", "scorer_id", name=op.f("uq_score_sheets_meeting_id_scorer_id")),
    )
    with op.batch_alter_table("score_sheets", schema=None) as batch_op:
        batch_op.create_index("ix_score_sheets_meeting_id", ["meeting_id"], unique=False)

    op.create_table(
        "meeting_grades",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=True),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("grade", sa.String(length=20), nullable=False),
        sa.Column("set_by_office_reason", sa.Text(), nullable=True),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_meeting_grades_meeting_id_meetings")),
        sa.ForeignKeyConstraint(["set_by_id"], ["users.id"], name=op.f("fk_meeting_grades_set_by_id_users")),
        sa.ForeignKeyConstraint(
            ["sheet_id"], ["score_sheets.id"], name=op.f("fk_meeting_grades_sheet_id_score_sheets")
        ),
        sa.PrimaryKeyConstraint("meeting_id", name=op.f("pk_meeting_grades")),
    )
    op.create_table(
        "score_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("fact_note", sa.String(length=200), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["criterion_id"], ["score_criteria.id"], name=op.f("fk_score_entries_criterion_id_score_criteria")
        ),
        sa.ForeignKeyConstraint(["sheet_id"], ["score_sheets.id"], name=op.f("fk_score_entries_sheet_id_score_sheets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_entries")),
    )
    with op.batch_alter_table("score_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_entries_sheet_id"), ["sheet_id"], unique=False)
    _insert_default_templates()


def _insert_default_templates():
    """The shipped sheets, as of this revision (the data lives in app/scoring/defaults.py)."""
    from datetime import date

    from app.scoring.defaults import BANDS, DEFAULT_TEMPLATES

    templates = sa.table(
        "score_templates",
        sa.column("id", sa.Integer),
        sa.column("unit_id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("legal_basis", sa.String),
        sa.column("cell_types", sa.String),
        sa.column("meeting_kinds", sa.String),
        sa.column("bands", sa.JSON),
        sa.column("valid_from", sa.Date),
        sa.column("version", sa.Integer),
    )
    criteria = sa.table(
        "score_criteria",
        sa.column("template_id", sa.Integer),
        sa.column("position", sa.Integer),
        sa.column("group", sa.String),
        sa.column("text", sa.String),
        sa.column("max_points", sa.Integer),
        sa.column("needed_for_top", sa.Boolean),
        sa.column("fact", sa.String),
    )
    template_rows, criterion_rows = [], []
    for template_id, (name, basis, cell_types, kinds, items) in enumerate(DEFAULT_TEMPLATES, start=1):
        template_rows.append(
            {
                "id": template_id,
                "unit_id": None,
                "name": name,
                "legal_basis": basis,
                "cell_types": cell_types,
                "meeting_kinds": kinds,
                "bands": BANDS,
                "valid_from": date(2019, 1, 1),
                "version": 1,
            }
        )
        for position, (group, text, points, needed, fact) in enumerate(items, start=1):
            criterion_rows.append(
                {
                    "template_id": template_id,
                    "position": position,
                    "group": group,
                    "text": text,
                    "max_points": points,
                    "needed_for_top": needed,
                    "fact": fact,
                }
            )
    op.bulk_insert(templates, template_rows)
    op.bulk_insert(criteria, criterion_rows)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('score_templates', 'id'), (SELECT MAX(id) FROM score_templates))"
        )


def downgrade():
    with op.batch_alter_table("score_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_entries_sheet_id"))

    op.drop_table("score_entries")
    op.drop_table("meeting_grades")
    with op.batch_alter_table("score_sheets", schema=None) as batch_op:
        batch_op.drop_index("ix_score_sheets_meeting_id")

    op.drop_table("score_sheets")
    with op.batch_alter_table("score_criteria", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_criteria_template_id"))

    op.drop_table("score_criteria")
    op.drop_table("score_templates")
