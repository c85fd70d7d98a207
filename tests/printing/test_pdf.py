"""The printed pages rendered to PDF by headless Chromium: A4, margins, the party
header, Vietnamese diacritics intact, no navigation chrome, signature block whole."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.meetings.models import Meeting
from app.minutes import services as minutes_services
from app.minutes.models import Minutes
from tests.printing.pdfs import MM, pdf_of, placed_texts, squeeze


def text_box(page):
    """The smallest and largest x and y where the page draws text."""
    placed = placed_texts(page)
    xs, ys = [x for _, x, _ in placed], [y for _, _, y in placed]
    return min(xs), max(xs), min(ys), max(ys)


def test_minutes_pdf_is_a4_with_party_header_and_diacritics(client, login_as, written_minutes):
    meeting_id, chair, taker = written_minutes
    login_as("xa")
    reader = pdf_of(client, meeting_id, "minutes")
    first = reader.pages[0]
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    assert abs(width - 210 * MM) < 2 and abs(height - 297 * MM) < 2
    text = squeeze("".join(page.extract_text() for page in reader.pages))
    for expected in (
        "ĐẢNGCỘNGSẢNVIỆTNAM",
        "ĐẢNGBỘXÃNINHHẢI",
        "BIÊNBẢN",
        "SINHHOẠTCHIBỘTHƯỜNGKỲ",
        "NinhHải,ngày",
        "Nhấttrívớidựthảonghịquyết",
        squeeze(chair),
        squeeze(taker),
    ):
        assert expected in text, expected
    for chrome in ("Đăngxuất", "Vềcuộchọp", "TảiPDF", "Đơnvịcủatôi"):
        assert chrome not in text
    left, right, bottom, top = text_box(first)
    assert left >= 30 * MM - 1, "left margin 30 mm"
    assert top <= height - 20 * MM + 1, "top margin 20 mm"
    assert right <= width - 15 * MM, "right margin 15 mm"


def test_page_numbers_start_on_page_two(client, login_as, app, written_minutes):
    meeting_id, *_ = written_minutes
    login_as("xa")
    reader = pdf_of(client, meeting_id, "minutes")
    assert len(reader.pages) >= 2

    def in_bottom_margin(page):
        return [text for text, _x, y in placed_texts(page) if y < 20 * MM]

    assert in_bottom_margin(reader.pages[0]) == []
    assert in_bottom_margin(reader.pages[1]) == ["2"]


LINE = 14 * 1.35  # body size × line height, in points


def _set_resolution_lines(app, meeting_id, count):
    with app.test_request_context():
        minutes = db.session.scalars(select(Minutes).where(Minutes.meeting_id == meeting_id)).one()
        minutes.resolution = "\n".join(["Chi bộ thống nhất."] + ["Dòng thêm."] * count)
        db.session.commit()


def _signature_hint_position(reader):
    """(page index, y) of the first "(Ký, ghi rõ họ tên)" line: the top of the block."""
    for index, page in enumerate(reader.pages):
        found = [y for text, _x, y in placed_texts(page) if "Ký," in text]
        if found:
            return index, max(found)
    raise AssertionError("no signature block")


def test_signature_block_is_never_split(client, login_as, app, written_minutes):
    """Push the signatures to where a page ends: titles, hints and names stay together."""
    meeting_id, chair, taker = written_minutes
    login_as("xa")
    _set_resolution_lines(app, meeting_id, 0)
    _page, y = _signature_hint_position(pdf_of(client, meeting_id, "minutes"))
    # Lines that bring the block's middle (~60 pt below the hint) onto the bottom margin.
    straddle = max(0, round((y - 20 * MM - 60) / LINE))
    block = "THƯKÝ(Ký,ghirõhọtên)" + squeeze(taker) + "CHỦTRÌ(Ký,ghirõhọtên)" + squeeze(chair)
    for lines in (straddle - 1, straddle, straddle + 1):
        _set_resolution_lines(app, meeting_id, lines)
        pages = [squeeze(p.extract_text()) for p in pdf_of(client, meeting_id, "minutes").pages]
        assert sum("THƯKÝ" in p for p in pages) == 1
        assert any(block in p for p in pages), f"signature block split with {lines} extra lines"


@pytest.mark.parametrize(
    "doc, title", [("agenda", "CHƯƠNGTRÌNH"), ("sign-in", "DANHSÁCHĐẢNGVIÊNDỰSINHHOẠT"), ("extract", "TRÍCHBIÊNBẢN")]
)
def test_other_documents_render(client, login_as, written_minutes, doc, title):
    meeting_id, *_ = written_minutes
    login_as("xa")
    reader = pdf_of(client, meeting_id, doc)
    text = squeeze(reader.pages[0].extract_text())
    assert title in text and "ĐẢNGCỘNGSẢNVIỆTNAM" in text


def test_erratum_prints_with_adopted_minutes(client, login_as, app, written_minutes):
    meeting_id, *_ = written_minutes
    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting_id)
        minutes = db.session.scalars(select(Minutes).where(Minutes.meeting_id == meeting_id)).one()
        minutes.votes_for, minutes.votes_against, minutes.votes_other = 2, 0, 0
        minutes_services.adopt(None, minutes, meeting)
        minutes_services.add_erratum(None, minutes, meeting, "Sửa tên người phát biểu thứ hai.")
        db.session.commit()
    login_as("xa")
    text = squeeze("".join(p.extract_text() for p in pdf_of(client, meeting_id, "minutes").pages))
    assert "ĐÍNHCHÍNH" in text and "Sửatênngườiphátbiểuthứhai" in text and "DỰTHẢO" not in text


def test_a_boosted_click_on_a_print_link_loads_the_document_as_a_whole_page(client, login_as, written_minutes):
    """htmx merges no <head>: swapped into the app page, the print would lose its stylesheet."""
    meeting_id, *_ = written_minutes
    login_as("xa")
    url = f"/meetings/{meeting_id}/print/agenda"
    boosted = client.get(url, headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert boosted.headers["HX-Redirect"] == url
    assert "HX-Redirect" not in client.get(url).headers
    assert (
        "HX-Redirect"
        not in client.get(f"/meetings/{meeting_id}", headers={"HX-Request": "true", "HX-Boosted": "true"}).headers
    )
