"""Reading the PDFs the print pages render to: text with its position, the fonts each
page draws with, and the lines of a page."""

import io
import re
import unicodedata

from pypdf import PdfReader

MM = 72 / 25.4  # PDF points per millimetre
BOTTOM_MARGIN = 20 * MM

# Liberation Serif 2 or Tinos (both metric-compatible with Times New Roman), in the four
# styles; PDF names carry a subset prefix ("BAAAAA+") that is not part of the family.
ONE_FAMILY = re.compile(r"(LiberationSerif|Tinos)(-(Bold|Italic|BoldItalic))?")


def squeeze(text: str) -> str:
    """pypdf spaces out combining marks; compare without whitespace, composed."""
    return unicodedata.normalize("NFC", "".join(text.split()))


def reader_of(response) -> PdfReader:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def pdf_of(client, meeting_id, doc):
    return reader_of(client.get(f"/meetings/{meeting_id}/print/{doc}.pdf"))


def placed_texts(page) -> list[tuple[str, float, float]]:
    """Each piece of text on the page with its x and y in points (origin bottom left)."""
    placed = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            placed.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return placed


def lines_of(page) -> list[tuple[float, str]]:
    """The page's lines of text, top to bottom, as (y, text); the page number in the
    bottom margin left out."""
    lines: dict[float, str] = {}
    for text, _x, y in sorted(placed_texts(page), key=lambda p: (-p[2], p[1])):
        if y < BOTTOM_MARGIN:
            continue
        key = next((k for k in lines if abs(k - y) < 3), y)
        lines[key] = lines.get(key, "") + text
    return sorted(lines.items(), reverse=True)


def font_names(reader) -> set[str]:
    """Every font the pages draw with (their XObjects included), subset prefix removed.
    Chromium draws glyphs it cannot embed, and a bold it synthesises, as a Type 3 font."""
    found = set()

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            if font.get("/Subtype") == "/Type3":
                found.add("Type3 (synthetic bold)")
            else:
                found.add(str(font.get("/BaseFont")).lstrip("/").split("+", 1)[-1])
        for xobject in (resources.get("/XObject") or {}).values():
            walk(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    return found


def slanted_text(reader) -> str:
    """Text drawn with a sheared matrix: the italic Chromium synthesises for a font
    without an italic of its own."""
    slanted = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip() and (abs(tm[1]) > 1e-6 or abs(tm[2]) > 1e-6):
            slanted.append(text.strip())

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return " ".join(slanted)


def foreign_fonts(reader) -> list[str]:
    """What breaks "every glyph in one serif family": other fonts, synthetic styles."""
    problems = sorted(name for name in font_names(reader) if not ONE_FAMILY.fullmatch(name))
    if slanted := slanted_text(reader):
        problems.append(f"synthetic italic: {slanted[:80]}")
    return problems
