"""Demo party documents: every adopted minutes gets its number and verification code,
and the cells of the first commune have issued resolutions for their last months
(drafted and issued through the resolution services, so they pass the same rules)."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from app.extensions import db
from app.meetings.models import Meeting
from app.minutes.models import Minutes, MinutesStatus
from app.org.models import OrgUnit
from app.records.models import DocumentKind, DocumentVersion
from app.records.services import current_version, seal_adopted_in_bulk
from app.resolutions import services as resolutions
from app.rules import RuleError

SHORTCOMINGS = (
    "Một số đảng viên chưa tham gia đầy đủ sinh hoạt; việc thu đảng phí còn chậm. "
    "Nguyên nhân: một số đảng viên đi làm ăn xa, chi ủy chưa đôn đốc thường xuyên."
)


def build_documents(months_with_resolution: int = 3) -> tuple[int, int]:
    """Returns (minutes sealed, resolutions issued)."""
    sealed_ids = select(DocumentVersion.document_id).where(DocumentVersion.kind == DocumentKind.minutes.value)
    ids = list(
        db.session.scalars(
            select(Minutes.id)
            .join(Meeting, Minutes.meeting_id == Meeting.id)
            .where(Minutes.status == MinutesStatus.adopted.value, Minutes.id.not_in(sealed_ids))
            .order_by(Meeting.cell_id, Meeting.held_on, Meeting.id)
        )
    )
    sealed = seal_adopted_in_bulk(ids)
    first_commune = db.session.scalars(
        select(OrgUnit).where(OrgUnit.kind == "commune").order_by(OrgUnit.id).limit(1)
    ).first()
    issued = 0
    if first_commune is None:
        return sealed, issued
    meetings = db.session.scalars(
        select(Meeting)
        .join(OrgUnit, Meeting.cell_id == OrgUnit.id)
        .join(Minutes, Minutes.meeting_id == Meeting.id)
        .where(
            OrgUnit.parent_id == first_commune.id,
            Meeting.kind.in_([kind.value for kind in resolutions.MONTHLY_KINDS]),
            Minutes.status == MinutesStatus.adopted.value,
        )
        .order_by(Meeting.cell_id, Meeting.held_on)
    ).all()
    by_cell: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        by_cell.setdefault(meeting.cell_id, []).append(meeting)
    for cell_meetings in by_cell.values():
        for meeting in cell_meetings[-months_with_resolution:]:
            resolution = resolutions.draft_resolution(None, meeting)
            resolution.shortcomings = SHORTCOMINGS
            try:
                with db.session.begin_nested():
                    resolutions.issue(None, resolution)
            except RuleError:
                continue  # e.g. a cell without a secretary that month: the draft stays a draft
            # Issued the morning after the meeting, as a cell would (the time is not sealed).
            resolution.issued_at = datetime.combine(meeting.on + timedelta(days=1), time(1, 0))
            current_version(DocumentKind.resolution, resolution.id).sealed_at = resolution.issued_at
            issued += 1
    db.session.flush()
    return sealed, issued
