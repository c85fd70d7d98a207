"""Demo meetings: every cell's past 12 months (held, a few postponed, some minutes still
in draft, attendance with a few unexcused absences) and the coming months planned.
Rows are built in memory with explicit ids and inserted in bulk, so the Hải Phòng
scale (6,095 cells) builds in reasonable time."""

import calendar
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select, text

from app.attendance.models import AttendanceRecord
from app.db import active_on, utcnow
from app.extensions import db
from app.meetings.models import AgendaItem, Meeting, MeetingKind, Notification, ThematicTopic
from app.meetings.standard_agenda import STANDARD_AGENDA
from app.minutes.models import Minutes, MinutesItem, MinutesRevision, Speaker, Task
from app.minutes.services import DEFAULT_CLOSING
from app.org.models import Exemption, Member, Membership, OrgUnit, Position
from app.rules import RuleError
from app.rules import record as rules

from . import meeting_texts as T
from .data import reset_sequences

TABLES = [Meeting, AgendaItem, ThematicTopic, Notification, AttendanceRecord, Minutes, MinutesItem, Speaker, Task]


def _add_months(on: date, months: int) -> date:
    month = on.month - 1 + months
    year = on.year + month // 12
    return date(year, month % 12 + 1, 1)


class MeetingBuilder:
    def __init__(self, seed: int, rich: bool):
        self.rng = random.Random(seed)  # nosec B311  # demo data, seeded so every build is the same
        self.rich = rich  # speakers, committee meetings, notifications: the small demo only
        self.rows: dict[type, list[dict]] = defaultdict(list)
        self.next_id = {model: (db.session.scalar(select(func.max(model.id))) or 0) + 1 for model in TABLES}
        self.today = date.today()
        self.topic_meeting: dict[tuple[int, int], int] = {}  # (cell, month) -> meeting with that topic
        self.done_tasks: dict[int, date] = {}

    def new_id(self, model) -> int:
        value = self.next_id[model]
        self.next_id[model] += 1
        return value

    # One cell ------------------------------------------------------------------

    def cell(self, cell: OrgUnit, day: int | None, people: list[tuple], secretary_id):
        """people: (member id, name, is full today, is exempt, membership kind, official on,
        member of the cell from)."""
        rng = self.rng
        fixed = day or 5
        full = [p for p in people if p[2] and not p[3]]
        drafter = next((p[0] for p in full if p[0] != secretary_id), secretary_id)
        held_dates: list[date] = []
        topic_months = {3: None, 6: None, 9: None, 12: None}
        start = _add_months(self.today, -12)
        open_tasks: list[int] = []
        for offset in range(15):  # 12 past months, this month, 2 coming
            month_start = _add_months(start, offset)
            if month_start > _add_months(self.today, 2):
                break
            planned_on = date(
                month_start.year, month_start.month, min(fixed, calendar.monthrange(*month_start.timetuple()[:2])[1])
            )
            kind = MeetingKind.regular
            topic = None
            if month_start.month in topic_months:
                topic = T.TOPICS[(cell.id + month_start.month) % len(T.TOPICS)]
                kind = MeetingKind.combined
                if month_start.year == self.today.year:
                    topic_months[month_start.month] = topic
            if planned_on >= self.today:
                self.planned(
                    cell,
                    kind,
                    planned_on,
                    topic,
                    day,
                    people,
                    first=offset == 12 or planned_on < self.today + timedelta(days=31),
                )
                continue
            held_on = planned_on
            postponed = rng.random() < 0.05
            if postponed:
                self.meeting_row(cell, kind, planned_on, topic, "postponed", day, reason=rng.choice(T.POSTPONE_REASONS))
                held_on = planned_on + timedelta(days=rng.randint(4, 9))
                if held_on >= self.today:
                    held_on = planned_on
            elif rng.random() < 0.1:
                held_on = planned_on + timedelta(days=rng.choice([-2, -1, 1, 2, 3]))
            try:  # a moved date must not land in a month that already has its meeting
                rules.check_one_monthly(kind.value, held_on, held_dates, confirmed_extraordinary=False)
            except RuleError:
                held_on = planned_on
            held_dates.append(held_on)
            draft = (self.today - held_on).days < 40 and rng.random() < 0.35
            meeting_id = self.meeting_row(
                cell, kind, held_on, topic, "held" if draft else "adopted", day, held_on=held_on
            )
            meeting = self.rows[Meeting][-1]
            if postponed:
                self.rows[Meeting][-2]["postponed_to_id"] = meeting_id
            on_roster = [p for p in people if p[6] <= held_on]  # the cell's members on that date
            tally = self.attendance(meeting_id, on_roster, held_on)
            meeting["chair_id"], meeting["minute_taker_id"] = self.signers(tally["statuses"], on_roster, secretary_id)
            rules.check_chair_and_taker(meeting["chair_id"], meeting["minute_taker_id"], tally["statuses"], final=True)
            self.minutes(meeting_id, kind, not draft, tally, on_roster, open_tasks, held_on)
        for month, topic in topic_months.items():
            if topic:
                self.rows[ThematicTopic].append(
                    {
                        "id": self.new_id(ThematicTopic),
                        "cell_id": cell.id,
                        "year": self.today.year,
                        "planned_month": month,
                        "title": topic,
                        "drafter_id": drafter,
                        "meeting_id": self.topic_meeting.get((cell.id, month)),
                        "is_deleted": False,
                    }
                )

    def meeting_row(
        self,
        cell,
        kind,
        on,
        topic,
        status,
        day,
        *,
        held_on=None,
        prepares_id=None,
        reason=None,
        agenda=True,
    ) -> int:
        rng = self.rng
        meeting_id = self.new_id(Meeting)
        start = time(rng.choice([7, 8, 14, 19]), rng.choice([0, 30]))
        minutes_long = rng.choice([95, 100, 110, 120, 85]) + (30 if kind == MeetingKind.combined else 0)
        end = (datetime.combine(on, start) + timedelta(minutes=minutes_long)).time() if held_on else None
        self.rows[Meeting].append(
            {
                "id": meeting_id,
                "cell_id": cell.id,
                "kind": kind.value,
                "status": status,
                "topic": topic,
                "planned_on": on,
                "planned_time": start,
                "place": T.PLACES[cell.id % len(T.PLACES)],
                "held_on": held_on,
                "started_at": start if held_on else None,
                "ended_at": end,
                "chair_id": None,  # set from the roll call, among those present
                "minute_taker_id": None,
                "prepares_id": prepares_id,
                "postponed_to_id": None,
                "status_reason": reason,
                "off_fixed_day": bool(day and kind in (MeetingKind.regular, MeetingKind.combined) and on.day != day),
                "created_by_id": None,
                "created_at": utcnow(),
                "version": 1,
            }
        )
        if topic and on.year == self.today.year:
            self.topic_meeting[(cell.id, on.month)] = meeting_id
        if agenda:
            for position, (title, planned, is_review) in enumerate(STANDARD_AGENDA[kind], start=1):
                self.rows[AgendaItem].append(
                    {
                        "id": self.new_id(AgendaItem),
                        "meeting_id": meeting_id,
                        "position": position,
                        "title": title,
                        "presenter_id": None,
                        "presenter_name": None,
                        "planned_minutes": planned,
                        "is_review": is_review,
                        "is_deleted": False,
                    }
                )
        return meeting_id

    def planned(self, cell, kind, on, topic, day, people, first: bool):
        meeting_id = self.meeting_row(cell, kind, on, topic, "prepared" if first and self.rich else "planned", day)
        if first and self.rich and sum(p[2] for p in people) >= 9:  # a chi ủy prepares the next meeting
            self.meeting_row(
                cell, MeetingKind.committee, on - timedelta(days=3), None, "planned", None, prepares_id=meeting_id
            )
        if first and self.rich:
            when = datetime.combine(on - timedelta(days=3), time(8, 0))
            for audience, method in (("members", "Giấy mời và tin nhắn nhóm Zalo chi bộ"), ("supervisor", "Gọi điện")):
                self.rows[Notification].append(
                    {
                        "id": self.new_id(Notification),
                        "meeting_id": meeting_id,
                        "audience": audience,
                        "notified_at": when,
                        "method": method,
                        "recorded_by_id": None,
                    }
                )

    @staticmethod
    def signers(statuses: dict[int, str], people, secretary_id) -> tuple[int | None, int | None]:
        """Chair and minute taker among those present: the secretary chairs when there,
        else the first full member present; a full member present takes the minutes."""
        present = [p for p in people if statuses.get(p[0]) in rules.PRESENT]
        full = [p[0] for p in present if p[5] is not None] or [p[0] for p in present]
        chair = secretary_id if statuses.get(secretary_id) in rules.PRESENT else (full[0] if full else None)
        taker = next((m for m in full if m != chair), next((p[0] for p in present if p[0] != chair), None))
        return chair, taker

    def attendance(self, meeting_id, people, on: date) -> dict:
        rng = self.rng
        present = full_present = 0
        statuses = {}
        for member_id, _name, _is_full, is_exempt, _kind, official_on, _from_on in people:
            if is_exempt:
                continue
            roll = rng.random()
            status, at, reason = "present", None, None
            if roll > 0.985:
                status = "unexcused"
            elif roll > 0.93:
                status, reason = "excused", rng.choice(T.EXCUSE_REASONS)
            elif roll > 0.91:
                status, at = "late", time(19, rng.choice([40, 45, 50]))
            statuses[member_id] = status
            if status in ("present", "late"):
                present += 1
                full_present += official_on is not None and official_on <= on  # full on the meeting date
            self.rows[AttendanceRecord].append(
                {
                    "id": self.new_id(AttendanceRecord),
                    "meeting_id": meeting_id,
                    "member_id": member_id,
                    "status": status,
                    "at_time": at,
                    "reason": reason,
                    "is_exempt": False,
                    "recorded_by_id": None,
                    "recorded_at": utcnow(),
                }
            )
        return {"present": present, "full_present": full_present, "statuses": statuses}

    def minutes(self, meeting_id, kind, adopted, tally, people, open_tasks, held_on):
        rng = self.rng
        minutes_id = self.new_id(Minutes)
        self.rows[Minutes].append(
            {
                "id": minutes_id,
                "meeting_id": meeting_id,
                "status": "adopted" if adopted else "draft",
                "number": None,
                "delegates": "Đồng chí Phạm Quang Huy, Đảng ủy viên, phụ trách chi bộ" if rng.random() < 0.5 else None,
                "superior_remarks": T.SUPERIOR_REMARKS if rng.random() < 0.5 else None,
                "resolution": rng.choice(T.RESOLUTIONS),
                "proposals": "Đề nghị sửa chữa đường điện chiếu sáng ngõ xóm." if rng.random() < 0.3 else None,
                "closing": DEFAULT_CLOSING,
                "is_read_back": adopted,
                "votes_for": tally["full_present"] if adopted or rng.random() < 0.5 else None,
                "votes_against": 0,
                "votes_other": 0,
                "paper_reference": "Sổ biên bản chi bộ" if rng.random() < 0.2 else None,
                "created_by_id": None,
                "created_at": utcnow(),
                "adopted_at": datetime.combine(held_on, time(21, 0)) if adopted else None,
                "adopted_by_id": None,
                "attendance_snapshot": None,
                "version": 1,
            }
        )
        row = self.rows[Minutes][-1]
        if not adopted and row["votes_for"] is None:
            row.update(votes_against=None, votes_other=None)
        rules.check_vote(row["votes_for"], row["votes_against"], row["votes_other"], tally["full_present"])
        speakers_pool = [p for p in people if not p[3]]
        for position, (title, _planned, _review) in enumerate(STANDARD_AGENDA[kind], start=1):
            item_id = self.new_id(MinutesItem)
            self.rows[MinutesItem].append(
                {
                    "id": item_id,
                    "minutes_id": minutes_id,
                    "position": position,
                    "title": title,
                    "presenter": None,
                    "content": T.ITEM_CONTENT.get(position),
                    "conclusion": None,
                }
            )
            if self.rich and position == 7 and speakers_pool:
                for speaker in rng.sample(speakers_pool, min(len(speakers_pool), rng.randint(2, 4))):
                    self.rows[Speaker].append(
                        {
                            "id": self.new_id(Speaker),
                            "item_id": item_id,
                            "member_id": speaker[0],
                            "name": speaker[1],
                            "said": rng.choice(T.SPEECHES),
                            "is_deleted": False,
                        }
                    )
        for task_id in list(open_tasks):  # earlier tasks get done, mostly
            if rng.random() < 0.7:
                open_tasks.remove(task_id)
                self.done_tasks[task_id] = held_on
        for _ in range(rng.randint(1, 2)):
            who = rng.choice(speakers_pool) if speakers_pool else None
            task_id = self.new_id(Task)
            self.rows[Task].append(
                {
                    "id": task_id,
                    "cell_id": self.cell_of(meeting_id),
                    "meeting_id": meeting_id,
                    "assignee_id": who[0] if who else None,
                    "assignee_name": who[1] if who else "Chi ủy",
                    "description": rng.choice(T.TASKS),
                    "due_on": held_on + timedelta(days=25),
                    "done_on": None,
                    "is_deleted": False,
                }
            )
            open_tasks.append(task_id)

    def cell_of(self, meeting_id: int) -> int:
        return next(m["cell_id"] for m in reversed(self.rows[Meeting]) if m["id"] == meeting_id)

    def flush(self) -> None:
        for task in self.rows[Task]:
            task["done_on"] = self.done_tasks.get(task["id"])
        # Postponed meetings point forward to their replacement: insert without, then link.
        links = {r["id"]: r["postponed_to_id"] for r in self.rows[Meeting] if r["postponed_to_id"]}
        prepares = {r["id"]: r["prepares_id"] for r in self.rows[Meeting] if r["prepares_id"]}
        for row in self.rows[Meeting]:
            row["postponed_to_id"] = None
            row["prepares_id"] = None
        for model in TABLES:
            rows = self.rows[model]
            for start in range(0, len(rows), 5000):
                db.session.execute(insert(model), rows[start : start + 5000])
            rows.clear()
        for mid, target in links.items():
            db.session.execute(text("UPDATE meetings SET postponed_to_id = :t WHERE id = :m"), {"t": target, "m": mid})
        for mid, target in prepares.items():
            db.session.execute(text("UPDATE meetings SET prepares_id = :t WHERE id = :m"), {"t": target, "m": mid})
        self.done_tasks.clear()
        reset_sequences(*(model.__tablename__ for model in TABLES))


