"""The minutes in the order a minutes book reads (DOMAIN §3 and the published templates):
I. time, place and the roll call split as offices write it; II. the agenda items that
were spoken to, with the delegates' remarks before the chair's reply and, in the cell's
copy, the criticism where it was given; III. conclusion, tasks, vote, grade, end, read
back and adopted. One builder for the print and for the minutes on screen."""

from dataclasses import dataclass, field

from app.attendance.models import AttendanceStatus
from app.attendance.services import AttendanceRow, attendance_sheet, guests, tally
from app.meetings.models import Meeting
from app.minutes.models import Minutes, MinutesItem
from app.minutes.services import check_vote, tasks_of
from app.rules import RuleError
from app.rules.record import is_closing
from app.supervision import queries as delegate_queries

# Agenda items are free text (a commune may save its own order): the few that the
# record treats specially are recognised by their words (the closing item by the rule
# that keeps it last).
REMARKS_WORDS = ("ý kiến của đại biểu", "đại biểu cấp trên")
PROPOSALS_WORDS = ("kiến nghị",)
CRITICISM_WORDS = ("tự phê bình",)


def _says(item: MinutesItem, words: tuple[str, ...]) -> bool:
    title = item.title.lower()
    return any(word in title for word in words)


@dataclass
class Section:
    """One numbered part of II: an agenda item, or the remarks, proposals or criticism
    when no item of the agenda was meant for them."""

    title: str
    item: MinutesItem | None = None
    notes: list = field(default_factory=list)
    remarks: bool = False  # the delegates' remarks print here, before the conclusion
    proposals: bool = False


@dataclass
class MinutesRecord:
    meeting: Meeting
    minutes: Minutes
    tally: dict
    rows: list[AttendanceRow]
    delegates: list  # recorded superior delegates who attended
    delegates_text: list[str]  # free-text delegates not recorded as such
    guests: list
    sections: list[Section]
    closing_item: MinutesItem | None
    tasks: list
    vote: object
    remarks: list  # recorded delegates' remarks
    copy: str = "upward"
    note_total: int = 0

    def _rows(self, test) -> list[AttendanceRow]:
        return [r for r in self.rows if test(r)]

    @property
    def exempt(self):
        return self._rows(lambda r: r.is_exempt)

    @property
    def exempt_attended(self):
        return self._rows(lambda r: r.is_exempt and r.is_present)

    @property
    def away(self):
        return self._rows(lambda r: r.is_away)

    def _status(self, status):
        return self._rows(lambda r: r.record is not None and r.record.status == status and not r.is_exempt)

    @property
    def excused(self):
        return self._status(AttendanceStatus.excused)

    @property
    def unexcused(self):
        return self._status(AttendanceStatus.unexcused)

    @property
    def late(self):
        return self._status(AttendanceStatus.late)

    @property
    def left_early(self):
        return self._status(AttendanceStatus.left_early)

    @property
    def unrecorded(self):
        return self._rows(lambda r: r.record is None and not r.is_exempt and not r.is_away)

    @property
    def has_remarks(self) -> bool:
        return bool(self.minutes.superior_remarks or self.remarks)

    @property
    def times_not_recorded(self) -> bool:
        """Paper minutes adopted without start and end."""
        return self.minutes.times_not_recorded


def _not_recorded_elsewhere(text: str | None, names: list[str]) -> list[str]:
    """The free-text delegates, one per line or ';', without those recorded by name."""
    parts = [p.strip(" .") for line in (text or "").splitlines() for p in line.split(";")]
    known = [n.casefold() for n in names]
    return [p for p in parts if p and not any(n in p.casefold() for n in known)]


def _is_spoken_to(section: Section, record: MinutesRecord) -> bool:
    item = section.item
    return bool(
        (item is not None and (item.content or item.speakers or item.conclusion))
        or section.notes
        or (section.remarks and record.has_remarks)
        or (section.proposals and record.minutes.proposals)
    )


def minutes_record(
    meeting: Meeting, minutes: Minutes, notes: list | None = None, note_total: int = 0, rows=None
) -> MinutesRecord:
    """`notes`: the criticism notes, given only for the cell's own copy; `rows`: the
    attendance sheet when the caller has it already."""
    rows = attendance_sheet(meeting) if rows is None else rows
    live = tally(rows).as_dict()
    # Adopted minutes keep the counts frozen then; counts added since come from the sheet.
    counts = live | (minutes.attendance_snapshot or {})
    recorded = delegate_queries.delegates(meeting)
    present = [d for d in recorded if d.status == "present"]
    try:
        vote = check_vote(minutes.votes_for, minutes.votes_against, minutes.votes_other, counts["full_present"])
    except RuleError:
        vote = None
    items = list(minutes.items)
    closing = next((i for i in reversed(items) if is_closing(i.title)), None)
    sections = [Section(i.title, i) for i in items if i is not closing]
    record = MinutesRecord(
        meeting=meeting,
        minutes=minutes,
        tally=counts,
        rows=rows,
        delegates=present,
        delegates_text=_not_recorded_elsewhere(minutes.delegates, [d.name for d in recorded]),
        guests=guests(meeting),
        sections=sections,
        closing_item=closing,
        tasks=tasks_of(meeting),
        vote=vote,
        remarks=[d for d in present if d.remarks],
        copy="cell" if notes is not None else "upward",
        note_total=note_total,
    )

    def first(words):
        return next((s for s in sections if _says(s.item, words)), None)

    remarks_at = first(REMARKS_WORDS) or Section("Ý kiến của đại biểu cấp trên")
    remarks_at.remarks = True
    proposals_at = first(PROPOSALS_WORDS) or Section("Kiến nghị của đảng viên")
    proposals_at.proposals = True
    by_agenda_item = {s.item.agenda_item_id: s for s in sections if s.item.agenda_item_id}
    criticism_at = first(CRITICISM_WORDS) or Section("Tự phê bình và phê bình")
    for note in notes or []:
        (by_agenda_item.get(note.agenda_item_id) or criticism_at).notes.append(note)
    extra = [s for s in (criticism_at, remarks_at, proposals_at) if s.item is None]
    record.sections = [s for s in sections + extra if _is_spoken_to(s, record)]
    return record
