"""No printed page holds only the signature block or one line: each print's text is
grown a step at a time across a page end, and every render keeps at least two lines
of its text above the signatures on the last page."""

from datetime import date

import pytest

from app.extensions import db
from app.meetings import services as meeting_services
from app.meetings.queries import member_choices
from app.minutes.models import Minutes
from app.org import services as org_services
from app.org.models import OrgUnit, UnitKind
from app.self_examination import services as self_examination
from app.self_examination.models import SelfReview
from tests.printing.pdfs import BOTTOM_MARGIN, MM, lines_of, reader_of

BELOW_HINT = 25 * MM + 20  # the signing space and the name under "(Ký, ghi rõ họ tên)"


def _hint_y(reader) -> float:
    """The height of the "(Ký, ghi rõ họ tên)" line on the last page."""
    hints = [y for y, text in lines_of(reader.pages[-1]) if "(Ký" in text]
    assert hints, "the last page has no signature block"
    return max(hints)


def lonely_pages(reader) -> list[str]:
    """Pages with fewer than two lines, and a last page whose signature block has fewer
    than two lines of text above it (lines with small letters: not the titles)."""
    problems = [
        f"page {number}: {lines}" for number, page in enumerate(reader.pages, 1) if len(lines := lines_of(page)) < 2
    ]
    hint = _hint_y(reader)
    last = lines_of(reader.pages[-1])
    body = [text for y, text in last if y > hint + 1 and text != text.upper()]
    if len(body) < 2:
        problems.append(f"last page: {[text for _y, text in last]}")
    return problems


def across_a_page_end(render, grow) -> None:
    """Render with b and b + 4 steps of text to learn a step's height (b grows by 10
    while the signature block sits at the top of a page, where the steps don't move
    it), start a little before the signature block would reach the page end, and grow
    until the print takes one more page; every render along the way must pass
    `lonely_pages`."""
    for base in (0, 10, 20, 30):
        grow(base)
        first = render()
        grow(base + 4)
        reader = render()
        step = (_hint_y(first) - _hint_y(reader)) / 4
        if len(first.pages) == len(reader.pages) and step > 0:
            break
    else:
        pytest.fail("the steps never moved the signature block")
    room = _hint_y(reader) - BOTTOM_MARGIN - BELOW_HINT
    pages = len(reader.pages)
    start = base + 4 + max(0, int(room / step) - 2)
    for steps in range(start, start + 8):
        grow(steps)
        reader = render()
        assert lonely_pages(reader) == [], f"{steps} steps"
        if len(reader.pages) > pages:
            assert steps > start, "started past the page end: start earlier"
            return
    pytest.fail("the signature block never reached the page end")


def _set_minutes_lines(app, meeting_id):
    def grow(count):
        with app.app_context():
            minutes = db.session.query(Minutes).filter_by(meeting_id=meeting_id).one()
            minutes.resolution = "\n".join(["Chi bộ thống nhất."] + ["Dòng thêm của nghị quyết."] * count)
            db.session.commit()

    return grow


@pytest.mark.parametrize("doc", ["minutes", "extract"])
def test_minutes_and_extract(app, client, login_as, written_minutes, doc):
    meeting_id, *_ = written_minutes
    login_as("xa")
    across_a_page_end(
        lambda: reader_of(client.get(f"/meetings/{meeting_id}/print/{doc}.pdf")), _set_minutes_lines(app, meeting_id)
    )


def test_self_review(app, client, login_as, cell):
    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        meeting = meeting_services.schedule_meeting(
            None, unit, kind="thematic", planned_on=date.today(), topic="Tự soi, tự sửa"
        )
        examination = self_examination.start(None, meeting)
        member_id = member_choices(unit, date.today())[0][0]
        review = SelfReview(examination_id=examination.id, member_id=member_id, self_text="Còn ngại va chạm.")
        db.session.add(review)
        db.session.commit()
        examination_id, review_id = examination.id, review.id

    def grow(count):
        with app.app_context():
            db.session.get(SelfReview, review_id).correction_plan = "\n".join(["Góp ý thẳng thắn."] * (count + 1))
            db.session.commit()

    login_as("xa")
    address = f"/self-examinations/{examination_id}/members/{member_id}/print"
    across_a_page_end(lambda: reader_of(client.post(address, data={"format": "pdf"})), grow)


def test_year_review_rows_and_total(app, client, login_as, cell):
    """Rows are members; the table ends with the total line, then the signatures."""
    year = date.today().year

    def grow(count):
        with app.app_context():
            unit = db.session.get(OrgUnit, cell)
            have = len(member_choices(unit, date.today()))
            for number in range(have, count + 2):
                org_services.add_member(
                    None,
                    unit,
                    {
                        "full_name": f"Lê Văn Thứ {number:02d}",
                        "gender": "male",
                        "joined_on": date(2010, 1, 1),
                        "official_on": date(2011, 1, 1),
                    },
                    from_on=date(2020, 1, 1),
                )
            db.session.commit()

    login_as("xa")
    address = f"/cells/{cell}/year-review/{year}/print"
    across_a_page_end(lambda: reader_of(client.post(address, data={"format": "pdf"})), grow)


def test_monthly_score_report_rows(app, client, login_as, world):
    """Rows are the commune's cells, the last row and the report's end stay with the
    signatures."""
    with app.app_context():
        district = db.session.get(OrgUnit, world["district"])
        commune = org_services.create_unit(
            None, district, kind=UnitKind.commune, name="Xã Thử Ngắt Trang", valid_from=date(2020, 1, 1)
        )
        db.session.commit()
        commune_id = commune.id

    def grow(count):
        with app.app_context():
            commune = db.session.get(OrgUnit, commune_id)
            have = db.session.query(OrgUnit).filter_by(parent_id=commune_id).count()
            for number in range(have, count + 1):
                org_services.create_unit(
                    None,
                    commune,
                    kind=UnitKind.cell,
                    name=f"Chi bộ thôn Ngắt Trang {number:02d}",
                    cell_type="residential",
                    valid_from=date(2020, 1, 1),
                )
            db.session.commit()

    login_as("huyen")
    address = f"/units/{commune_id}/score-report/print.pdf"
    across_a_page_end(lambda: reader_of(client.get(address)), grow)
