"""A member's contact details (party card number, phone) are personal data: shown masked,
revealed one at a time on request (a POST, audited), write-only in the edit form."""

from app.audit.services import record
from app.org.models import Member

CONTACT_FIELDS = {"card_number": "Số thẻ đảng viên", "phone": "Điện thoại"}
HIDDEN = "••••"


def mask(value: str | None) -> str:
    """'•••• 4567': the last four letters or digits when at least four more stay hidden,
    the last two for a short value, none below six; never the length."""
    if not value:
        return ""
    chars = [c for c in value if c.isalnum()]
    keep = 4 if len(chars) >= 8 else 2 if len(chars) >= 6 else 0
    return f"{HIDDEN} {''.join(chars[-keep:])}" if keep else HIDDEN


def reveal(actor, member: Member, field: str, unit) -> str | None:
    """The stored value of one contact field, with a `member.reveal` audit entry (which
    names the field, never the value)."""
    value = getattr(member, field)
    if value:
        record(actor, "member.reveal", member, unit, f"Xem {CONTACT_FIELDS[field].lower()} của {member.full_name}")
    return value


def keep_unless_cleared(data: dict, member: Member, cleared: set[str]) -> dict:
    """The edit form never carries the stored card number and phone: a blank field keeps
    the stored value, unless the user ticked to clear it."""
    for field in CONTACT_FIELDS:
        if not data.get(field) and field not in cleared:
            data[field] = getattr(member, field)
    return data
