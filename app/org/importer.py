"""Member import from CSV or XLSX: parse, validate every row, write only if all are valid."""

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.services import record
from app.extensions import db
from app.files import ArchiveRefused, open_archive
from app.org import services
from app.org.models import Gender, Member, MembershipKind
from app.org.vietnamese import fold
from app.rules import CONTROL_CHARACTERS
from app.rules.members import member_problems
from app.web.templating import vn_number

MAX_ROWS = 2000
MAX_LINES = 10 * MAX_ROWS  # lines read at most, blank ones included
MAX_COLUMNS = 40
# A member sheet of MAX_ROWS rows is 1-5 MB of XML; a zip bomb far more. openpyxl reads
# a sheet without a <dimension> twice (once to look for it), so this also bounds time.
XLSX_ENTRIES = 1000
XLSX_UNZIPPED = 10 * 1024 * 1024
TOO_MANY_ROWS = f"Mỗi lần chỉ nhập tối đa {vn_number(MAX_ROWS, 0)} dòng."

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
    """Rows as {field: text} from a CSV (UTF-8, comma or semicolon) or XLSX file, read
    row by row: reading stops as soon as the file is over the cap."""
    name = filename.lower()
    if name.endswith(".xlsx") or content[:2] == b"PK":
        lines = _xlsx_lines(content)
    elif name.endswith(".csv") or name.endswith(".txt"):
        lines = _csv_lines(content)
    else:
        raise ImportFileError("Chỉ nhận tệp .csv hoặc .xlsx.")
    try:
        return _rows(lines)
    finally:
        lines.close()  # an XLSX closes its workbook


def _rows(lines) -> list[dict[str, str]]:
    columns = None
    rows = []
    for read, line in enumerate(lines, start=1):
        if read > MAX_LINES:
            raise ImportFileError(
                f"Tệp có hơn {vn_number(MAX_LINES, 0)} dòng (kể cả dòng trống). {TOO_MANY_ROWS} "
                "Hãy xóa các dòng trống thừa hoặc chia tệp."
            )
        if not any((c or "").strip() for c in line):
            continue
        if columns is None:
            columns = _columns(line)
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(f"{TOO_MANY_ROWS} Hãy chia tệp.")
        rows.append({col: (line[i] if i < len(line) else "").strip() for i, col in enumerate(columns) if col})
    if columns is None:
        raise ImportFileError("Tệp không có dữ liệu.")
    return rows


def _columns(header: list[str]) -> list[str | None]:
    columns = [HEADERS.get(fold(h or "").rstrip(":")) for h in header]
    missing = [label for key, label in REQUIRED_COLUMNS.items() if key not in columns]
    if missing:
        raise ImportFileError("Thiếu cột: " + ", ".join(missing) + ". Dòng đầu tiên phải là tiêu đề cột.")
    return columns


def _xlsx_lines(content: bytes):
    """The first sheet's lines, streamed (openpyxl's read-only mode), at most
    MAX_COLUMNS wide, once the zip is known to be small enough to open."""
    unreadable = "Không đọc được tệp Excel. Hãy lưu lại dưới dạng .xlsx rồi thử lại."
    try:
        open_archive(content, XLSX_ENTRIES, XLSX_UNZIPPED).close()
    except ArchiveRefused as error:
        raise ImportFileError(str(error)) from error
    except zipfile.BadZipFile as error:
        raise ImportFileError(unreadable) from error
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(unreadable) from exc
    try:
        sheet = workbook.worksheets[0]
        width = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
        yield from map(_line, sheet.iter_rows(max_col=width, values_only=True))
    except Exception as exc:  # damaged or forbidden XML (defusedxml refuses entities)
        raise ImportFileError(unreadable) from exc
    finally:
        workbook.close()


def _csv_lines(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("Tệp CSV phải được lưu với mã UTF-8.") from exc
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        for line in csv.reader(io.StringIO(text), dialect):
            yield line[:MAX_COLUMNS]
    except csv.Error as exc:  # a field over the csv module's size limit, a stray quote
        raise ImportFileError("Tệp CSV bị lỗi định dạng: có ô quá dài hoặc dấu ngoặc kép chưa đóng.") from exc


def rows_from_payload(payload: str | None) -> list[dict[str, str]]:
    """The rows a preview sent back for confirmation (checked again, never trusted)."""
    try:
        rows = json.loads(payload or "[]")
    except ValueError as exc:
        raise ImportFileError("Dữ liệu xác nhận không hợp lệ; hãy tải tệp lên lại.") from exc
    if not isinstance(rows, list):
        raise ImportFileError("Dữ liệu xác nhận không hợp lệ; hãy tải tệp lên lại.")
    if len(rows) > MAX_ROWS:
        raise ImportFileError(TOO_MANY_ROWS)
    return [{str(k): str(v) for k, v in r.items()} for r in rows if isinstance(r, dict)]


def _line(values) -> list[str]:
    return [_cell_text(v) for v in values]


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


def add_rows(actor, cell, rows: list[ImportRow]) -> None:
    """Write validated rows as members of `cell`, with one audit entry for the file."""
    for row in rows:
        data = dict(row.data)
        kind, from_on = data.pop("membership_kind"), data.pop("from_on")
        services.add_member(actor, cell, data, from_on=from_on, kind=kind, audit=False)
    record(actor, "member.import", cell, cell, f"Nhập {len(rows)} đảng viên từ tệp vào {cell.name}")
