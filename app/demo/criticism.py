"""Demo criticism and self-criticism notes with commitments in every state (open, in
progress, done, overdue), one “tự soi, tự sửa” session and last year's reviews, in the
cells of the demo commune (the ones the demo accounts can open)."""

import random
from datetime import date, timedelta

from sqlalchemy import select

from app.criticism.models import Commitment, CommitmentReview, CriticismNote, NoteRevision
from app.extensions import db
from app.meetings.models import Meeting
from app.meetings.queries import member_choices
from app.org.models import OrgUnit
from app.self_examination.models import DegradationSign, SelfExamination, SelfReview
from app.year_review.models import Rating, YearReview

SELF_CRITICISMS = [
    "Nhận khuyết điểm chưa tham gia đầy đủ hoạt động của chi hội ở khu dân cư.",
    "Còn chậm nộp đảng phí hai tháng đầu quý.",
    "Chưa thường xuyên đọc tài liệu trước khi dự sinh hoạt chi bộ.",
    "Chưa gương mẫu vận động gia đình phân loại rác tại nguồn.",
]
CRITICISMS = [
    "Đồng chí còn nể nang, ngại góp ý khi thấy việc chưa đúng ở tổ dân phố.",
    "Việc được phân công vận động hộ dân còn chậm so với kế hoạch.",
    "Phát biểu trong sinh hoạt còn ít, chưa đóng góp ý kiến xây dựng nghị quyết.",
]
PRAISES = [
    "Gương mẫu vận động nhân dân hiến đất mở rộng đường liên thôn.",
    "Tích cực tham gia hòa giải mâu thuẫn ở khu dân cư, được nhân dân tin tưởng.",
]
REMINDERS = ["Nhắc đồng chí dự sinh hoạt đúng giờ.", "Nhắc đồng chí cập nhật Sổ tay đảng viên điện tử."]
COMMITMENTS = [
    "Tham gia đầy đủ các buổi sinh hoạt và hoạt động ở khu dân cư.",
    "Nộp đủ đảng phí đúng kỳ hạn.",
    "Hoàn thành việc vận động các hộ được phân công.",
]


def _note(meeting, kind, subject_member, text, by=None, by_name=None):
    note = CriticismNote(
        meeting_id=meeting.id,
        cell_id=meeting.cell_id,
        subject="member",
        subject_member_id=subject_member,
        kind=kind,
        by_member_id=by[0] if by else None,
        by_name=by[1] if by else by_name,
        text=text,
        agenda_item_id=next((i.id for i in meeting.agenda_items if i.is_review), None),
    )
    db.session.add(note)
    db.session.flush()
    db.session.add(NoteRevision(note_id=note.id, version=1, kind=kind, text=text, change="created"))
    return note


def build_criticism(seed: int = 17, commune_id: int | None = None) -> int:
    """Notes at the held meetings of a commune's cells (by default the demo commune,
    the parent of the first cell); returns how many."""
    rng = random.Random(seed)  # nosec B311  # demo data, seeded so every build is the same
    today = date.today()
    commune_id = commune_id or db.session.scalar(
        select(OrgUnit.parent_id).where(OrgUnit.kind == "cell", OrgUnit.code.is_not(None)).order_by(OrgUnit.id)
    )
    cells = db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id == commune_id, OrgUnit.kind == "cell")).all()
    made = 0
    for cell in cells:
        held = db.session.scalars(
            select(Meeting)
            .where(Meeting.cell_id == cell.id, Meeting.status.in_(("held", "adopted")), Meeting.kind != "committee")
            .order_by(Meeting.held_on)
        ).all()
        for index, meeting in enumerate(held):
            roster = member_choices(cell, meeting.on)
            if len(roster) < 3 or rng.random() < 0.4:
                continue
            a, b, c = rng.sample(roster, 3)
            _note(meeting, "self_criticism", a[0], rng.choice(SELF_CRITICISMS))
            criticism = _note(meeting, "criticism", b[0], rng.choice(CRITICISMS), by=a)
            kind = rng.choice(["praise", "reminder"])
            _note(meeting, kind, c[0], rng.choice(PRAISES if kind == "praise" else REMINDERS), by_name="Chi ủy")
            made += 3
            due = meeting.on + timedelta(days=rng.choice([25, 40, 60]))
            commitment = Commitment(
                note_id=criticism.id, cell_id=cell.id, member_id=b[0], what=rng.choice(COMMITMENTS), due_on=due
            )
            db.session.add(commitment)
            db.session.flush()
            # Later meetings review it: done, still in progress, or left overdue. The last
            # months' commitments stay open (unreviewed; overdue once past their date).
            later = held[index + 1 : index + 3]
            fate = rng.random()
            for step, review_meeting in enumerate(later):
                if fate < 0.55 and step == len(later) - 1:
                    outcome = "done"
                elif fate < 0.8:
                    outcome = "in_progress"
                else:
                    outcome = "overdue" if review_meeting.on > due else "in_progress"
                db.session.add(
                    CommitmentReview(commitment_id=commitment.id, meeting_id=review_meeting.id, outcome=outcome)
                )
                commitment.status = outcome
                commitment.done_on = review_meeting.on if outcome == "done" else None
    db.session.flush()
    _self_examination(cells[0] if cells else None, rng)
    _year_reviews(cells[0] if cells else None, rng, today.year - 1)
    db.session.flush()
    return made


def _self_examination(cell: OrgUnit | None, rng: random.Random) -> None:
    if cell is None:
        return
    meeting = db.session.scalars(
        select(Meeting)
        .where(Meeting.cell_id == cell.id, Meeting.kind.in_(("thematic", "combined")), Meeting.status != "cancelled")
        .order_by(Meeting.planned_on.desc())
    ).first()
    if meeting is None:
        return
    roster = member_choices(cell, meeting.on)
    examination = SelfExamination(
        meeting_id=meeting.id,
        collective_assessment="Chi bộ đoàn kết, duy trì sinh hoạt nền nếp; việc góp ý phê bình còn nể nang.",
        head_member_id=roster[0][0] if roster else None,
        head_assessment="Bí thư gương mẫu, sâu sát cơ sở; cần đôn đốc quyết liệt hơn việc thực hiện nghị quyết.",
    )
    db.session.add(examination)
    db.session.flush()
    signs = db.session.scalars(select(DegradationSign).order_by(DegradationSign.id)).all()
    for member_id, name in roster[: max(len(roster) - 2, 0)]:
        db.session.add(
            SelfReview(
                examination_id=examination.id,
                member_id=member_id,
                self_text=f"{name} tự nhận: còn ngại va chạm, chưa tích cực nghiên cứu nghị quyết.",
                cell_assessment="Chi bộ thống nhất với bản tự kiểm điểm." if rng.random() < 0.7 else None,
                correction_plan="Đọc kỹ tài liệu trước mỗi kỳ sinh hoạt; góp ý thẳng thắn.",
                signs=rng.sample(signs, rng.randint(0, 2)),
            )
        )


def _year_reviews(cell: OrgUnit | None, rng: random.Random, year: int) -> None:
    if cell is None:
        return
    for member_id, _ in member_choices(cell, date(year, 12, 31)):
        proposed = rng.choice([Rating.good, Rating.good, Rating.excellent, Rating.done])
        db.session.add(
            YearReview(
                cell_id=cell.id,
                member_id=member_id,
                year=year,
                self_assessment="Chấp hành tốt chủ trương của Đảng, chính sách, pháp luật; tham gia đầy đủ sinh hoạt.",
                proposed_rating=proposed.value,
                cell_rating=proposed.value if rng.random() < 0.8 else Rating.done.value,
            )
        )
