"""`flask check-records`: every adopted minutes against every rule of app/rules/record.py.
Reads in batches (a few statements per 1,000 minutes), so it runs at Hải Phòng scale."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from app.rules import RuleError
from app.rules import record as rules

BATCH = 1000


@dataclass
class Violation:
    meeting_id: int
    cell: str
    rule: str
    message: str


def _batch_violations(batch) -> list[Violation]:
    from app.attendance.models import AttendanceRecord
    from app.extensions import db
    from app.meetings.models import Meeting, MeetingStatus
    from app.minutes.models import MinutesItem
    from app.org.models import Member, Membership
    from app.supervision.models import DelegateAttendance, DelegateStatus

    ids = [meeting.id for _minutes, meeting in batch]
    statuses: dict[int, dict[int, str]] = defaultdict(dict)
    full_present: dict[int, int] = defaultdict(int)
    # Only members of the cell on the meeting date count, as on the attendance sheet.
    day = func.coalesce(Meeting.held_on, Meeting.planned_on)
    rows = db.session.execute(
        select(AttendanceRecord.meeting_id, AttendanceRecord.member_id, AttendanceRecord.status, Member.official_on)
        .join(Member, AttendanceRecord.member_id == Member.id)
        .join(Meeting, AttendanceRecord.meeting_id == Meeting.id)
        .join(
            Membership,
            (Membership.member_id == Member.id)
            & (Membership.unit_id == Meeting.cell_id)
            & (Membership.from_on <= day)
            & (Membership.to_on.is_(None) | (Membership.to_on > day)),
        )
        .where(AttendanceRecord.meeting_id.in_(ids))
    )
    on = {meeting.id: meeting.on for _minutes, meeting in batch}
    for meeting_id, member_id, status, official_on in rows:
        statuses[meeting_id][member_id] = status
        if status in rules.PRESENT and official_on is not None and official_on <= on[meeting_id]:
            full_present[meeting_id] += 1
    titles: dict[int, list[str]] = defaultdict(list)
    for minutes_id, title in db.session.execute(
        select(MinutesItem.minutes_id, MinutesItem.title)
        .where(MinutesItem.minutes_id.in_([minutes.id for minutes, _meeting in batch]))
        .order_by(MinutesItem.minutes_id, MinutesItem.position)
    ):
        titles[minutes_id].append(title)
    wanted = [meeting.prepares_id for _minutes, meeting in batch if meeting.prepares_id]
    prepared = {m.id: m for m in db.session.scalars(select(Meeting).where(Meeting.id.in_(wanted)))}
    cells = {meeting.cell_id for _minutes, meeting in batch}
    monthly: dict[int, list[tuple[int, object]]] = defaultdict(list)
    for meeting_id, cell_id, when in db.session.execute(
        select(Meeting.id, Meeting.cell_id, day).where(
            Meeting.cell_id.in_(cells),
            Meeting.kind.in_(rules.MONTHLY_KINDS),
            Meeting.status.not_in((MeetingStatus.postponed, MeetingStatus.cancelled)),
        )
    ):
        monthly[cell_id].append((meeting_id, when))
    delegates: dict[int, list[tuple[int | None, str]]] = defaultdict(list)
    for meeting_id, user_id, name in db.session.execute(
        select(DelegateAttendance.meeting_id, DelegateAttendance.user_id, DelegateAttendance.name)
        .where(DelegateAttendance.meeting_id.in_(ids), DelegateAttendance.status != DelegateStatus.removed.value)
        .order_by(DelegateAttendance.id)
    ):
        delegates[meeting_id].append((user_id, name))
    found = []
    for minutes, meeting in batch:
        checks = [
            (
                "Chủ trì, thư ký có mặt",
                rules.check_chair_and_taker,
                (meeting.chair_id, meeting.minute_taker_id, statuses[meeting.id], True),
            ),
            (
                "Biểu quyết",
                rules.check_vote,
                (minutes.votes_for, minutes.votes_against, minutes.votes_other, full_present[meeting.id]),
            ),
            ("Mục bế mạc ở cuối", rules.check_closing_last, (titles[minutes.id],)),
            (
                "Mỗi tháng một buổi thường kỳ",
                rules.check_one_monthly,
                (meeting.kind, meeting.on, [d for other, d in monthly[meeting.cell_id] if other != meeting.id], False),
            ),
            (
                "Giờ bắt đầu, kết thúc",
                rules.check_times,
                (meeting.started_at, meeting.ended_at, minutes.paper_reference, minutes.times_not_recorded),
            ),
        ]
        if meeting.prepares_id in prepared:
            checks.append(
                (
                    "Họp chi ủy trước buổi sinh hoạt",
                    rules.check_preparation,
                    (meeting.on, prepared[meeting.prepares_id].on),
                )
            )
        recorded = delegates[meeting.id]
        checks += [
            ("Đại biểu ghi một lần", rules.check_delegate_once, (user_id, name, recorded[:index]))
            for index, (user_id, name) in enumerate(recorded)
        ]
        if rules.times_missing(meeting.started_at, meeting.ended_at, minutes.times_not_recorded):
            found.append(
                Violation(meeting.id, meeting.cell.name, "Giờ bắt đầu, kết thúc", "Thiếu giờ bắt đầu hoặc kết thúc.")
            )
        for rule, check, args in checks:
            try:
                check(*args)
            except RuleError as error:
                found.append(Violation(meeting.id, meeting.cell.name, rule, str(error)))
    return found


def record_violations() -> list[Violation]:
    from app.extensions import db
    from app.meetings.models import Meeting
    from app.minutes.models import Minutes, MinutesStatus

    found = []
    last_id = 0
    while True:
        batch = db.session.execute(
            select(Minutes, Meeting)
            .join(Meeting, Minutes.meeting_id == Meeting.id)
            .where(Minutes.status == MinutesStatus.adopted.value, Minutes.id > last_id)
            .order_by(Minutes.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return found
        found += _batch_violations(batch)
        last_id = batch[-1][0].id
        db.session.expunge_all()
