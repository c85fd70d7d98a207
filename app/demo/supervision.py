"""Demo supervising cadres: one or two per commune besides `giamsat`, assigned to most of
its cells, with a year of visits (some cadres behind their quota, some cells never
visited) and remarks in the minutes."""

import random
from collections import defaultdict
from datetime import date, time

from sqlalchemy import func, insert, select
from werkzeug.security import generate_password_hash

from app.auth.models import User
from app.db import active_on
from app.extensions import db
from app.meetings.models import Meeting
from app.org.models import Member, Membership, OrgUnit, Position
from app.scoring.models import MeetingGrade
from app.supervision.models import DelegateAttendance, SupervisionAssignment

from .data import reset_sequences

REMARKS = [
    "Chi bộ chuẩn bị nội dung chu đáo; đề nghị tiếp tục phát huy dân chủ trong sinh hoạt.",
    "Đề nghị chi bộ quan tâm công tác phát triển đảng viên, nhất là trong đoàn viên thanh niên.",
    "Chi bộ cần cụ thể hóa nghị quyết bằng chương trình hành động, phân công rõ người, rõ việc.",
    "Tăng cường tự phê bình và phê bình; kiên quyết nhắc nhở đảng viên vắng sinh hoạt không lý do.",
]


def build_cadres(password: str, seed: int = 5) -> list[User]:
    rng = random.Random(seed)  # nosec B311  # demo data, seeded so every build is the same
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


def build_cadres_at_scale(password: str, seed: int = 6) -> int:
    """Hải Phòng scale: a cadre per grassroots committee, in charge of its first cell and
    following two more, a year of visits, and official grades for most held meetings
    (bulk rows; the password is hashed once and shared, as all demo passwords are)."""
    rng = random.Random(seed)  # nosec B311  # demo data, seeded so every build is the same
    today = date.today()
    first_cells = defaultdict(list)
    for parent_id, cell_id in db.session.execute(
        select(OrgUnit.parent_id, OrgUnit.id)
        .where(OrgUnit.kind == "cell", OrgUnit.parent_id.is_not(None))
        .order_by(OrgUnit.parent_id, OrgUnit.id)
    ):
        if len(first_cells[parent_id]) < 4:
            first_cells[parent_id].append(cell_id)
    members = dict(
        db.session.execute(
            select(Membership.unit_id, func.min(Membership.member_id))
            .where(Membership.unit_id.in_([cells[0] for cells in first_cells.values()]))
            .group_by(Membership.unit_id)
        ).all()
    )
    password_hash = generate_password_hash(password)
    next_user = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    users, assignments = [], []
    for number, cells in enumerate(first_cells.values(), start=1):
        if cells[0] not in members or len(cells) < 4:
            continue
        user_id = next_user
        next_user += 1
        users.append(
            {
                "id": user_id,
                "username": f"canbo{number:04d}",
                "full_name": f"Cấp ủy viên {number:04d}",
                "password_hash": password_hash,
                "is_enabled": True,
                "member_id": members[cells[0]],
                "session_version": 1,
            }
        )
        for index, cell_id in enumerate(cells[:3]):  # the fourth cell is never visited
            assignments.append(
                {
                    "user_id": user_id,
                    "cell_id": cell_id,
                    "kind": "in_charge" if index == 0 else "follows",
                    "level": "commune",
                    "from_on": date(today.year - 1, 1, 1),
                    "to_on": None,
                }
            )
    db.session.execute(insert(User), users)
    db.session.execute(insert(SupervisionAssignment), assignments)
    reset_sequences("users", "supervision_assignments")
    _visits(rng)
    grades = [
        {
            "meeting_id": meeting_id,
            "sheet_id": None,
            "total": None,
            "grade": rng.choices(["good", "fair", "average", "poor"], [45, 40, 12, 3])[0],
        }
        for (meeting_id,) in db.session.execute(
            select(Meeting.id).where(Meeting.status.in_(("held", "adopted")), Meeting.kind != "committee")
        )
        if rng.random() < 0.8
    ]
    for start in range(0, len(grades), 5000):
        db.session.execute(insert(MeetingGrade), grades[start : start + 5000])
    return len(users)
