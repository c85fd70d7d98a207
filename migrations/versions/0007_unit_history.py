"""Unit history: a unit's name, kind, place name and parent (with its path) are dated
rows in unit_versions, so documents print the unit as it was on their date; a unit may
name the place its documents write (org_units.place_name). Every existing unit gets one
version from its valid_from (to its valid_to when retired).

Revision ID: 0007_unit_history
Revises: 0006
Create Date: 2026-12-01 04:00:00

"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0007_unit_history"
down_revision = "0006"
branch_labels = None
depends_on = None

# The place a committee writes, derived from its name as the app did when this ran
# (app.org.history.derive_place); a frozen copy so the migration never changes.
_KIND_PREFIX = re.compile(
    r"^(đảng bộ|đảng ủy|chi bộ)\s+(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)?\s*", re.I
)


def upgrade():
    with op.batch_alter_table("org_units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("place_name", sa.String(length=200), nullable=True))

    versions = op.create_table(
        "unit_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("place_name", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=400), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["org_units.id"], name=op.f("fk_unit_versions_unit_id_org_units")),
        sa.ForeignKeyConstraint(["parent_id"], ["org_units.id"], name=op.f("fk_unit_versions_parent_id_org_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_versions")),
        sa.UniqueConstraint("unit_id", "valid_from", name=op.f("uq_unit_versions_unit_id_valid_from")),
    )
    with op.batch_alter_table("unit_versions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_unit_versions_path", ["path"], unique=False, postgresql_ops={"path": "varchar_pattern_ops"}
        )

    org_units = sa.table(
        "org_units",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("kind", sa.String),
        sa.column("parent_id", sa.Integer),
        sa.column("path", sa.String),
        sa.column("valid_from", sa.Date),
        sa.column("valid_to", sa.Date),
        sa.column("created_at", sa.DateTime),
    )
    units = op.get_bind().execute(sa.select(org_units)).all()
    rows = [
        {
            "unit_id": unit.id,
            "name": unit.name,
            "kind": unit.kind,
            "place_name": _KIND_PREFIX.sub("", unit.name).strip() or unit.name,
            "parent_id": unit.parent_id,
            "path": unit.path,
            "valid_from": unit.valid_from,
            "valid_to": unit.valid_to,
            "created_at": unit.created_at,
        }
        for unit in units
    ]
    if rows:
        op.bulk_insert(versions, rows)


def downgrade():
    with op.batch_alter_table("unit_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_unit_versions_path", postgresql_ops={"path": "varchar_pattern_ops"})
    op.drop_table("unit_versions")
    with op.batch_alter_table("org_units", schema=None) as batch_op:
        batch_op.drop_column("place_name")
