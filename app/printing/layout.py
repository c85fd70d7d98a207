"""Texts of the party document header and titles (HD 36-HD/VPTW)."""

from app.meetings.models import Meeting, MeetingKind
from app.org.history import UnitAsOf

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def place_name(unit: UnitAsOf) -> str:
    """The place in a document's date line, as the unit was on the document's date: a
    cell writes its commune's ("Đảng bộ xã Ninh Hải" → "Ninh Hải"), a committee its own."""
    if unit.kind == "cell" and unit.parent:
        unit = unit.parent
    return unit.place_name


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
