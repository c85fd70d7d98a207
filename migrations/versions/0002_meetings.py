"""Meetings: year plan and thematic topics, agenda and templates, documents,
notifications, member attendance and guests, minutes with items, speakers,
revisions, tasks and errata.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "agenda_template_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("planned_minutes", sa.Integer(), nullable=False),
        sa.Column("is_review", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["org_units.id"], name=op.f("fk_agenda_template_items_unit_id_org_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_template_items")),
    )
    with op.batch_alter_table("agenda_template_items", schema=None) as batch_op:
        batch_op.create_index("ix_agenda_template_items_unit_kind", ["unit_id", "kind"], unique=False)

    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("topic", sa.String(length=300), nullable=True),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("planned_time", sa.Time(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("started_at", sa.Time(), nullable=True),
        sa.Column("ended_at", sa.Time(), nullable=True),
        sa.Column("chair_id", sa.Integer(), nullable=True),
        sa.Column("minute_taker_id", sa.Integer(), nullable=True),
        sa.Column("prepares_id", sa.Integer(), nullable=True),
        sa.Column("postponed_to_id", sa.Integer(), nullable=True),
        sa.Column("status_reason", sa.String(length=500), nullable=True),
        sa.Column("off_fixed_day", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["cell_id"], ["org_units.id"], name=op.f("fk_meetings_cell_id_org_units")),
        sa.ForeignKeyConstraint(["chair_id"], ["members.id"], name=op.f("fk_meetings_chair_id_members")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_meetings_created_by_id_users")),
        sa.ForeignKeyConstraint(["minute_taker_id"], ["members.id"], name=op.f("fk_meetings_minute_taker_id_members")),
        sa.ForeignKeyConstraint(
            ["postponed_to_id"], ["meetings.id"], name=op.f("fk_meetings_postponed_to_id_meetings")
        ),
        sa.ForeignKeyConstraint(["prepares_id"], ["meetings.id"], name=op.f("fk_meetings_prepares_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index("ix_meetings_cell_planned_on", ["cell_id", "planned_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_meetings_prepares_id"), ["prepares_id"], unique=False)

    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("presenter_id", sa.Integer(), nullable=True),
        sa.Column("presenter_name", sa.String(length=200), nullable=True),
        sa.Column("planned_minutes", sa.Integer(), nullable=False),
        sa.Column("is_review", sa.Boolean(), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_agenda_items_meeting_id_meetings")),
        sa.ForeignKeyConstraint(["presenter_id"], ["members.id"], name=op.f("fk_agenda_items_presenter_id_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_items_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "attendance_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("at_time", sa.Time(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("is_exempt", sa.Boolean(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_attendance_records_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_attendance_records_member_id_members")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_attendance_records_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_records")),
        sa.UniqueConstraint("meeting_id", "member_id", name=op.f("uq_attendance_records_meeting_id_member_id")),
    )
    with op.batch_alter_table("attendance_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_records_member_id"), ["member_id"], unique=False)

    op.create_table(
        "meeting_guests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.Column("unit_name", sa.String(length=200), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_meeting_guests_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_guests")),
    )
    with op.batch_alter_table("meeting_guests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_guests_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "meeting_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("notified_at", sa.DateTime(), nullable=False),
        sa.Column("method", sa.String(length=200), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_meeting_notifications_meeting_id_meetings")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_meeting_notifications_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_notifications")),
    )
    with op.batch_alter_table("meeting_notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_notifications_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=True),
        sa.Column("delegates", sa.Text(), nullable=True),
        sa.Column("superior_remarks", sa.Text(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("proposals", sa.Text(), nullable=True),
        sa.Column("closing", sa.Text(), nullable=True),
        sa.Column("is_read_back", sa.Boolean(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=True),
        sa.Column("votes_against", sa.Integer(), nullable=True),
        sa.Column("votes_other", sa.Integer(), nullable=True),
        sa.Column("paper_reference", sa.String(length=300), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("adopted_at", sa.DateTime(), nullable=True),
        sa.Column("adopted_by_id", sa.Integer(), nullable=True),
        sa.Column("attendance_snapshot", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["adopted_by_id"], ["users.id"], name=op.f("fk_minutes_adopted_by_id_users")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_minutes_created_by_id_users")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_minutes_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes")),
        sa.UniqueConstraint("meeting_id", name=op.f("uq_minutes_meeting_id")),
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("assignee_name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["assignee_id"], ["members.id"], name=op.f("fk_tasks_assignee_id_members")),
        sa.ForeignKeyConstraint(["cell_id"], ["org_units.id"], name=op.f("fk_tasks_cell_id_org_units")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_tasks_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index("ix_tasks_cell_done_on", ["cell_id", "done_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "thematic_topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("planned_month", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("drafter_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["cell_id"], ["org_units.id"], name=op.f("fk_thematic_topics_cell_id_org_units")),
        sa.ForeignKeyConstraint(["drafter_id"], ["members.id"], name=op.f("fk_thematic_topics_drafter_id_members")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_thematic_topics_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thematic_topics")),
    )
    with op.batch_alter_table("thematic_topics", schema=None) as batch_op:
        batch_op.create_index("ix_thematic_topics_cell_year", ["cell_id", "year"], unique=False)

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("available_at", sa.DateTime(), nullable=True),
        sa.Column("posted_on_app_at", sa.DateTime(), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"], ["agenda_items.id"], name=op.f("fk_documents_agenda_item_id_agenda_items")
        ),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_documents_meeting_id_meetings")),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"], name=op.f("fk_documents_uploaded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_documents_stored_name")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_meeting_id"), ["meeting_id"], unique=False)

    op.create_table(
        "minutes_errata",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_minutes_errata_author_id_users")),
        sa.ForeignKeyConstraint(["minutes_id"], ["minutes.id"], name=op.f("fk_minutes_errata_minutes_id_minutes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_errata")),
    )
    with op.batch_alter_table("minutes_errata", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_minutes_errata_minutes_id"), ["minutes_id"], unique=False)

    op.create_table(
        "minutes_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("presenter", sa.String(length=200), nullable=True),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("conclusion", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["minutes_id"], ["minutes.id"], name=op.f("fk_minutes_items_minutes_id_minutes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_items")),
    )
    with op.batch_alter_table("minutes_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_minutes_items_minutes_id"), ["minutes_id"], unique=False)

    op.create_table(
        "minutes_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("minutes_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_minutes_revisions_author_id_users")),
        sa.ForeignKeyConstraint(["minutes_id"], ["minutes.id"], name=op.f("fk_minutes_revisions_minutes_id_minutes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_revisions")),
    )
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_minutes_revisions_minutes_id"), ["minutes_id"], unique=False)

    op.create_table(
        "minutes_speakers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("said", sa.Text(), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["minutes_items.id"], name=op.f("fk_minutes_speakers_item_id_minutes_items")
        ),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_minutes_speakers_member_id_members")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minutes_speakers")),
    )
    with op.batch_alter_table("minutes_speakers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_minutes_speakers_item_id"), ["item_id"], unique=False)



def downgrade():
    with op.batch_alter_table("minutes_speakers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_speakers_item_id"))

    op.drop_table("minutes_speakers")
    with op.batch_alter_table("minutes_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_revisions_minutes_id"))

    op.drop_table("minutes_revisions")
    with op.batch_alter_table("minutes_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_items_minutes_id"))

    op.drop_table("minutes_items")
    with op.batch_alter_table("minutes_errata", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minutes_errata_minutes_id"))

    op.drop_table("minutes_errata")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_meeting_id"))

    op.drop_table("documents")
    with op.batch_alter_table("thematic_topics", schema=None) as batch_op:
        batch_op.drop_index("ix_thematic_topics_cell_year")

    op.drop_table("thematic_topics")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tasks_meeting_id"))
        batch_op.drop_index("ix_tasks_cell_done_on")

    op.drop_table("tasks")
    op.drop_table("minutes")
    with op.batch_alter_table("meeting_notifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_notifications_meeting_id"))

    op.drop_table("meeting_notifications")
    with op.batch_alter_table("meeting_guests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_guests_meeting_id"))

    op.drop_table("meeting_guests")
    with op.batch_alter_table("attendance_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_records_member_id"))

    op.drop_table("attendance_records")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_items_meeting_id"))

    op.drop_table("agenda_items")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_cell_planned_on")
        batch_op.drop_index(batch_op.f("ix_meetings_prepares_id"))

    op.drop_table("meetings")
    with op.batch_alter_table("agenda_template_items", schema=None) as batch_op:
        batch_op.drop_index("ix_agenda_template_items_unit_kind")

    op.drop_table("agenda_template_items")
