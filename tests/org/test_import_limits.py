"""The member import under hostile files (issue 12, V5 and V6): the XLSX is measured
before openpyxl opens it, rows are streamed and reading stops at the cap, and no write
lock is held while the file is parsed and checked."""

import html
import io
import time

import pytest

from app.org import importer
from tests.org.test_import import _new_cell
from tests.uploads import HEADER, member_row, xlsx, zip_bomb

BILLION_LAUGHS_SHEET = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
)


def _count(monkeypatch, name) -> list[int]:
    """How many times the importer's `name` ran (rows converted, cells converted)."""
    seen = [0]
    original = getattr(importer, name)

    def counting(value):
        seen[0] += 1
        return original(value)

    monkeypatch.setattr(importer, name, counting)
    return seen


# Service level ---------------------------------------------------------------


def test_a_sheet_over_the_cap_is_refused_after_reading_only_up_to_the_cap(monkeypatch):
    data = xlsx(importer.MAX_ROWS * 10)
    seen = _count(monkeypatch, "_line")
    with pytest.raises(importer.ImportFileError, match="tối đa 2.000 dòng"):
        importer.read_table("ds.xlsx", data)
    assert seen[0] <= importer.MAX_ROWS + 2


def test_a_sheet_of_exactly_the_cap_is_read_whole():
    rows = importer.read_table("ds.xlsx", xlsx(importer.MAX_ROWS))
    assert len(rows) == importer.MAX_ROWS and rows[-1]["full_name"] == "Nguyễn Văn Thử 1999"


def test_a_csv_over_the_cap_is_refused_the_same_way():
    text = ",".join(HEADER) + "\n" + "".join(",".join(member_row(i)) + "\n" for i in range(importer.MAX_ROWS + 1))
    with pytest.raises(importer.ImportFileError, match="tối đa 2.000 dòng"):
        importer.read_table("ds.csv", text.encode())


def test_blank_lines_count_towards_what_is_read(monkeypatch):
    # A small file declaring a million empty rows made openpyxl yield every one of them.
    data = xlsx(importer.MAX_LINES + 5, row=lambda i: [None] * len(HEADER))
    seen = _count(monkeypatch, "_line")
    with pytest.raises(importer.ImportFileError, match="dòng trống"):
        importer.read_table("ds.xlsx", data)
    assert seen[0] <= importer.MAX_LINES + 2


def test_wide_rows_are_read_only_up_to_the_column_bound(monkeypatch):
    wide = HEADER + [f"Cột {i}" for i in range(5000)]
    data = xlsx(3, header=wide, row=lambda i: member_row(i) + ["x"] * 5000)
    seen = _count(monkeypatch, "_cell_text")
    rows = importer.read_table("ds.xlsx", data)
    assert len(rows) == 3 and seen[0] <= 4 * importer.MAX_COLUMNS


def test_an_xlsx_zip_bomb_is_refused_before_openpyxl_opens_it(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl opened a zip bomb")

    monkeypatch.setattr(importer, "load_workbook", never)
    bomb = zip_bomb("xl/worksheets/sheet1.xml", 11, extra=(("[Content_Types].xml", b"<Types/>"),))
    with pytest.raises(importer.ImportFileError, match="giải nén"):
        importer.read_table("ds.xlsx", bomb)


def test_sheet_xml_with_entities_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx(1))) as source, zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            out.writestr(info.filename, BILLION_LAUGHS_SHEET if info.filename.endswith("sheet1.xml") else data)
    with pytest.raises(importer.ImportFileError):
        importer.read_table("ds.xlsx", buffer.getvalue())


# Views -----------------------------------------------------------------------


def _post_file(client, cell_id, data, name="ds.xlsx"):
    return client.post(
        f"/units/{cell_id}/members/import", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def test_a_big_sheet_is_refused_quickly_with_the_cap_named(app, client, login_as, world):
    cell_id = _new_cell(app, world, "Chi bộ nhập G01")
    login_as("xa")
    data = xlsx(importer.MAX_ROWS * 3)
    started = time.monotonic()
    response = _post_file(client, cell_id, data)
    elapsed = time.monotonic() - started
    assert response.status_code == 422
    assert "Mỗi lần chỉ nhập tối đa 2.000 dòng" in response.get_data(as_text=True)
    assert elapsed < 10, elapsed


def test_the_cap_itself_imports_in_one_transaction(app, client, login_as, world):
    from datetime import date

    from app.extensions import db
    from app.org import queries
    from app.org.models import OrgUnit

    cell_id = _new_cell(app, world, "Chi bộ nhập G02")
    login_as("xa")
    preview = _post_file(client, cell_id, xlsx(importer.MAX_ROWS)).get_data(as_text=True)
    assert "Xác nhận nhập 2000 đảng viên" in preview
    payload = html.unescape(preview.split('name="payload" type="hidden" value="')[1].split('"')[0])
    response = client.post(f"/units/{cell_id}/members/import/confirm", data={"payload": payload})
    assert response.status_code == 303
    with app.app_context():
        assert len(queries.roster(db.session.get(OrgUnit, cell_id), date.today())) == 2 + importer.MAX_ROWS


def test_a_confirm_payload_over_the_cap_is_refused(app, client, login_as, world):
    import json

    cell_id = _new_cell(app, world, "Chi bộ nhập G03")
    login_as("xa")
    rows = [{"full_name": f"Người {i}", "gender": "Nam", "joined_on": "01/01/2020"} for i in range(2001)]
    response = client.post(f"/units/{cell_id}/members/import/confirm", data={"payload": json.dumps(rows)})
    assert response.status_code == 422
    assert "tối đa 2.000 dòng" in response.get_data(as_text=True)


def test_the_import_page_states_the_cap(client, login_as, world):
    login_as("xa")
    page = client.get(f"/units/{world['cell']}/members/import").get_data(as_text=True)
    assert "Mỗi lần chỉ nhập tối đa 2.000 dòng." in page


def test_a_csv_cell_over_the_csv_modules_limit_is_a_message():
    text = ",".join(HEADER) + "\n" + "A" * 200_000 + ",Nam,,01/01/2000\n"
    with pytest.raises(importer.ImportFileError, match="ô quá dài"):
        importer.read_table("ds.csv", text.encode())
