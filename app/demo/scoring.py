"""Demo scores: each held meeting is self-scored (entered by the cell's secretary or the
commune office), the cadre in charge scores the meetings they attended, and the
official grade follows the rules of app/scoring."""

import random

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.meetings.models import Meeting
from app.org.models import OrgUnit, Role, RoleAssignment
from app.scoring import services
from app.scoring.models import ScoreEntry, ScoreSheet
from app.supervision.models import DelegateAttendance, SupervisionAssignment

PAPER_FACTS = {
    "committee_met": "Chi ủy đã họp trước (sổ biên bản chi ủy)",
    "documents_ahead": "Tài liệu đã gửi qua Sổ tay đảng viên điện tử trước 2 ngày",
}


def build_scores(seed: int = 9) -> int:
    rng = random.Random(seed)  # nosec B311  # demo data, seeded so every build is the same
    recorders = {
        unit_id: user_id
        for unit_id, user_id in db.session.execute(
            select(RoleAssignment.unit_id, RoleAssignment.user_id).where(
                RoleAssignment.role.in_((Role.cell_secretary.value, Role.commune_office.value))
            )
        )
    }
    fallback = db.session.scalar(select(User.id).where(User.username == "quantri"))
    in_charge = {
        (a.cell_id, a.user_id)
        for a in db.session.scalars(select(SupervisionAssignment).where(SupervisionAssignment.kind == "in_charge"))
    }
    visits = {}
    for meeting_id, user_id in db.session.execute(
        select(DelegateAttendance.meeting_id, DelegateAttendance.user_id).where(DelegateAttendance.user_id.is_not(None))
    ):
        visits.setdefault(meeting_id, []).append(user_id)
    meetings = db.session.scalars(
        select(Meeting)
        .join(OrgUnit, Meeting.cell_id == OrgUnit.id)
        .where(Meeting.status.in_(("held", "adopted")), Meeting.kind.in_(("regular", "combined", "thematic")))
        .order_by(Meeting.id)
    ).all()
    templates = {}
    count = 0
    for meeting in meetings:
        if rng.random() < 0.1:
            continue  # a few meetings are never scored
        key = (meeting.cell.cell_type, meeting.kind)
        if key not in templates:
            templates[key] = services.template_for(meeting)
        template = templates[key]
        base = services.prefill(template, services.facts(meeting))
        recorder = recorders.get(meeting.cell_id) or recorders.get(meeting.cell.parent_id) or fallback
        scorers = [("self", recorder)] + [
            ("in_charge", user_id) for user_id in visits.get(meeting.id, []) if (meeting.cell_id, user_id) in in_charge
        ]
        for kind, user_id in scorers:
            points, reasons = dict(base), {}
            for criterion in template.criteria:
                if not criterion.fact and rng.random() < (0.25 if kind == "self" else 0.4):
                    points[criterion.id] = max(0, criterion.max_points - rng.choice([1, 2, 3]))
                # The demo has no chi ủy minutes or posted documents for past months: the
                # scorers vouch for them from the cell's paper records, with a reason.
                if criterion.fact in PAPER_FACTS and not points[criterion.id] and rng.random() < 0.7:
                    points[criterion.id] = criterion.max_points
                    reasons[criterion.id] = PAPER_FACTS[criterion.fact]
            total, grade = services.grade_of(template, points)
            sheet = ScoreSheet(
                meeting_id=meeting.id,
                template_id=template.id,
                scorer_kind=kind,
                scorer_id=user_id,
                total=total,
                grade=grade,
            )
            db.session.add(sheet)
            db.session.flush()
            db.session.add_all(
                ScoreEntry(sheet_id=sheet.id, criterion_id=c_id, points=value, override_reason=reasons.get(c_id))
                for c_id, value in points.items()
            )
        services.refresh_official(meeting)
        count += 1
    db.session.flush()
    return count
