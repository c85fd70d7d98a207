"""The year-end review (kiểm điểm) of each member of a cell."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.criticism.sealed import SealedText
from app.db import Base, LabeledEnum, utcnow
from app.org.models import Member


class Rating(LabeledEnum):
    excellent = "excellent", "Hoàn thành xuất sắc nhiệm vụ"
    good = "good", "Hoàn thành tốt nhiệm vụ"
    done = "done", "Hoàn thành nhiệm vụ"
    not_done = "not_done", "Không hoàn thành nhiệm vụ"


class YearReview(Base):
    __tablename__ = "year_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    year: Mapped[int] = mapped_column(Integer)
    self_assessment: Mapped[str | None] = mapped_column(SealedText)
    proposed_rating: Mapped[str | None] = mapped_column(String(20))  # the member's own
    cell_rating: Mapped[str | None] = mapped_column(String(20))  # the cell's proposal
    cell_comment: Mapped[str | None] = mapped_column(SealedText)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}  # every UPDATE checks and raises it

    member: Mapped[Member] = relationship()

    __table_args__ = (UniqueConstraint("cell_id", "year", "member_id"),)

    @staticmethod
    def label(rating: str | None) -> str:
        return Rating(rating).label if rating else ""
