"""“Tự soi, tự sửa” sessions: start one on a thematic meeting, save each member's
self-review and the cell's assessments (compare and set on the version)."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit.services import record
from app.criticism.services import check_open
from app.extensions import db
from app.meetings.models import Meeting, MeetingKind
from app.org.models import Member
from app.rules import RuleError, changes_version, clean_text, save_version
from app.self_examination.models import DegradationSign, SelfExamination, SelfReview

SESSION_KINDS = (MeetingKind.thematic, MeetingKind.combined)


def start(actor, meeting: Meeting) -> SelfExamination:
    """Hold the thematic meeting as a “tự soi, tự sửa” session (once)."""
    if meeting.kind not in SESSION_KINDS:
        raise RuleError("Chỉ buổi sinh hoạt chuyên đề mới tổ chức theo hình thức tự soi, tự sửa.")
    check_open(meeting)
    existing = examination_of(meeting)
    if existing is not None:
        return existing
    examination = SelfExamination(meeting_id=meeting.id, created_by_id=getattr(actor, "id", None))
    db.session.add(examination)
    db.session.flush()
    record(actor, "self_examination.start", examination, meeting.cell, f"Tự soi, tự sửa: họp {meeting.on:%d/%m/%Y}")
    return examination


def examination_of(meeting: Meeting) -> SelfExamination | None:
    return db.session.scalars(select(SelfExamination).where(SelfExamination.meeting_id == meeting.id)).first()


def active_signs() -> list[DegradationSign]:
    return list(
        db.session.scalars(
            select(DegradationSign)
            .where(DegradationSign.is_active.is_(True))
            .order_by(DegradationSign.group, DegradationSign.number)
        )
    )


def reviews_of(examination: SelfExamination) -> dict[int, SelfReview]:
    rows = db.session.scalars(
        select(SelfReview).where(SelfReview.examination_id == examination.id).options(selectinload(SelfReview.signs))
    )
    return {review.member_id: review for review in rows}


def save_review(
    actor,
    examination: SelfExamination,
    member: Member,
    *,
    version: int,
    self_text: str | None,
    cell_assessment: str | None,
    correction_plan: str | None,
    sign_ids: list[int],
) -> SelfReview:
    check_open(examination.meeting)
    review = reviews_of(examination).get(member.id)
    signs = list(db.session.scalars(select(DegradationSign).where(DegradationSign.id.in_(sign_ids or [0]))))
    wanted = (clean_text(self_text), clean_text(cell_assessment), clean_text(correction_plan), {s.id for s in signs})
    if review is None:
        review = SelfReview(examination_id=examination.id, member_id=member.id)
        db.session.add(review)
    else:
        current = (review.self_text, review.cell_assessment, review.correction_plan, {s.id for s in review.signs})
        if not changes_version(review, version, current, wanted):
            return review
    review.self_text, review.cell_assessment, review.correction_plan = wanted[:3]
    review.signs = signs
    review.updated_by_id = getattr(actor, "id", None)
    save_version(review)
    record(actor, "self_review.save", review, examination.meeting.cell, f"Bản tự kiểm điểm của {member.full_name}")
    return review


def save_assessment(
    actor,
    examination: SelfExamination,
    *,
    version: int,
    collective: str | None,
    head_member: Member | None,
    head: str | None,
) -> None:
    check_open(examination.meeting)
    wanted = (clean_text(collective), head_member.id if head_member else None, clean_text(head))
    current = (examination.collective_assessment, examination.head_member_id, examination.head_assessment)
    if not changes_version(examination, version, current, wanted):
        return
    examination.collective_assessment, examination.head_member_id, examination.head_assessment = wanted
    save_version(examination)
    record(
        actor, "self_examination.assess", examination, examination.meeting.cell, "Đánh giá tập thể và người đứng đầu"
    )


def save_sign(actor, sign: DegradationSign, text: str, is_active: bool) -> None:
    sign.text, sign.is_active = clean_text(text, "Ghi nội dung biểu hiện."), is_active
    record(actor, "degradation_sign.edit", sign, None, f"Biểu hiện {sign.group}.{sign.number}")
