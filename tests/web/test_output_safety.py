"""Output safety (issue 12, part 6): spreadsheets carry no live formula, and member
search keeps the names typed out of URLs and the access log."""

import io
import zipfile
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import update

from app.extensions import db
from app.org.models import OrgUnit, UnitVersion

PAYLOAD = '=HYPERLINK("http://evil.example/x","Bấm xem")'


def _last_month():
    today = date.today()
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def _rename(app, unit_id, name):
    """Every version of the unit takes the name (the report reads names of the month)."""
    with app.app_context():
        db.session.execute(update(OrgUnit).where(OrgUnit.id == unit_id).values(name=name))
        db.session.execute(update(UnitVersion).where(UnitVersion.unit_id == unit_id).values(name=name))
        db.session.commit()


def _sheet_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()


def test_v4_a_unit_named_like_a_formula_is_exported_as_text(app, client, login_as, world):
    """V4: a cell named =HYPERLINK(…) was a live formula in the report sent upward."""
    year, month = _last_month()
    _rename(app, world["cell"], PAYLOAD)
    login_as("xa")
    response = client.get(f"/units/{world['commune']}/score-report.xlsx?month={year}-{month}")
    assert response.status_code == 200
    xml = _sheet_xml(response.data)
    assert "<f>" not in xml and "HYPERLINK" in xml
    sheet = load_workbook(io.BytesIO(response.data)).active
    names = [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert PAYLOAD in names  # the name as typed, shown as text


def test_v4_district_rollup_and_its_title_row_are_text_too(app, client, login_as, world):
    year, month = _last_month()
    _rename(app, world["commune"], "@SUM(1+1)*cmd|' /C calc'!A0")
    _rename(app, world["district"], "=1+1")
    login_as("huyen")
    response = client.get(f"/units/{world['district']}/score-report.xlsx?month={year}-{month}")
    xml = _sheet_xml(response.data)
    assert "<f>" not in xml
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A2"].value == "=1+1" and sheet["A2"].quotePrefix
    commune_cells = [c for c in sheet["B"] if c.value == "@SUM(1+1)*cmd|' /C calc'!A0"]
    assert commune_cells and all(c.quotePrefix for c in commune_cells)
