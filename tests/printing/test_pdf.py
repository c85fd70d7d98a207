"""The printed pages rendered to PDF by headless Chromium: A4, margins, the party
header, Vietnamese diacritics intact, no navigation chrome, signature block whole."""

import io
import unicodedata
from datetime import time

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.attendance import services as attendance
from app.extensions import db
from app.meetings.models import Meeting
from app.minutes import services as minutes_services
from app.minutes.models import Minutes
from app.org.queries import roster

MM = 72 / 25.4  # PDF points per millimetre


def squeeze(text: str) -> str:
    """pypdf spaces out combining marks; compare without whitespace, composed."""
    return unicodedata.normalize("NFC", "".join(text.split()))


def pdf_of(client, meeting_id, doc):
    response = client.get(f"/meetings/{meeting_id}/print/{doc}.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def placed_texts(page) -> list[tuple[str, float, float]]:
    """Each piece of text on the page with its x and y in points (origin bottom left)."""
    placed = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            placed.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return placed


def text_box(page):
    """The smallest and largest x and y where the page draws text."""
    placed = placed_texts(page)
    xs, ys = [x for _, x, _ in placed], [y for _, _, y in placed]
    return min(xs), max(xs), min(ys), max(ys)


@pytest.fixture()
def written_minutes(app, held_meeting):
    """Minutes with a chair, a minute taker, attendance and two speakers."""
    with app.test_request_context():
        meeting = db.session.get(Meeting, held_meeting)
        members = [r.member for r in roster(meeting.cell, meeting.on)]
        attendance.mark_all_present(None, meeting)
        minutes = minutes_services.open_minutes(None, meeting)
        meeting.chair_id, meeting.minute_taker_id = members[0].id, members[1].id
        meeting.started_at, meeting.ended_at = time(19, 30), time(21, 15)
        minutes.resolution = "Chi bộ thống nhất xây dựng đường giao thông nông thôn, vận động nhân dân hiến đất."
        for member in members:
            minutes_services.add_speaker(
                None, minutes.items[6], meeting, member, None, "Nhất trí với dự thảo nghị quyết."
            )
        db.session.commit()
        return held_meeting, members[0].full_name, members[1].full_name


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
