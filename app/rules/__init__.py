import re

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
    """Compare and set on a versioned record: False when the save would change nothing
    (the same form sent twice), StaleEdit when someone saved since `version` was read."""
    if current == wanted:
        return False
    if record.version != version:
        raise StaleEdit(record)
    return True


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
