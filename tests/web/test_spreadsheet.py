"""The one neutraliser every spreadsheet export writes its cells through."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from app.web import spreadsheet

ATTACKS = [
    '=HYPERLINK("http://evil.example/x","Bấm xem")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_like_texts_are_recognised(text):
    assert spreadsheet.is_formula_like(spreadsheet.clean(text))


@pytest.mark.parametrize("text", ["Chi bộ thôn 1", "Đảng bộ xã Ninh Hải", "88,0", "a=b", "Tốt", ""])
def test_ordinary_texts_are_left_alone(text):
    assert spreadsheet.clean(text) == text
    assert not spreadsheet.is_formula_like(text)


def test_control_characters_are_removed_line_breaks_kept():
    assert spreadsheet.clean("Chi\x00 bộ\x07 thôn\x1b 1\x7f\x85") == "Chi bộ thôn 1"
    assert spreadsheet.clean("dòng 1\ndòng 2") == "dòng 1\ndòng 2"
    assert spreadsheet.clean("\t\r=1") == "=1"


def _saved(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_row_is_written_as_plain_values_never_formulas():
    book = Workbook()
    sheet = book.active
    spreadsheet.append_row(sheet, [1, ATTACKS[0], "Chi bộ\x00 thôn 1", 88.5, None, "-2+3"])
    data = _saved(book)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    row = next(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert row == (1, ATTACKS[0], "Chi bộ thôn 1", 88.5, None, "-2+3")
    cells = load_workbook(io.BytesIO(data)).active[1]
    # Excel's own "text, not formula" mark, kept if someone edits the cell and presses Enter.
    assert cells[1].quotePrefix and cells[5].quotePrefix
    assert not cells[2].quotePrefix and cells[0].data_type == "n"


def test_every_export_writes_through_the_neutraliser():
    """A new CSV or XLSX export cannot bypass the neutraliser unnoticed."""
    from pathlib import Path

    import app as package

    root = Path(package.__file__).parent
    writers = ("Workbook(", "csv.writer", "csv.DictWriter", "text/csv")
    for path in root.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if path.name == "spreadsheet.py" or not any(w in source for w in writers):
            continue
        assert "append_row" in source, f"{path.relative_to(root)} writes a spreadsheet without app.web.spreadsheet"
