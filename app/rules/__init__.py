import re

from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db

# Any control character but tab and line breaks (app.web.inputs checks requests the same way).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = "Nội dung có ký tự điều khiển không hợp lệ (ví dụ ký tự NUL); hãy xóa ký tự đó rồi gửi lại."


class RuleError(ValueError):
    """A business rule refused a change; the message is for the user (Vietnamese)."""


class StaleEdit(Exception):
    """Someone saved the record since this form was opened; nothing was overwritten.
    `current` is the record as saved now, for the page that shows both versions."""

    def __init__(self, current):
        self.current = current


def changes_version(record, version: int, current: tuple, wanted: tuple) -> bool:
    """The one check of an edit against the version its form was opened at: False when
    the save would change nothing (no revision, no new version), StaleEdit when someone
    saved since. Otherwise the record gets the next version, so its UPDATE happens (even
    when only child rows change) and SQLAlchemy's version_id_col makes it
    `… WHERE version = <read>`: a save racing in between is caught by `save_version`."""
    if current == wanted:
        return False
    if record.version != version:
        raise StaleEdit(record)
    record.version = version + 1
    return True


def save_version(record) -> None:
    """Flush an edit of a versioned record: the UPDATE that lost a race (SQLAlchemy's
    StaleDataError) becomes StaleEdit, answered like any other stale edit."""
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleEdit(record) from None


def clean_text(
    value: str | None, required: str | None = None, limit: int = 20_000, label: str = "Nội dung"
) -> str | None:
    """A typed text stripped; None when empty, or RuleError(`required`) if it must be
    given; RuleError naming `label` when longer than `limit` characters (never cut) or
    when it holds a control character."""
    value = (value or "").strip()
    if not value and required:
        raise RuleError(required)
    if len(value) > limit:
        raise RuleError(f"{label} dài quá {limit:,} ký tự.".replace(",", "."))
    if CONTROL_CHARACTERS.search(value):
        raise RuleError(CONTROL_MESSAGE)
    return value or None
