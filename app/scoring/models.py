"""Scoring meeting quality: versioned templates with criteria and grade bands, sheets by
each scorer, and the official grade of a meeting."""

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, LabeledEnum, utcnow
from app.meetings.models import MeetingKind
from app.org.models import CellType
from app.scoring.defaults import GRADE_LABELS


class ScorerKind(LabeledEnum):
    self_score = "self", "Chi bộ tự chấm"
    in_charge = "in_charge", "Cấp ủy viên phụ trách chấm"
    cadre = "cadre", "Cấp ủy viên dự họp chấm"


class ScoreTemplate(Base):
    """A sheet definition. Editing makes a new version; sheets keep the one they used."""

    __tablename__ = "score_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))  # None: shipped default
    name: Mapped[str] = mapped_column(String(200))
    legal_basis: Mapped[str | None] = mapped_column(String(200))
    cell_types: Mapped[str] = mapped_column(String(200), default="")  # comma list, "" = every type
    meeting_kinds: Mapped[str] = mapped_column(String(200))
    bands: Mapped[list] = mapped_column(JSON)  # [[90, "good"], [70, "fair"], …]
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("score_templates.id"))

    criteria: Mapped[list["ScoreCriterion"]] = relationship(order_by="ScoreCriterion.position", lazy="selectin")

    @property
    def meeting_kind_labels(self) -> list[str]:
        return [MeetingKind(k).label for k in self.meeting_kinds.split(",") if k]

    @property
    def cell_type_labels(self) -> list[str]:
        return [CellType(t).label for t in self.cell_types.split(",") if t]

    @property
    def band_labels(self) -> list[str]:
        """"Tốt ≥ 90", … and Kém for the rest."""
        return [f"{GRADE_LABELS[g]} ≥ {m}" if m else f"{GRADE_LABELS[g]} < {self.bands[-2][0]}" for m, g in self.bands]

    def applies_to(self, cell_type: str | None, kind: str) -> bool:
        types = [t for t in self.cell_types.split(",") if t]
        return kind in self.meeting_kinds.split(",") and (not types or cell_type in types)


class ScoreCriterion(Base):
    __tablename__ = "score_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("score_templates.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    group: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(String(300))
    max_points: Mapped[int] = mapped_column(Integer)
    needed_for_top: Mapped[bool] = mapped_column(Boolean, default=False)
    fact: Mapped[str | None] = mapped_column(String(40))


class ScoreSheet(Base):
    __tablename__ = "score_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    template_id: Mapped[int] = mapped_column(ForeignKey("score_templates.id"))
    scorer_kind: Mapped[str] = mapped_column(String(20))
    scorer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    total: Mapped[float] = mapped_column(Float)
    grade: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    template: Mapped[ScoreTemplate] = relationship(lazy="joined")
    entries: Mapped[list["ScoreEntry"]] = relationship(lazy="selectin", order_by="ScoreEntry.criterion_id")

    __table_args__ = (
        UniqueConstraint("meeting_id", "scorer_id"),
        Index("ix_score_sheets_meeting_id", "meeting_id"),
    )

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS[self.grade]

    @property
    def scorer_label(self) -> str:
        return ScorerKind(self.scorer_kind).label


class ScoreEntry(Base):
    __tablename__ = "score_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheets.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("score_criteria.id"))
    points: Mapped[float] = mapped_column(Float)
    fact_note: Mapped[str | None] = mapped_column(String(200))  # the recorded fact shown to the scorer
    override_reason: Mapped[str | None] = mapped_column(Text)


class MeetingGrade(Base):
    """The official grade: the in-charge cadre's sheet, else the self-score; an office
    may set it with a reason."""

    __tablename__ = "meeting_grades"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), primary_key=True)
    sheet_id: Mapped[int | None] = mapped_column(ForeignKey("score_sheets.id"))
    total: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str] = mapped_column(String(20))
    set_by_office_reason: Mapped[str | None] = mapped_column(Text)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    @property
    def grade_label(self) -> str:
        return GRADE_LABELS[self.grade]
