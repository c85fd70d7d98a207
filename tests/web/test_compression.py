"""Compressed responses and long-cached static files (issue 13): pages, htmx fragments
and static text files in brotli or gzip as the browser asks, never without asking;
static URLs carry the file's content hash and are cached for a year; downloads (PDF,
XLSX, uploaded documents) go out exactly as they are."""

import gzip
import io
import re
from datetime import date

import brotli
from flask import url_for

from app.web.assets import IMMUTABLE, read_assets

HX = {"HX-Request": "true"}
PADDED_PDF = b"%PDF-1.4\n%" + b"Bien ban hop chi bo. " * 2000 + b"\ntrailer<<>>\n%%EOF"


def decoded(response) -> bytes:
    body = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding is None, encoding
    return body


def test_a_page_is_compressed_as_the_browser_asks_and_not_without(client, login_as, world):
    login_as("xa")
    page = f"/units/{world['commune']}"
    plain = client.get(page)
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"] and "HX-Request" in plain.headers["Vary"]
    for asked, sent in (("gzip", "gzip"), ("gzip, deflate, br, zstd", "br"), ("br;q=0.5, gzip", "gzip")):
        response = client.get(page, headers={"Accept-Encoding": asked})
        assert response.headers["Content-Encoding"] == sent
        assert int(response.headers["Content-Length"]) == len(response.get_data()) < len(plain.get_data()) / 2
        assert decoded(response).decode().count("</html>") == 1
        assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Encoding" not in client.get(page, headers={"Accept-Encoding": "identity"}).headers


def test_an_htmx_fragment_is_compressed_and_carries_no_token_beside_the_text_typed(app, client, login_as):
    """BREACH needs a secret beside text the attacker chose: the search fragment, which
    repeats what was typed, carries no CSRF token (README, "Compressed responses")."""
    login_as("xa")
    typed = "Nguyễn"
    response = client.post("/members/search", data={"q": typed}, headers=HX | {"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    fragment = decoded(response).decode()
    assert typed in fragment and "<html" not in fragment
    with client.session_transaction() as session:
        raw_token = session.get("csrf_token")
    assert "csrf" not in fragment.lower() and (raw_token is None or raw_token not in fragment)


def test_static_urls_carry_the_content_hash_and_are_cached_for_a_year(app, client):
    with app.test_request_context():
        url = url_for("static", filename="css/app.css")
    with open(app.static_folder + "/css/app.css", "rb") as file:
        source = file.read()
    assert re.fullmatch(r"/static/css/app\.css\?v=[0-9a-f]{12}", url)
    login_page = client.get("/login").get_data(as_text=True)
    assert f'href="{url}"' in login_page and "htmx.min.js?v=" in login_page and "app.js?v=" in login_page
    for asked, sent in (("br, gzip", "br"), ("gzip", "gzip"), ("", None)):
        response = client.get(url, headers={"Accept-Encoding": asked})
        assert response.status_code == 200 and response.headers.get("Content-Encoding") == sent
        assert decoded(response) == source
        assert response.headers["Cache-Control"] == IMMUTABLE == "public, max-age=31536000, immutable"
        assert response.mimetype == "text/css" and response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Accept-Encoding" in response.headers["Vary"]
    revalidated = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": response.headers["ETag"]})
    assert revalidated.status_code == 200  # the ETag of the identity body does not match the brotli one
    same = client.get(url, headers={"Accept-Encoding": "br"})
    assert client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": same.headers["ETag"]}).status_code == 304


def test_unhashed_or_stale_static_urls_are_revalidated(app, client):
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
    assert client.get("/static/khong-co.css").status_code == 404
    assert client.get("/static/../config.py").status_code == 404


def test_a_signed_in_users_static_files_do_not_vary_with_the_cookie(app, client, login_as):
    """Each request renews the session cookie: with `Vary: Cookie` a browser would fetch
    the static files again on every page."""
    login_as("xa")
    client.get("/")
    with app.test_request_context():
        url = url_for("static", filename="vendor/htmx.min.js")
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert "Cookie" not in response.headers["Vary"] and "Set-Cookie" not in response.headers
    assert "Cookie" in client.get("/").headers["Vary"]  # pages still do


def test_changing_a_file_changes_its_url(app, tmp_path):
    (tmp_path / "css").mkdir()
    stylesheet = tmp_path / "css" / "app.css"
    stylesheet.write_text("body { color: black; }")
    (tmp_path / "favicon.svg").write_text("<svg/>")
    before = read_assets(str(tmp_path))
    stylesheet.write_text("body { color: navy; }")
    after = read_assets(str(tmp_path))
    assert before["css/app.css"].version != after["css/app.css"].version
    assert before["favicon.svg"].version == after["favicon.svg"].version
    real = app.extensions["static_assets"]
    try:
        for assets in (before, after):
            app.extensions["static_assets"] = assets
            with app.test_request_context():
                url = url_for("static", filename="css/app.css")
            assert url == f"/static/css/app.css?v={assets['css/app.css'].version}"
    finally:
        app.extensions["static_assets"] = real


def test_downloads_go_out_as_they_are_even_when_compression_is_asked(app, client, login_as, world, cell, monkeypatch):
    login_as("xa")
    asked = {"Accept-Encoding": "gzip, deflate, br"}
    today = date.today()
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    sheet = client.get(f"/units/{world['commune']}/score-report.xlsx?month={year}-{month}", headers=asked)
    assert sheet.status_code == 200 and sheet.data[:2] == b"PK"
    monkeypatch.setattr("app.printing.pdf.html_to_pdf", lambda html: PADDED_PDF)
    printed = client.get(f"/units/{world['commune']}/score-report/print.pdf?month={year}-{month}", headers=asked)
    assert printed.status_code == 200 and printed.data == PADDED_PDF
    meeting = client.post(
        f"/cells/{cell}/meetings/new",
        data={"kind": "regular", "planned_on": f"{today.year + 1}-05-05", "place": "Nhà văn hóa"},
    )
    meeting_id = int(meeting.headers["Location"].rsplit("/", 1)[1])
    upload = {"file": (io.BytesIO(PADDED_PDF), "bien-ban.pdf"), "title": "Biên bản"}
    uploaded = client.post(f"/meetings/{meeting_id}/documents", data=upload, content_type="multipart/form-data")
    assert uploaded.status_code == 303
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    (document_url,) = set(re.findall(r'href="(/documents/\d+)"', page))
    document = client.get(document_url, headers=asked | {"Range": "bytes=0-99"})
    assert document.status_code == 206 and document.data == PADDED_PDF[:100]
    for response in (sheet, printed, document, client.get(document_url, headers=asked)):
        assert "Content-Encoding" not in response.headers
        assert response.headers["Content-Disposition"].startswith("attachment")
    assert client.get(document_url, headers=asked).data == PADDED_PDF
