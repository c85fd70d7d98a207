"""Demo supervising cadres: one or two per commune besides `giamsat`, assigned to most of
its cells, with a year of visits (some cadres behind their quota, some cells never
visited) and remarks in the minutes."""

import random
from datetime import date, time

from sqlalchemy import func, insert, select

from app.auth.models import User
from app.db import active_on
from app.extensions import db
from app.meetings.models import Meeting
from app.org.models import Member, Membership, OrgUnit, Position
from app.supervision.models import DelegateAttendance, SupervisionAssignment

from .data import reset_sequences

REMARKS = [
    "Chi bộ chuẩn bị nội dung chu đáo; đề nghị tiếp tục phát huy dân chủ trong sinh hoạt.",
    "Đề nghị chi bộ quan tâm công tác phát triển đảng viên, nhất là trong đoàn viên thanh niên.",
    "Chi bộ cần cụ thể hóa nghị quyết bằng chương trình hành động, phân công rõ người, rõ việc.",
    "Tăng cường tự phê bình và phê bình; kiên quyết nhắc nhở đảng viên vắng sinh hoạt không lý do.",
]


def build_cadres(password: str, seed: int = 5) -> list[User]:
    rng = random.Random(seed)
    today = date.today()
    communes = db.session.scalars(select(OrgUnit).where(OrgUnit.kind == "commune").order_by(OrgUnit.id)).all()
    users, assignments = [], []
    taken = set(db.session.scalars(select(User.member_id).where(User.member_id.is_not(None))))
    secretaries = set(db.session.scalars(select(Position.member_id).where(Position.to_on.is_(None))))
    number = 0
    for commune in communes:
        cells = db.session.scalars(
            select(OrgUnit).where(OrgUnit.parent_id == commune.id, OrgUnit.kind == "cell").order_by(OrgUnit.id)
        ).all()
        supervised = {
            a
            for a in db.session.scalars(
                select(SupervisionAssignment.cell_id).where(SupervisionAssignment.cell_id.in_([c.id for c in cells]))
            )
        }
        free = [c for c in cells if c.id not in supervised][:-1]  # the last cell: never visited
        if not free:
            continue
        candidates = db.session.execute(
            select(Member.id, Member.full_name)
            .join(Membership, Membership.member_id == Member.id)
            .where(
                Membership.unit_id.in_([c.id for c in cells]),
                active_on(Membership, today),
                Member.official_on.is_not(None),
            )
            .order_by(Member.id)
        ).all()
        candidates = [(mid, name) for mid, name in candidates if mid not in taken and mid not in secretaries]
        for share in (free[: (len(free) + 1) // 2], free[(len(free) + 1) // 2 :]):
            if not share or not candidates:
                continue
            member_id, name = candidates.pop(rng.randrange(len(candidates)))
            number += 1
            user = User(username=f"canbo{number:02d}", full_name=name, member_id=member_id)
            user.set_password(password)
            db.session.add(user)
            db.session.flush()
            users.append(user)
            for index, cell in enumerate(share):
                assignments.append(
                    SupervisionAssignment(
                        user_id=user.id,
                        cell_id=cell.id,
                        kind="in_charge" if index == 0 else "follows",
                        level="commune",
                        from_on=date(today.year - 1, 1, 1),
                    )
                )
    db.session.add_all(assignments)
    db.session.flush()
    _visits(rng)
    return users


def _visits(rng: random.Random) -> None:
    """A year of visits: the cadre in charge goes to most meetings (some cadres lag),
    followers now and then; remarks on some visits."""
    today = date.today()
    rows = db.session.execute(
        select(SupervisionAssignment, Meeting.id, Meeting.started_at)
        .join(Meeting, Meeting.cell_id == SupervisionAssignment.cell_id)
        .where(
            Meeting.status.in_(("held", "adopted")),
            Meeting.kind != "committee",
            Meeting.held_on >= SupervisionAssignment.from_on,
            Meeting.held_on <= today,
        )
    ).all()
    laggards = {a.user_id for a, *_ in rows if a.user_id % 4 == 0}
    next_id = (db.session.scalar(select(func.max(DelegateAttendance.id))) or 0) + 1
    records = []
    for assignment, meeting_id, started_at in rows:
        chance = 0.8 if assignment.kind == "in_charge" else 0.2
        if assignment.user_id in laggards:
            chance /= 3
        if rng.random() >= chance:
            continue
        start = started_at or time(19, 30)
        records.append(
            {
                "id": next_id,
                "meeting_id": meeting_id,
                "user_id": assignment.user_id,
                "name": assignment.user.full_name,
                "position": "Đảng ủy viên, " + assignment.kind_label.lower() + " chi bộ",
                "status": "present",
                "arrived_at": start,
                "left_at": None,
                "reason": None,
                "remarks": rng.choice(REMARKS) if rng.random() < 0.6 else None,
                "is_assigned": True,
                "on_behalf": rng.random() < 0.3,
                "recorded_by_id": None,
            }
        )
        next_id += 1
    for start in range(0, len(records), 5000):
        db.session.execute(insert(DelegateAttendance), records[start : start + 5000])
    reset_sequences("delegate_attendance")
