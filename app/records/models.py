"""Party documents as a set: numbers per committee term and sealed (adopted) versions."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import Base, LabeledEnum, utcnow


class DocumentKind(LabeledEnum):
    minutes = "minutes", "Biên bản"
    resolution = "resolution", "Nghị quyết"


# Symbols of HD 36: "BB" biên bản, "NQ" nghị quyết; "CB" the issuing chi bộ.
SYMBOLS = {DocumentKind.minutes: "BB", DocumentKind.resolution: "NQ"}


class DocumentNumber(Base):
    """One number taken from a cell's register for a document type and committee term.
    A number once taken stays with its document (reopened minutes keep it) and is never
    handed out again: the unique key makes a second taker fail and retry."""

    __tablename__ = "document_numbers"

    id: Mapped[int] = mapped_column(primary_key=True)
    cell_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    kind: Mapped[str] = mapped_column(String(20))
    term_from: Mapped[int] = mapped_column(Integer)  # the term's first year, e.g. 2025
    term_to: Mapped[int] = mapped_column(Integer)  # and its last, e.g. 2030
    seq: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(30))  # "01-BB/CB"
    document_id: Mapped[int] = mapped_column(Integer)  # minutes.id or resolutions.id, by kind
    document_on: Mapped[date] = mapped_column(Date)
    assigned_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        UniqueConstraint("cell_id", "kind", "term_from", "seq"),
        UniqueConstraint("kind", "document_id"),
    )

    @property
    def term_label(self) -> str:
        return f"{self.term_from}–{self.term_to}"


class DocumentVersion(Base):
    """An adopted (or issued) version of a document: the SHA-256 of its canonical content
    at that moment and the short code printed on it. Errata and re-adoption after a
    reopening add a version; the earlier ones stay, marked superseded."""

    __tablename__ = "document_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[int] = mapped_column(Integer)
    cell_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    version: Mapped[int] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(30))
    document_on: Mapped[date] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(20), unique=True)  # without separators
    event: Mapped[str] = mapped_column(String(100))  # "Thông qua", "Đính chính", …
    sealed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sealed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime)
    superseded_note: Mapped[str | None] = mapped_column(String(300))

    sealed_by: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (UniqueConstraint("kind", "document_id", "version"),)

    @property
    def kind_label(self) -> str:
        return DocumentKind(self.kind).label

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
