"""Member import from CSV or XLSX: parse, validate every row, write only if all are valid."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.org.models import Gender, Member, MembershipKind
from app.org.vietnamese import fold
from app.rules import CONTROL_CHARACTERS
from app.rules.members import member_problems

MAX_ROWS = 2000

# Folded header text -> field. Several spellings are accepted for each column.
HEADERS = {
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "gioi tinh": "gender",
    "ngay sinh": "birth_on",
    "dan toc": "ethnicity",
    "ngay vao dang": "joined_on",
    "ngay chinh thuc": "official_on",
    "so the": "card_number",
    "so the dang vien": "card_number",
    "so the dang": "card_number",
    "dien thoai": "phone",
    "so dien thoai": "phone",
    "ghi chu": "notes",
    "hinh thuc": "membership_kind",
    "hinh thuc sinh hoat": "membership_kind",
    "sinh hoat tu ngay": "from_on",
    "ngay bat dau sinh hoat": "from_on",
    "ngay sinh hoat tai chi bo": "from_on",
    "tu ngay": "from_on",
}
REQUIRED_COLUMNS = {"full_name": "Họ và tên", "gender": "Giới tính", "joined_on": "Ngày vào Đảng"}
GENDERS = {"nam": Gender.male, "nu": Gender.female}
KINDS = {
    "chinh thuc": MembershipKind.regular,
    "": MembershipKind.regular,
    "tam thoi": MembershipKind.temporary,
    "sinh hoat tam thoi": MembershipKind.temporary,
}


class ImportFileError(ValueError):
    """The file itself cannot be read; the message is for the user."""


@dataclass
class ImportRow:
    line: int
    raw: dict[str, str]
    data: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def read_table(filename: str, content: bytes) -> list[dict[str, str]]:
    """Rows as {field: text} from a CSV (UTF-8, comma or semicolon) or XLSX file."""
    name = filename.lower()
    if name.endswith(".xlsx") or content[:2] == b"PK":
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ImportFileError("Không đọc được tệp Excel. Hãy lưu lại dưới dạng .xlsx rồi thử lại.") from exc
        table = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    elif name.endswith(".csv") or name.endswith(".txt"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError("Tệp CSV phải được lưu với mã UTF-8.") from exc
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        table = [row for row in csv.reader(io.StringIO(text), dialect)]
    else:
        raise ImportFileError("Chỉ nhận tệp .csv hoặc .xlsx.")
    table = [row for row in table if any((c or "").strip() for c in row)]
    if not table:
        raise ImportFileError("Tệp không có dữ liệu.")
    columns = [HEADERS.get(fold(h or "").rstrip(":")) for h in table[0]]
    missing = [label for key, label in REQUIRED_COLUMNS.items() if key not in columns]
    if missing:
        raise ImportFileError("Thiếu cột: " + ", ".join(missing) + ". Dòng đầu tiên phải là tiêu đề cột.")
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(f"Mỗi lần chỉ nhập tối đa {MAX_ROWS} dòng.")
    return [
        {col: (row[i] if i < len(row) else "").strip() for i, col in enumerate(columns) if col} for row in table[1:]
    ]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_date(text: str, label: str, errors: list[str]) -> date | None:
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            value = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if not date(1900, 1, 1) <= value <= date.today():
            errors.append(f"{label} “{text}” nằm ngoài khoảng hợp lệ.")
            return None
        return value
    errors.append(f"{label} “{text}” không đúng dạng ngày/tháng/năm.")
    return None


def validate(rows: list[dict[str, str]]) -> list[ImportRow]:
    """Check every row; errors are Vietnamese sentences naming the column."""
    cards_in_file: dict[str, int] = {}
    cards = [r.get("card_number") for r in rows if r.get("card_number")]
    taken = set(db.session.scalars(select(Member.card_number).where(Member.card_number.in_(cards)))) if cards else set()
    result = []
    for index, raw in enumerate(rows, start=2):  # line 1 is the header
        row = ImportRow(line=index, raw=raw)
        errors = row.errors
        if any(CONTROL_CHARACTERS.search(text) for text in raw.values()):
            errors.append("Có ký tự điều khiển không hợp lệ (ví dụ ký tự NUL); hãy xóa ký tự đó trong tệp.")
        gender = GENDERS.get(fold(raw.get("gender", "")))
        if gender is None:
            errors.append(f"Giới tính “{raw.get('gender', '')}” không hợp lệ (ghi Nam hoặc Nữ).")
        birth = _parse_date(raw.get("birth_on", ""), "Ngày sinh", errors)
        joined = _parse_date(raw.get("joined_on", ""), "Ngày vào Đảng", errors)
        official = _parse_date(raw.get("official_on", ""), "Ngày chính thức", errors)
        # Membership from the date in the file (an old meeting's roster), else today.
        from_on = _parse_date(raw.get("from_on", ""), "Ngày bắt đầu sinh hoạt", errors) or date.today()
        data = {
            "full_name": " ".join(raw.get("full_name", "").split()),
            "gender": gender.value if gender else None,
            "birth_on": birth,
            "joined_on": joined,
            "official_on": official,
            "ethnicity": raw.get("ethnicity") or "Kinh",
            "card_number": raw.get("card_number") or None,
            "phone": raw.get("phone") or None,
            "notes": raw.get("notes") or None,
        }
        unparsed_joined = raw.get("joined_on") and joined is None  # already reported as a bad date
        errors.extend(p for p in member_problems(data) if not (unparsed_joined and p == "Thiếu ngày vào Đảng."))
        if joined and from_on < joined:
            errors.append("Ngày bắt đầu sinh hoạt tại chi bộ phải sau ngày vào Đảng.")
        card = data["card_number"]
        if card:
            if card in taken:
                errors.append(f"Số thẻ {card} đã có trong hệ thống.")
            elif card in cards_in_file:
                errors.append(f"Số thẻ {card} trùng với dòng {cards_in_file[card]}.")
            cards_in_file.setdefault(card, index)
        kind = KINDS.get(fold(raw.get("membership_kind", "")))
        if kind is None:
            errors.append(f"Hình thức “{raw.get('membership_kind')}” không hợp lệ (Chính thức hoặc Tạm thời).")
        if not errors:
            row.data = {**data, "membership_kind": kind, "from_on": from_on}
        result.append(row)
    return result
