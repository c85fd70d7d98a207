"""The one way a cell gets into a spreadsheet the app hands out (formula injection).

A text a user typed (a unit's or a person's name) must reach the reader as that text:
spreadsheet programs run a cell starting with = + - @ (or tab / carriage return before
them) as a formula, so such a text is written as an explicit string with Excel's
"quote prefix" (the cell shows the text as typed and stays text if edited). Control
characters are removed (openpyxl refuses most of them, and they hide text)."""

import re

# C0 controls except the line feed (a line break inside a cell), DEL and the C1 controls.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def clean(text: str) -> str:
    return _CONTROL.sub("", text)


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet program read this text as the start of a formula?
    (Leading spaces too: some programs trim them on import.)"""
    return text.startswith(FORMULA_STARTS) or text.lstrip(" ").startswith(FORMULA_STARTS)


def append_row(sheet, values) -> None:
    """`sheet.append(values)` with every text cleaned and never a formula; numbers,
    dates and empty cells are written as they are."""
    sheet.append([clean(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and is_formula_like(cell.value):
            cell.data_type = "s"  # openpyxl stores a text starting with "=" as a formula
            cell.quotePrefix = True
