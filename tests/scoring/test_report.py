"""The monthly score report: on screen, printed, as XLSX, and rolled up by a district."""

import io
from datetime import date

from openpyxl import load_workbook

from app.extensions import db
from app.org.models import OrgUnit


def _last_month():
    today = date.today()
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def test_commune_report_screen_print_and_xlsx(app, client, login_as, world):
    year, month = _last_month()
    login_as("xa")
    page = client.get(f"/units/{world['commune']}/score-report?month={year}-{month}").get_data(as_text=True)
    with app.app_context():
        name = db.session.get(OrgUnit, world["cell"]).name
    assert name in page and 'id="score-report"' in page
    printed = client.get(f"/units/{world['commune']}/score-report/print?month={year}-{month}").get_data(as_text=True)
    assert "BẢNG TỔNG HỢP" in printed and "CHẤM ĐIỂM CHẤT LƯỢNG SINH HOẠT CHI BỘ<br>THÁNG" in printed
    assert "Đăng xuất" not in printed
    response = client.get(f"/units/{world['commune']}/score-report.xlsx?month={year}-{month}")
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].value.startswith("BẢNG TỔNG HỢP") and sheet["B4"].value == "Chi bộ"
    assert name in [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)]


def test_district_rolls_communes_up_and_scope_holds(client, login_as, world):
    year, month = _last_month()
    login_as("huyen")
    page = client.get(f"/units/{world['district']}/score-report?month={year}-{month}").get_data(as_text=True)
    assert 'id="score-rollup"' in page and "Đảng bộ xã Ninh Hải" in page
    response = client.get(f"/units/{world['district']}/score-report.xlsx?month={year}-{month}")
    assert response.status_code == 200
    login_as("xa")
    assert client.get(f"/units/{world['other_commune']}/score-report").status_code == 404
    login_as("bithu")
    assert client.get(f"/units/{world['cell']}/score-report").status_code == 404


def test_sql_rollup_agrees_with_the_detailed_rows(app, world):
    from app.scoring import report

    year, month = _last_month()
    with app.test_request_context():
        district = db.session.get(OrgUnit, world["district"])
        detailed = report.rows(district, year, month)
        summaries = report.rollup_for(district, year, month)
        assert sum(s.held for s in summaries) == sum(1 for r in detailed if r.meeting)
        assert sum(s.cells for s in summaries) == len({r.cell.id for r in detailed})
        assert sum(s.attended for s in summaries) == sum(r.cadre_attended for r in detailed)
        graded = sum(s.grades[key] for s in summaries for key in ("good", "fair", "average", "poor"))
        assert graded == sum(1 for r in detailed if r.grade)


def test_province_rolls_up_by_district(app, client, login_as, world):
    year, month = _last_month()
    login_as("quantri")
    page = client.get(f"/units/{world['province']}/score-report?month={year}-{month}").get_data(as_text=True)
    assert "Đảng bộ huyện Hoa Lư" in page and "Đảng bộ huyện Gia Viễn" in page
    assert "Đảng bộ xã Ninh Hải" not in page  # communes are inside their district's row
