"""The printed score sheet names its scorer and is signed by the right person; notes and
numbers read the Vietnamese way. The monthly report is issued and signed by one body and
its title keeps the month and year together."""

import io
import re
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.meetings.models import Meeting
from app.org import services as org_services
from app.org.models import PositionTitle
from app.org.queries import roster
from app.scoring import services
from app.scoring.models import ScoreSheet
from app.supervision.models import CadreLevel, SupervisionAssignment
from app.web.templating import percent, vn_number

DOT_DECIMAL = re.compile(r">\s*\d+\.\d+\s*(<|—|điểm)")


def test_vn_number_uses_the_decimal_comma_and_dot_thousands():
    assert vn_number(88) == "88,0"
    assert vn_number(1234.5) == "1.234,5"
    assert vn_number(87.25) == "87,3"  # half up, as on paper
    assert vn_number(2.5, 0) == "3"
    assert vn_number(None) == ""
    assert percent(0.875) == "88%"


def _self_scored(app, client, login_as, meeting_id):
    """The cell's self-score posted through the form, with a reason on every criterion
    (the non-derived ones have no recorded fact, only the reason)."""
    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting_id)
        secretary = roster(meeting.cell, meeting.on)[0].member
        org_services.appoint(None, secretary, meeting.cell, PositionTitle.secretary, date(2020, 1, 1))
        db.session.commit()
        template = services.template_for(meeting)
        suggested = services.prefill(template, services.facts(meeting))
        plain = next(c for c in template.criteria if not c.fact and c.max_points >= 2)
        values = suggested | {plain.id: plain.max_points - 1.5}
        name = secretary.full_name
    login_as("xa")
    data = {f"points-{c.id}": values[c.id] for c in template.criteria}
    data.update({f"reason-{c.id}": "Theo sổ biên bản" for c in template.criteria})
    assert client.post(f"/meetings/{meeting_id}/score", data=data).status_code == 303
    return name, sum(values.values())


def test_self_score_is_signed_for_the_cell_by_its_secretary(app, client, login_as, held_meeting):
    secretary, total = _self_scored(app, client, login_as, held_meeting)
    printed = client.get(f"/meetings/{held_meeting}/print/score-sheet").get_data(as_text=True)
    assert f"đồng chí {secretary}, Bí thư chi bộ" in printed
    signature = printed[printed.index('class="signatures"') :]
    assert "T/M CHI BỘ" in signature and "BÍ THƯ" in signature and secretary in signature
    assert "NGƯỜI CHẤM" not in printed
    assert vn_number(total) in printed and not DOT_DECIMAL.search(printed)
    notes = re.findall(r'<td class="note">(.*?)</td>', printed)
    assert "Theo sổ biên bản" in notes and not any(n.startswith(";") for n in notes)
    assert any("; Theo sổ biên bản" in n for n in notes)  # a recorded fact, then the reason


def _cadre_sheet(app, world):
    with app.app_context():
        sheet = db.session.scalars(
            select(ScoreSheet)
            .join(Meeting, ScoreSheet.meeting_id == Meeting.id)
            .where(Meeting.cell_id == world["cell"], ScoreSheet.scorer_kind == "in_charge")
            .order_by(ScoreSheet.id)
        ).first()
        meeting = db.session.get(Meeting, sheet.meeting_id)
        level = db.session.scalar(
            select(SupervisionAssignment.level).where(
                SupervisionAssignment.user_id == sheet.scorer_id, SupervisionAssignment.cell_id == world["cell"]
            )
        )
        return sheet.id, meeting.id, db.session.get(User, sheet.scorer_id).full_name, CadreLevel(level).label


def test_cadre_sheet_is_signed_by_the_cadre_with_name_and_position(app, client, login_as, world):
    sheet_id, meeting_id, cadre, position = _cadre_sheet(app, world)
    login_as("xa")
    printed = client.get(f"/meetings/{meeting_id}/print/score-sheet?sheet={sheet_id}").get_data(as_text=True)
    assert f"đồng chí {cadre}, {position}" in printed
    signature = printed[printed.index('class="signatures"') :]
    assert "NGƯỜI CHẤM" in signature and cadre in signature and position in signature
    assert "T/M CHI BỘ" not in printed
    assert f"/meetings/{meeting_id}/print/score-sheet.pdf?sheet={sheet_id}" in printed
    compare = client.get(f"/meetings/{meeting_id}/scores").get_data(as_text=True)
    assert f"print/score-sheet?sheet={sheet_id}" in compare


def test_a_sheet_of_another_meeting_is_not_printed(client, login_as, world, held_meeting):
    sheet_id, _, _, _ = _cadre_sheet(client.application, world)
    login_as("xa")
    assert client.get(f"/meetings/{held_meeting}/print/score-sheet?sheet={sheet_id}").status_code == 404


def test_scores_on_screen_use_the_decimal_comma(app, client, login_as, world):
    _, meeting_id, _, _ = _cadre_sheet(app, world)
    login_as("xa")
    for url in (f"/meetings/{meeting_id}/scores", f"/meetings/{meeting_id}/print/score-sheet"):
        page = client.get(url).get_data(as_text=True)
        assert re.search(r"\d,\d", page) and not DOT_DECIMAL.search(page), url
    with app.app_context():
        on = db.session.get(Meeting, meeting_id).on
    report = client.get(f"/units/{world['commune']}/score-report?month={on.year}-{on.month}").get_data(as_text=True)
    assert re.search(r">\d+,\d<", report) and not DOT_DECIMAL.search(report)


def _report(client, unit_id, month="2026-3"):
    return client.get(f"/units/{unit_id}/score-report/print?month={month}").get_data(as_text=True)


def test_report_header_and_signature_name_the_same_committee(client, login_as, world):
    login_as("huyen")
    commune = _report(client, world["commune"])
    header = commune[commune.index('class="doc-header"') : commune.index("</table>")]
    assert "ĐẢNG BỘ HUYỆN HOA LƯ" in header and "ĐẢNG ỦY XÃ NINH HẢI" in header and "ĐẢNG BỘ XÃ" not in header
    assert "T/M ĐẢNG ỦY" in commune[commune.index('class="signatures"') :]
    district = _report(client, world["district"])
    header = district[district.index('class="doc-header"') : district.index("</table>")]
    assert "HUYỆN ỦY HOA LƯ" in header
    assert "T/M HUYỆN ỦY" in district[district.index('class="signatures"') :]


def test_report_title_keeps_month_and_year_on_one_line(app, client, login_as, world):
    from app.printing.pdf import html_to_pdf

    login_as("xa")
    html = _report(client, world["commune"], "2026-11")
    with open(app.static_folder + "/css/document.css", encoding="utf-8") as stylesheet:
        css = stylesheet.read()  # the page as served, its stylesheet inlined for the file:// render
    html = html.replace('<link rel="stylesheet"', f"<style>{css}</style><link")
    with app.app_context():
        text = PdfReader(io.BytesIO(html_to_pdf(html))).pages[0].extract_text()
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "2026" not in lines and "NĂM 2026" not in lines
    assert any("THÁNG 11 NĂM 2026" in line for line in lines)
