"""The monthly score report as an Excel workbook, to send to the higher level."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from app.scoring import report
from app.scoring.defaults import GRADE_LABELS
from app.web.spreadsheet import append_row


def workbook(
    unit, year: int, month: int, rows: list[report.ReportRow], summaries: list[report.CommuneSummary]
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = f"Tháng {month:02d}-{year}"
    append_row(sheet, [f"BẢNG TỔNG HỢP CHẤM ĐIỂM CHẤT LƯỢNG SINH HOẠT CHI BỘ THÁNG {month:02d}/{year}"])
    append_row(sheet, [unit.name])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [])
    if unit.kind == "commune":
        append_row(
            sheet,
            ["STT", "Chi bộ", "Ngày sinh hoạt", "Chi bộ tự chấm", "Cấp ủy viên chấm", "Xếp loại", "Cấp ủy viên dự"],
        )
        for number, row in enumerate(rows, start=1):
            append_row(
                sheet,
                [
                    number,
                    row.cell.name,
                    row.meeting.on.strftime("%d/%m/%Y") if row.meeting else "Không sinh hoạt",
                    row.self_score,
                    row.cadre_score,
                    row.grade_label,
                    ("Có" if row.cadre_attended else "Không") if row.meeting else "",
                ],
            )
        widths = [6, 48, 16, 14, 16, 12, 14]
    else:
        append_row(
            sheet,
            ["STT", "Đảng bộ", "Số chi bộ", "Đã sinh hoạt", "Có cấp ủy viên dự"]
            + list(GRADE_LABELS.values())
            + ["Chưa xếp loại"],
        )
        for number, summary in enumerate(summaries, start=1):
            append_row(
                sheet,
                [number, summary.commune.name, summary.cells, summary.held, summary.attended]
                + [summary.grades.get(key, 0) for key in GRADE_LABELS]
                + [summary.grades.get("none", 0)],
            )
        widths = [6, 44, 10, 12, 16, 8, 8, 12, 8, 14]
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
