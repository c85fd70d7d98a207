"""Criticism and self-criticism notes taken in a meeting, and the correction
commitments they lead to. The most sensitive data here: who may read a text is
answered by `app/org/access.py` (Permission.read_notes)."""

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.criticism.sealed import SealedText
from app.db import Base, LabeledEnum, utcnow
from app.meetings.models import AgendaItem, Meeting
from app.org.models import Member


class NoteKind(LabeledEnum):
    self_criticism = "self_criticism", "Tự phê bình"
    criticism = "criticism", "Phê bình"
    praise = "praise", "Biểu dương"
    reminder = "reminder", "Nhắc nhở"


class NoteSubject(LabeledEnum):
    member = "member", "Đảng viên"
    committee = "committee", "Chi ủy"
    secretary = "secretary", "Bí thư chi bộ"
    cell = "cell", "Tập thể chi bộ"


class CriticismNote(Base):
    __tablename__ = "criticism_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    cell_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    subject: Mapped[str] = mapped_column(String(20))
    subject_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(20))
    # Criticism is given by a named member or by a delegate of the level above.
    by_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    by_name: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(SealedText)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}  # every UPDATE checks and raises it

    meeting: Mapped[Meeting] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()
    subject_member: Mapped[Member | None] = relationship(foreign_keys=[subject_member_id])
    by_member: Mapped[Member | None] = relationship(foreign_keys=[by_member_id])
    commitments: Mapped[list["Commitment"]] = relationship(
        primaryjoin="and_(Commitment.note_id == CriticismNote.id, Commitment.is_deleted.is_(False))",
        order_by="Commitment.id",
        viewonly=True,
    )

    __table_args__ = (
        Index("ix_criticism_notes_meeting_id", "meeting_id"),
        Index("ix_criticism_notes_cell_subject_member", "cell_id", "subject_member_id"),
    )

    @property
    def kind_label(self) -> str:
        return NoteKind(self.kind).label

    @property
    def subject_label(self) -> str:
        if self.subject == NoteSubject.member and self.subject_member is not None:
            return self.subject_member.full_name
        return NoteSubject(self.subject).label


class NoteRevision(Base):
    """The note as it was before each change (edit, delete, restore)."""

    __tablename__ = "criticism_note_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("criticism_notes.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(SealedText)
    change: Mapped[str] = mapped_column(String(20))  # created, edited, deleted, restored
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    note: Mapped[CriticismNote] = relationship(viewonly=True)


class CommitmentStatus(LabeledEnum):
    open = "open", "Chưa kiểm điểm"
    in_progress = "in_progress", "Đang sửa chữa"
    overdue = "overdue", "Quá hạn"
    done = "done", "Đã sửa chữa xong"


# What a later meeting may find when it reviews a commitment.
REVIEW_OUTCOMES = (CommitmentStatus.done, CommitmentStatus.in_progress, CommitmentStatus.overdue)


class Commitment(Base):
    """A correction commitment (what, by when) following a shortcoming."""

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("criticism_notes.id"), index=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    what: Mapped[str] = mapped_column(SealedText)
    due_on: Mapped[date] = mapped_column(Date)
    # The outcome of the latest review (open until a meeting reviews it).
    status: Mapped[str] = mapped_column(String(20), default=CommitmentStatus.open.value)
    done_on: Mapped[date | None] = mapped_column(Date)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    note: Mapped[CriticismNote] = relationship()
    member: Mapped[Member | None] = relationship()
    reviews: Mapped[list["CommitmentReview"]] = relationship(order_by="CommitmentReview.id")

    __table_args__ = (Index("ix_commitments_cell_status_due", "cell_id", "status", "due_on"),)

    def shown_status(self, today: date) -> CommitmentStatus:
        """Past its date and not done is overdue, whatever the last review said."""
        if self.status != CommitmentStatus.done and self.due_on < today:
            return CommitmentStatus.overdue
        return CommitmentStatus(self.status)


class CommitmentReview(Base):
    """A later meeting's finding on a commitment."""

    __tablename__ = "commitment_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(SealedText)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship()

    @property
    def outcome_label(self) -> str:
        return CommitmentStatus(self.outcome).label
