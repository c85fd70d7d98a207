"""Texts of the party document header and titles (HD 36-HD/VPTW)."""

import re

from app.meetings.models import Meeting, MeetingKind
from app.org.history import UnitAsOf

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def place_name(unit: UnitAsOf) -> str:
    """The place in a document's date line, as the unit was on the document's date: a
    cell writes its commune's ("Đảng bộ xã Ninh Hải" → "Ninh Hải"), a committee its own."""
    if unit.kind == "cell" and unit.parent:
        unit = unit.parent
    return unit.place_name


# HD 36-HD/VPTW: a đảng bộ's documents are issued and signed by its committee (cấp ủy):
# "ĐẢNG BỘ HUYỆN HOA LƯ / ĐẢNG ỦY XÃ NINH HẢI … T/M ĐẢNG ỦY", "… / HUYỆN ỦY HOA LƯ … T/M HUYỆN ỦY".
_PARTY_BODY = re.compile(r"^đảng bộ\s+(tỉnh|thành phố|huyện|quận|thị xã)?\s*", re.I)
_COMMITTEES = {"tỉnh": "Tỉnh ủy", "thành phố": "Thành ủy", "huyện": "Huyện ủy", "quận": "Quận ủy", "thị xã": "Thị ủy"}


def issuing_body(name: str) -> str:
    """The body that issues a unit's documents: "Đảng bộ huyện Hoa Lư" → "Huyện ủy Hoa
    Lư", "Đảng bộ xã Ninh Hải" → "Đảng ủy xã Ninh Hải"; a cell (chi bộ) issues its own."""
    match = _PARTY_BODY.match(name)
    if match is None:
        return name
    level = (match.group(1) or "").lower()
    if level in _COMMITTEES:
        return f"{_COMMITTEES[level]} {name[match.end() :]}".strip()
    return "Đảng ủy " + name[len("đảng bộ") :].strip()


def signing_body(name: str) -> str:
    """What follows "T/M" under a unit's documents: "ĐẢNG ỦY", "HUYỆN ỦY", "CHI BỘ"."""
    return " ".join(issuing_body(name).split()[:2]).upper()


def month_number(month: int) -> str:
    """Months 1 and 2 take a leading zero in party documents (so "01" isn't misread)."""
    return f"{month:02d}" if month <= 2 else str(month)


def long_date(on) -> str:
    return f"ngày {on.day:02d} tháng {month_number(on.month)} năm {on.year}"


def document_title(meeting: Meeting) -> str:
    month = f"THÁNG {month_number(meeting.on.month)} NĂM {meeting.on.year}"
    quarter = f"QUÝ {ROMAN[(meeting.on.month - 1) // 3 + 1]} NĂM {meeting.on.year}"
    return {
        MeetingKind.regular: f"SINH HOẠT CHI BỘ THƯỜNG KỲ {month}",
        MeetingKind.thematic: f"SINH HOẠT CHUYÊN ĐỀ {quarter}",
        MeetingKind.combined: f"SINH HOẠT CHI BỘ THƯỜNG KỲ KẾT HỢP CHUYÊN ĐỀ {month}",
        MeetingKind.committee: f"HỌP CHI ỦY {month}",
        MeetingKind.extraordinary: f"SINH HOẠT CHI BỘ BẤT THƯỜNG NGÀY {meeting.on:%d/%m/%Y}",
    }[MeetingKind(meeting.kind)]