def build_meetings(seed: int = 11, rich: bool = True) -> int:
    """Meetings for every cell in the database; returns how many were made."""
    builder = MeetingBuilder(seed, rich)
    today = date.today()
    cells = db.session.scalars(
        select(OrgUnit).where(OrgUnit.kind == "cell", OrgUnit.valid_to.is_(None)).order_by(OrgUnit.id)
    ).all()
    parents = {u.id: u for u in db.session.scalars(select(OrgUnit).where(OrgUnit.kind != "cell"))}
    people = defaultdict(list)
    exempt = set(db.session.scalars(select(Exemption.member_id).where(active_on(Exemption, today))))
    for member_id, name, official_on, unit_id, kind, from_on in db.session.execute(
        select(Member.id, Member.full_name, Member.official_on, Membership.unit_id, Membership.kind, Membership.from_on)
        .join(Membership, Membership.member_id == Member.id)
        .where(active_on(Membership, today))
        .order_by(Membership.unit_id, Member.sort_key)
    ):
        people[unit_id].append(
            (member_id, name, official_on is not None, member_id in exempt, kind, official_on, from_on)
        )
    secretaries = dict(
        db.session.execute(
            select(Position.unit_id, Position.member_id).where(Position.title == "secretary", Position.to_on.is_(None))
        ).all()
    )
    count = 0
    for index, cell in enumerate(cells):
        parent = parents.get(cell.parent_id)
        day = cell.meeting_day or (parent.meeting_day if parent else None)
        builder.cell(cell, day, people[cell.id], secretaries.get(cell.id))
        count += 1
        if index % 500 == 499:
            builder.flush()
    builder.flush()
    db.session.flush()
    if rich:
        _first_revisions()
    return count


def _first_revisions() -> None:
    """Give each demo minutes its first revision, the same text the editor would store."""
    from app.minutes.text import minutes_text

    for minutes, meeting in db.session.execute(
        select(Minutes, Meeting).join(Meeting, Minutes.meeting_id == Meeting.id)
    ):
        db.session.add(
            MinutesRevision(
                minutes_id=minutes.id, author_id=None, text=minutes_text(minutes, meeting), note="Nhập dữ liệu mẫu"
            )
        )
