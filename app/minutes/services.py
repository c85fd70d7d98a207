"""Writes for minutes: open from a held meeting, save with revisions and a check
against concurrent edits, speakers, tasks, the vote, adoption, errata, reopening."""

from datetime import date

from sqlalchemy import select

from app.attendance.services import attendance_sheet, tally
from app.audit.services import record
from app.db import utcnow
from app.extensions import db
from app.meetings.models import Meeting, MeetingStatus
from app.meetings.services import check_dates
from app.minutes.models import Erratum, Minutes, MinutesItem, MinutesRevision, MinutesStatus, Speaker, Task
from app.minutes.text import minutes_text
from app.records import services as records
from app.rules import RuleError, changes_version, clean_text, save_version
from app.rules.record import (
    check_chair_and_taker,
    check_times,
    check_vote,
    ensure_changeable,
    times_missing,
)

DEFAULT_CLOSING = "Biên bản đã được đọc lại cho chi bộ nghe và nhất trí thông qua."


def open_minutes(actor, meeting: Meeting, paper_reference: str | None = None) -> Minutes:
    existing = db.session.scalars(select(Minutes).where(Minutes.meeting_id == meeting.id)).first()
    if existing is not None:  # a second click opens the same minutes
        return existing
    if meeting.status != MeetingStatus.held:
        raise RuleError("Chỉ lập biên bản cho cuộc họp đã diễn ra.")
    paper_reference = clean_text(paper_reference, limit=300)
    minutes = Minutes(
        meeting_id=meeting.id,
        status=MinutesStatus.draft.value,
        closing=DEFAULT_CLOSING,
        paper_reference=paper_reference,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(minutes)
    db.session.flush()
    for item in meeting.agenda_items:  # a snapshot: later agenda edits don't reach the minutes
        db.session.add(
            MinutesItem(
                minutes_id=minutes.id,
                position=item.position,
                agenda_item_id=item.id,
                title=item.title,
                presenter=item.presenter_label or None,
            )
        )
    db.session.flush()
    db.session.refresh(minutes)
    record(
        actor,
        "minutes.open",
        minutes,
        meeting.cell,
        "Nhập từ biên bản giấy: " + minutes.paper_reference if minutes.paper_reference else "Mở biên bản",
    )
    keep_revision(actor, minutes, meeting, "Mở biên bản")
    return minutes


def keep_revision(actor, minutes: Minutes, meeting: Meeting, note: str) -> MinutesRevision | None:
    """Store the whole text if it differs from the last revision."""
    text = minutes_text(minutes, meeting)
    last = db.session.scalars(
        select(MinutesRevision.text)
        .where(MinutesRevision.minutes_id == minutes.id)
        .order_by(MinutesRevision.id.desc())
        .limit(1)
    ).first()
    if last == text:
        return None
    revision = MinutesRevision(minutes_id=minutes.id, author_id=getattr(actor, "id", None), text=text, note=note)
    db.session.add(revision)
    return revision


MEETING_FIELDS = ("place", "held_on", "started_at", "ended_at", "chair_id", "minute_taker_id")
MINUTES_FIELDS = (
    "delegates",
    "superior_remarks",
    "resolution",
    "proposals",
    "closing",
    "is_read_back",
    "votes_for",
    "votes_against",
    "votes_other",
    "paper_reference",
    "times_not_recorded",
)


def statuses(sheet) -> dict[int, str]:
    """Each recorded member's attendance status, for the rules on who signs."""
    return {row.member.id: row.record.status for row in sheet if row.record is not None}


def save_minutes(actor, minutes: Minutes, meeting: Meeting, seen_version: int, fields: dict, items: dict[int, dict]):
    """`fields` for the minutes and meeting; `items` {item id: {content, conclusion}}."""
    ensure_changeable(meeting)
    check_times(
        fields.get("started_at"),
        fields.get("ended_at"),
        fields.get("paper_reference", minutes.paper_reference),
        fields.get("times_not_recorded", minutes.times_not_recorded),
    )
    if fields.get("held_on") and fields["held_on"] > date.today():
        raise RuleError("Ngày họp không thể ở tương lai.")
    sheet = attendance_sheet(meeting)
    check_chair_and_taker(
        fields.get("chair_id", meeting.chair_id),
        fields.get("minute_taker_id", meeting.minute_taker_id),
        statuses(sheet),
        final=False,
    )
    entitled = tally(sheet).full_present
    check_vote(fields.get("votes_for"), fields.get("votes_against"), fields.get("votes_other"), entitled)
    # The minutes' version covers their meeting fields and item texts too.
    targets = [(meeting, name) for name in MEETING_FIELDS if name in fields]
    targets += [(minutes, name) for name in MINUTES_FIELDS if name in fields]
    wanted = [fields[name] for _, name in targets]
    for item in minutes.items:
        if item.id in items:
            targets += [(item, "content"), (item, "conclusion")]
            wanted += [items[item.id].get("content") or None, items[item.id].get("conclusion") or None]
    if not changes_version(minutes, seen_version, [getattr(o, n) for o, n in targets], wanted):
        return
    for (owner, name), value in zip(targets, wanted, strict=True):
        setattr(owner, name, value)
    if "held_on" in fields:
        check_dates(meeting)
    save_version(minutes)
    if keep_revision(actor, minutes, meeting, "Lưu biên bản"):
        record(actor, "minutes.save", minutes, meeting.cell, "Lưu biên bản")


def add_speaker(actor, item: MinutesItem, meeting: Meeting, member, name: str | None, said: str) -> Speaker:
    ensure_changeable(meeting)
    if not said.strip():
        raise RuleError("Ghi nội dung phát biểu.")
    speaker_name = member.full_name if member is not None else (name or "").strip()
    if not speaker_name:
        raise RuleError("Chọn đảng viên hoặc ghi tên người phát biểu.")
    speaker = Speaker(item_id=item.id, member_id=member.id if member else None, name=speaker_name, said=said.strip())
    db.session.add(speaker)
    db.session.flush()
    db.session.expire(item, ["speakers"])
    keep_revision(actor, item.minutes, meeting, f"Thêm ý kiến {speaker_name}")
    record(actor, "minutes.speaker_add", item.minutes, meeting.cell, f"{item.title[:80]}: {speaker_name}")
    return speaker


def remove_speaker(actor, speaker: Speaker, item: MinutesItem, meeting: Meeting) -> None:
    ensure_changeable(meeting)
    speaker.is_deleted = True
    db.session.flush()
    db.session.expire(item, ["speakers"])
    keep_revision(actor, item.minutes, meeting, f"Bỏ ý kiến {speaker.name}")
    record(actor, "minutes.speaker_remove", item.minutes, meeting.cell, speaker.name)


def add_task(
    actor,
    minutes: Minutes,
    meeting: Meeting,
    assignee,
    assignee_name: str | None,
    description: str,
    due_on: date | None,
) -> Task:
    ensure_changeable(meeting)
    who = assignee.full_name if assignee is not None else (assignee_name or "").strip()
    if not who or not description.strip():
        raise RuleError("Ghi người thực hiện và nội dung nhiệm vụ.")
    task = Task(
        cell_id=meeting.cell_id,
        meeting_id=meeting.id,
        assignee_id=assignee.id if assignee else None,
        assignee_name=who,
        description=description.strip(),
        due_on=due_on,
    )
    db.session.add(task)
    db.session.flush()
    keep_revision(actor, minutes, meeting, f"Giao nhiệm vụ cho {who}")
    record(actor, "task.add", task, meeting.cell, f"{who}: {description.strip()[:150]}")
    return task


def complete_task(actor, task: Task, meeting: Meeting, done_on: date) -> None:
    """Done tasks leave the review item of the following meetings."""
    if task.done_on is not None:
        return
    task.done_on = done_on
    record(actor, "task.done", task, meeting.cell, f"{task.assignee_name}: {task.description[:150]}")


def tasks_of(meeting: Meeting) -> list[Task]:
    return list(
        db.session.scalars(
            select(Task).where(Task.meeting_id == meeting.id, Task.is_deleted.is_(False)).order_by(Task.id)
        )
    )


def missing_for_adoption(minutes: Minutes, meeting: Meeting, sheet_tally) -> list[str]:
    missing = []
    if meeting.chair_id is None:
        missing.append("chủ trì")
    if meeting.minute_taker_id is None:
        missing.append("thư ký")
    if times_missing(meeting.started_at, meeting.ended_at, minutes.times_not_recorded):
        missing.append("giờ bắt đầu và kết thúc (biên bản giấy không ghi giờ: đánh dấu “Biên bản giấy không ghi giờ”)")
    if not sheet_tally.is_complete:
        missing.append(f"điểm danh ({sheet_tally.unrecorded} đảng viên chưa ghi)")
    if not minutes.has_vote:
        missing.append("kết quả biểu quyết")
    return missing


def adopt(actor, minutes: Minutes, meeting: Meeting) -> None:
    ensure_changeable(meeting)
    sheet = attendance_sheet(meeting)
    sheet_tally = tally(sheet)
    missing = missing_for_adoption(minutes, meeting, sheet_tally)
    if missing:
        raise RuleError("Chưa thể thông qua, còn thiếu: " + ", ".join(missing) + ".")
    check_chair_and_taker(meeting.chair_id, meeting.minute_taker_id, statuses(sheet), final=True)
    check_vote(minutes.votes_for, minutes.votes_against, minutes.votes_other, sheet_tally.full_present)
    minutes.status = MinutesStatus.adopted.value
    minutes.adopted_at = utcnow()
    minutes.adopted_by_id = getattr(actor, "id", None)
    minutes.is_read_back = True
    minutes.attendance_snapshot = sheet_tally.as_dict()
    minutes.version += 1
    meeting.status = MeetingStatus.adopted.value
    db.session.flush()
    records.minutes_adopted(actor, minutes, meeting)
    keep_revision(actor, minutes, meeting, "Thông qua biên bản")
    record(actor, "minutes.adopt", minutes, meeting.cell, f"Thông qua biên bản ngày {meeting.on:%d/%m/%Y}")


def add_erratum(actor, minutes: Minutes, meeting: Meeting, text: str) -> Erratum:
    if not minutes.is_adopted:
        raise RuleError("Biên bản chưa thông qua: hãy sửa trực tiếp.")
    if not text.strip():
        raise RuleError("Ghi nội dung đính chính.")
    erratum = Erratum(minutes_id=minutes.id, text=text.strip(), author_id=getattr(actor, "id", None))
    db.session.add(erratum)
    db.session.flush()
    db.session.expire(minutes, ["errata"])
    records.minutes_corrected(actor, minutes, meeting)
    keep_revision(actor, minutes, meeting, "Đính chính")
    record(actor, "minutes.erratum", minutes, meeting.cell, text.strip()[:300])
    return erratum


def reopen(actor, minutes: Minutes, meeting: Meeting, reason: str) -> None:
    if not minutes.is_adopted:
        raise RuleError("Biên bản đang mở.")
    if not reason.strip():
        raise RuleError("Ghi lý do mở lại biên bản.")
    minutes.status = MinutesStatus.draft.value
    minutes.adopted_at = None
    minutes.adopted_by_id = None
    minutes.attendance_snapshot = None
    minutes.version += 1
    meeting.status = MeetingStatus.held.value
    records.minutes_reopened(minutes)
    record(actor, "minutes.reopen", minutes, meeting.cell, f"Mở lại biên bản: {reason.strip()[:300]}")
