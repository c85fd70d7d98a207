"""Every print, through its own "Tải PDF", comes out in one serif family: Liberation
Serif 2 or Tinos, with no glyph falling back to another font and no synthetic bold or
italic. Debian's fonts-liberation 1.07 lacks the Vietnamese letters with a hook or a dot
below (ạ ả ệ ữ…): with it 8–16 % of the characters came out in DejaVu Sans."""

import html
import re
from pathlib import Path

import pytest
from flask import template_rendered
from sqlalchemy import select

from app.extensions import db
from app.meetings.models import Meeting
from app.minutes.models import Minutes, MinutesItem
from app.scoring.models import MeetingGrade
from app.self_examination.models import SelfReview
from app.year_review.models import YearReview
from tests.printing.pdfs import foreign_fonts, lines_of, reader_of, squeeze

LOWER = "aàảãáạ ăằẳẵắặ âầẩẫấậ bcdđ eèẻẽéẹ êềểễếệ ghiìỉĩíị klmn oòỏõóọ ôồổỗốộ ơờởỡớợ pqrst uùủũúụ ưừửữứự vx yỳỷỹýỵ"
ALPHABET = f"{LOWER} {LOWER.upper()}"  # in short words: a long one would run past the margin
TEMPLATES = Path(__file__).parents[2] / "app" / "templates"


@pytest.fixture(scope="module")
def demo(app, world):
    """The demo's printable records: an adopted, graded meeting with an item that says
    something, a “tự soi, tự sửa” session with a written self-review, a year review."""
    with app.app_context():
        meeting = db.session.scalars(
            select(Meeting)
            .join(MeetingGrade, MeetingGrade.meeting_id == Meeting.id)
            .where(Meeting.cell_id == world["cell"], Meeting.status == "adopted", MeetingGrade.sheet_id.is_not(None))
            .order_by(Meeting.held_on.desc())
        ).first()
        item = db.session.scalars(
            select(MinutesItem)
            .join(Minutes, Minutes.id == MinutesItem.minutes_id)
            .where(Minutes.meeting_id == meeting.id, MinutesItem.content.is_not(None))
            .order_by(MinutesItem.position)
        ).first()
        review = db.session.scalars(select(SelfReview).order_by(SelfReview.id)).first()
        year = db.session.scalars(select(YearReview).order_by(YearReview.id)).first()
        return {
            "meeting": meeting.id,
            "month": f"{meeting.on.year}-{meeting.on.month}",
            "item": item.id,
            "examination": review.examination_id,
            "member": review.member_id,
            "year_cell": year.cell_id,
            "year": year.year,
        }


# (what, who opens it, method, address)
PRINTS = [
    ("biên bản gửi cấp trên", "xa", "GET", "/meetings/{meeting}/print/minutes"),
    ("biên bản lưu chi bộ", "xa", "POST", "/meetings/{meeting}/print/minutes/cell-copy"),
    ("chương trình", "xa", "GET", "/meetings/{meeting}/print/agenda"),
    ("danh sách ký", "xa", "GET", "/meetings/{meeting}/print/sign-in"),
    ("trích biên bản", "xa", "GET", "/meetings/{meeting}/print/extract"),
    ("trích một nội dung", "xa", "GET", "/meetings/{meeting}/print/extract?item={item}"),
    ("phiếu chấm điểm", "xa", "GET", "/meetings/{meeting}/print/score-sheet"),
    ("tổng hợp chấm điểm của xã", "xa", "GET", "/units/{commune}/score-report/print?month={month}"),
    ("tổng hợp chấm điểm của huyện", "huyen", "GET", "/units/{district}/score-report/print?month={month}"),
    ("tổng hợp tự soi, tự sửa", "xa", "POST", "/self-examinations/{examination}/print"),
    ("bản tự kiểm điểm", "xa", "POST", "/self-examinations/{examination}/members/{member}/print"),
    ("tổng hợp kiểm điểm năm", "xa", "POST", "/cells/{year_cell}/year-review/{year}/print"),
]


def open_print(client, method: str, url: str) -> str:
    response = client.open(url, method=method)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.get_data(as_text=True)


def pdf_behind(client, page: str):
    """Follow the page's "Tải PDF": a link, or a form posting format=pdf."""
    toolbar = re.search(r'<nav class="print-toolbar".*?</nav>', page, re.S)
    assert toolbar and "Tải PDF" in toolbar.group(0), "no Tải PDF on the print"
    toolbar = toolbar.group(0)
    if form := re.search(r'<form method="post" action="([^"]+)"', toolbar):
        assert 'name="format" value="pdf"' in toolbar
        response = client.post(html.unescape(form.group(1)), data={"format": "pdf"})
        assert response.headers["Cache-Control"].startswith("no-store")
    else:
        link = re.search(r'<a href="([^"]+)">Tải PDF</a>', toolbar)
        response = client.get(html.unescape(link.group(1)))
    return reader_of(response)


@pytest.mark.parametrize("what, user, method, address", PRINTS, ids=[p[0] for p in PRINTS])
def test_every_print_has_its_pdf_in_one_serif_family(client, login_as, world, demo, what, user, method, address):
    login_as(user)
    page = open_print(client, method, address.format(**world, **demo))
    reader = pdf_behind(client, page)
    assert "ĐẢNGCỘNGSẢNVIỆTNAM" in squeeze(reader.pages[0].extract_text()), what
    assert foreign_fonts(reader) == []
    # Titles wrap evenly: "…THÁNG 11 NĂM" over a lone "2026" was the score report's.
    assert [text for _y, text in lines_of(reader.pages[0]) if re.fullmatch(r"(NĂM )?\d{4}", text)] == []


def test_every_vietnamese_letter_in_regular_bold_and_italic(app, client, login_as, written_minutes):
    """An item whose title (bold), presenter (italic), content and conclusion, and a
    resolution, spell every Vietnamese letter in both cases."""
    meeting_id, *_ = written_minutes
    with app.app_context():
        minutes = db.session.scalars(select(Minutes).where(Minutes.meeting_id == meeting_id)).one()
        item, second = minutes.items[0], minutes.items[1]
        item.title, item.content, item.conclusion = (ALPHABET,) * 3
        # A presenter holds 200 characters: each case in an item of its own.
        item.presenter, second.presenter, second.content = LOWER, LOWER.upper(), LOWER
        minutes.resolution = ALPHABET
        db.session.commit()
        item_id = item.id
    login_as("xa")
    for address in (f"/meetings/{meeting_id}/print/minutes", f"/meetings/{meeting_id}/print/extract?item={item_id}"):
        reader = pdf_behind(client, open_print(client, "GET", address))
        assert squeeze(LOWER.upper()) in squeeze("".join(p.extract_text() for p in reader.pages))
        assert foreign_fonts(reader) == [], address


def test_the_list_covers_every_print_template(app, client, login_as, world, demo):
    """A new print (a template on printing/base.html) must join PRINTS above."""
    printed = set()

    def seen(sender, template, context, **extra):
        printed.add(template.name)

    template_rendered.connect(seen, app)
    try:
        for _what, user, method, address in PRINTS:
            login_as(user)
            open_print(client, method, address.format(**world, **demo))
    finally:
        template_rendered.disconnect(seen, app)
    prints = {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if '{% extends "printing/base.html" %}' in path.read_text(encoding="utf-8")
    }
    assert prints - printed == set()
