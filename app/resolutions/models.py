"""The month's resolution of a cell (nghị quyết chi bộ tháng …): its own document,
drafted from a meeting, issued with a number once the minutes are adopted."""

from datetime import date, datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, LabeledEnum, utcnow
from app.meetings.models import Meeting


class ResolutionStatus(LabeledEnum):
    draft = "draft", "Dự thảo"
    issued = "issued", "Đã ban hành"


class Resolution(Base):
    __tablename__ = "resolutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ResolutionStatus.draft.value)
    number: Mapped[str | None] = mapped_column(String(30))  # "01-NQ/CB", given on issue
    summary: Mapped[str | None] = mapped_column(String(300))  # trích yếu: "về nhiệm vụ tháng 3 năm 2026"
    results: Mapped[str | None] = mapped_column(Text)
    shortcomings: Mapped[str | None] = mapped_column(Text)
    tasks: Mapped[str | None] = mapped_column(Text)
    implementation: Mapped[str | None] = mapped_column(Text)
    recipients: Mapped[str | None] = mapped_column(Text)  # "Nơi nhận", one per line
    signer_name: Mapped[str | None] = mapped_column(String(200))  # the secretary, fixed on issue
    issued_at: Mapped[datetime | None] = mapped_column(DateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Raised by every save: a save over a newer text is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}  # every UPDATE checks and raises it

    meeting: Mapped[Meeting] = relationship()

    @property
    def is_issued(self) -> bool:
        return self.status == ResolutionStatus.issued

    @property
    def status_label(self) -> str:
        return ResolutionStatus(self.status).label

    @property
    def document_on(self) -> date:
        return self.meeting.on
