import io
from datetime import date

from openpyxl import Workbook

from app.extensions import db
from app.org import queries
from app.org.models import OrgUnit
from tests.conftest import make_cell

HEADER = "Họ và tên,Giới tính,Ngày sinh,Ngày vào Đảng,Ngày chính thức,Số thẻ,Hình thức\n"


def _csv(rows: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(("\ufeff" + HEADER + rows).encode("utf-8")), "danh-sach.csv"


def _new_cell(app, world, name):
    with app.app_context():
        cell = make_cell(world["commune"], name)
        db.session.commit()
        return cell.id


def test_preview_shows_each_rows_errors_and_writes_nothing(app, client, login_as, world):
    cell_id = _new_cell(app, world, "Chi bộ nhập F01")
    login_as("xa")
    rows = (
        "Phạm Văn Tốt,Nam,01/02/1980,03/02/2005,03/02/2006,91000001,Chính thức\n"
        "Hà,Nữ,31/02/1980,,,,\n"
        "Vũ Thị Sai,Khác,01/01/1990,01/01/2010,01/01/2009,91000001,Tạm trú\n"
    )
    response = client.post(
        f"/units/{cell_id}/members/import", data={"file": _csv(rows)}, content_type="multipart/form-data"
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Họ và tên phải có ít nhất" in body and "Ngày sinh “31/02/1980” không đúng dạng" in body
    assert "Thiếu ngày vào Đảng" in body and "Giới tính “Khác” không hợp lệ" in body
    assert "Ngày chính thức phải sau ngày vào Đảng" in body and "trùng với dòng 2" in body
    assert "Xác nhận nhập" not in body
    with app.app_context():
        assert len(queries.roster(db.session.get(OrgUnit, cell_id), date.today())) == 2


def test_valid_xlsx_is_previewed_then_written_on_confirm(app, client, login_as, world):
    cell_id = _new_cell(app, world, "Chi bộ nhập F02")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Hình thức"])
    sheet.append(["Đỗ Thị Ánh", "Nữ", date(1990, 5, 4), date(2015, 9, 2), date(2016, 9, 2), "Chính thức"])
    sheet.append(["Lương Văn Bảo", "nam", "12/12/1985", "01/01/2024", None, "Tạm thời"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    login_as("xa")
    preview = client.post(
        f"/units/{cell_id}/members/import", data={"file": (buffer, "ds.xlsx")}, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "Xác nhận nhập 2 đảng viên" in preview
    payload = preview.split('name="payload" type="hidden" value="')[1].split('"')[0]
    import html

    response = client.post(f"/units/{cell_id}/members/import/confirm", data={"payload": html.unescape(payload)})
    assert response.status_code == 303
    with app.app_context():
        rows = queries.roster(db.session.get(OrgUnit, cell_id), date.today())
        names = {r.member.full_name: r for r in rows}
        assert "Đỗ Thị Ánh" in names and names["Lương Văn Bảo"].membership.kind == "temporary"
        assert not names["Lương Văn Bảo"].is_full


def test_confirm_revalidates_a_tampered_payload(app, client, login_as, world):
    cell_id = _new_cell(app, world, "Chi bộ nhập F03")
    login_as("xa")
    payload = '[{"full_name": "Một", "gender": "Nam", "joined_on": "01/01/2020"}]'
    response = client.post(f"/units/{cell_id}/members/import/confirm", data={"payload": payload})
    assert response.status_code == 422
    with app.app_context():
        assert len(queries.roster(db.session.get(OrgUnit, cell_id), date.today())) == 2


def test_missing_columns_and_wrong_file_type_are_explained(app, client, login_as, world):
    login_as("xa")
    response = client.post(
        f"/units/{world['cell']}/members/import",
        data={"file": (io.BytesIO(b"Ten,Tuoi\nA,1\n"), "x.csv")},
        content_type="multipart/form-data",
    )
    assert "Thiếu cột: Họ và tên, Giới tính, Ngày vào Đảng" in response.get_data(as_text=True)
    response = client.post(
        f"/units/{world['cell']}/members/import",
        data={"file": (io.BytesIO(b"%PDF-1.4"), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert "Chỉ nhận tệp .csv hoặc .xlsx" in response.get_data(as_text=True)


def test_a_control_character_in_the_file_or_the_payload_is_a_row_error(app, client, login_as, world):
    cell_id = _new_cell(app, world, "Chi bộ nhập F05")
    login_as("xa")
    payload = '[{"full_name": "Nguyễn\\u0000Văn Một", "gender": "Nam", "joined_on": "01/01/2020"}]'
    response = client.post(f"/units/{cell_id}/members/import/confirm", data={"payload": payload})
    assert response.status_code == 422
    assert "ký tự điều khiển" in response.get_data(as_text=True)
    with app.app_context():
        assert len(queries.roster(db.session.get(OrgUnit, cell_id), date.today())) == 2
