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
        name = " ".join(raw.get("full_name", "").split())
        if not name:
            errors.append("Thiếu họ và tên.")
        elif len(name) > 120 or len(name.split()) < 2:
            errors.append("Họ và tên phải có ít nhất họ và tên, tối đa 120 ký tự.")
        gender = GENDERS.get(fold(raw.get("gender", "")))
        if gender is None:
            errors.append(f"Giới tính “{raw.get('gender', '')}” không hợp lệ (ghi Nam hoặc Nữ).")
        birth = _parse_date(raw.get("birth_on", ""), "Ngày sinh", errors)
        joined = _parse_date(raw.get("joined_on", ""), "Ngày vào Đảng", errors)
        if not raw.get("joined_on"):
            errors.append("Thiếu ngày vào Đảng.")
        official = _parse_date(raw.get("official_on", ""), "Ngày chính thức", errors)
        if joined and official and official < joined:
            errors.append("Ngày chính thức phải sau ngày vào Đảng.")
        if birth and joined and joined < birth:
            errors.append("Ngày vào Đảng phải sau ngày sinh.")
        card = raw.get("card_number", "")
        if card:
            if len(card) > 20 or not card.replace(".", "").replace("-", "").isalnum():
                errors.append(f"Số thẻ “{card}” không hợp lệ.")
            elif card in taken:
                errors.append(f"Số thẻ {card} đã có trong hệ thống.")
            elif card in cards_in_file:
                errors.append(f"Số thẻ {card} trùng với dòng {cards_in_file[card]}.")
            cards_in_file.setdefault(card, index)
        kind = KINDS.get(fold(raw.get("membership_kind", "")))
        if kind is None:
            errors.append(f"Hình thức “{raw.get('membership_kind')}” không hợp lệ (Chính thức hoặc Tạm thời).")
        for key, limit, label in (
            ("phone", 20, "Điện thoại"),
            ("ethnicity", 40, "Dân tộc"),
            ("notes", 2000, "Ghi chú"),
        ):
            if len(raw.get(key, "")) > limit:
                errors.append(f"{label} dài quá {limit} ký tự.")
        if not errors:
            row.data = {
                "full_name": name,
                "gender": gender.value,
                "birth_on": birth,
                "joined_on": joined,
                "official_on": official,
                "ethnicity": raw.get("ethnicity") or "Kinh",
                "card_number": card or None,
                "phone": raw.get("phone") or None,
                "notes": raw.get("notes") or None,
                "membership_kind": kind,
            }
        result.append(row)
    return result
