"""Uploaded documents (issue 12, V5 and V11): zip containers are measured from their
central directory before anything is read, the type comes from the bytes, an upload
whose name says another type is refused, and a download gets a generated name."""

import io
import os
import time
import tracemalloc
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import select

from app.extensions import db
from app.files import MAX_UPLOAD_BYTES, ArchiveRefused, open_archive
from app.meetings.documents import detect_kind, download_name
from app.meetings.models import Document, DocumentKind
from tests.meetings.test_meeting_views import _new_meeting
from tests.uploads import DOCM_MAIN, DOCX_MAIN, POLYGLOT, docx, many_entries, odt, xlsx, zip_bomb

RLO = "\u202e"
# The main part's type spelled through an entity: the standard library's parser would
# expand it (and would expand a billion laughs the same way); defusedxml refuses it.
ENTITY_TYPES = (
    b'<?xml version="1.0"?><!DOCTYPE Types [<!ENTITY main "%s">]>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/word/document.xml" ContentType="&main;"/></Types>'
) % DOCX_MAIN


# Service level ---------------------------------------------------------------


@pytest.mark.parametrize(
    "data, kind",
    [
        (docx(), DocumentKind.docx),
        (xlsx(3), DocumentKind.xlsx),
        (odt(), DocumentKind.odt),
        (POLYGLOT, DocumentKind.png),
        (docx(DOCM_MAIN), None),  # a macro-enabled document is not a DOCX
        (b"PK\x03\x04" + bytes(26) + b"PK\x05\x06" + bytes(18), None),  # a zip with no entries
    ],
)
def test_real_office_containers_are_recognised_by_their_structure(data, kind):
    assert detect_kind(data) == kind


def test_a_zip_bomb_is_refused_from_its_central_directory_without_inflating_it():
    bomb = zip_bomb()
    assert len(bomb) < 400 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveRefused, match="giải nén"):
            detect_kind(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024, peak


def test_a_bomb_in_the_one_member_detection_reads_is_refused_too():
    # The ODT check reads `mimetype`: a 300 MB one took the worker to 510 MB (V5).
    with pytest.raises(ArchiveRefused):
        detect_kind(zip_bomb("mimetype", 300))


def test_entry_count_and_size_limits_come_before_reading():
    with pytest.raises(ArchiveRefused, match="2.000 tệp"):
        open_archive(many_entries(2001), max_entries=2000, max_unzipped=100 << 20)
    with pytest.raises(ArchiveRefused, match="10 MB"):
        open_archive(zip_bomb(megabytes=11), max_entries=2000, max_unzipped=10 << 20)
    assert open_archive(docx(), max_entries=2000, max_unzipped=1 << 20).namelist()


def test_office_xml_is_parsed_with_entities_forbidden():
    from xml.etree.ElementTree import fromstring

    assert fromstring(ENTITY_TYPES)[0].get("ContentType") == DOCX_MAIN.decode()  # what a plain parser does
    assert detect_kind(docx(types=ENTITY_TYPES)) is None


@pytest.mark.parametrize(
    "title, kind, name",
    [
        ("Nghị quyết tháng 3/2026", DocumentKind.pdf, "Nghị-quyết-tháng-3-2026.pdf"),
        (f"hoa-don{RLO}fdp.exe", DocumentKind.png, "hoa-donfdp-exe.png"),
        ("../../etc/passwd", DocumentKind.docx, "etc-passwd.docx"),
        ("<script>", DocumentKind.jpeg, "script.jpg"),
        ("  ", DocumentKind.odt, "tai-lieu.odt"),
        ("A" * 300, DocumentKind.pdf, "A" * 80 + ".pdf"),
    ],
)
def test_download_names_are_generated_from_the_title_and_the_detected_type(title, kind, name):
    assert download_name(title, kind) == name


# Views -----------------------------------------------------------------------


def _upload(client, meeting_id, data: bytes, name: str, title: str = "Tài liệu", follow=True):
    return client.post(
        f"/meetings/{meeting_id}/documents",
        data={"file": (io.BytesIO(data), name), "title": title},
        content_type="multipart/form-data",
        follow_redirects=follow,
    )


def _documents(app, meeting_id):
    with app.app_context():
        return db.session.scalars(select(Document).where(Document.meeting_id == meeting_id)).all()


def test_a_zip_bomb_uploaded_as_docx_is_refused_and_nothing_is_stored(app, client, login_as, cell):
    login_as("xa")
    meeting_id = _new_meeting(client, cell)
    before = set(os.listdir(Path(app.instance_path) / "documents"))
    started = time.monotonic()
    response = _upload(client, meeting_id, zip_bomb(), "bien-ban.docx")
    assert time.monotonic() - started < 5
    assert "quá lớn khi giải nén" in response.get_data(as_text=True)
    assert _documents(app, meeting_id) == []
    assert set(os.listdir(Path(app.instance_path) / "documents")) == before


def test_a_polyglot_is_served_as_a_png_attachment_under_a_generated_name(app, client, login_as, cell):
    login_as("xa")
    meeting_id = _new_meeting(client, cell)
    refused = _upload(client, meeting_id, POLYGLOT, "trang.html", title="Ảnh hội nghị")
    assert "không khớp" in refused.get_data(as_text=True) and ".html" in refused.get_data(as_text=True)
    assert _documents(app, meeting_id) == []

    _upload(client, meeting_id, POLYGLOT, "anh.png", title="Ảnh hội nghị.html")
    (document,) = _documents(app, meeting_id)
    download = client.get(f"/documents/{document.id}")
    assert download.status_code == 200 and download.data == POLYGLOT
    assert download.headers["Content-Type"] == "image/png"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Anh-hoi-nghi-html.png"' in disposition
    assert "filename*=UTF-8''" + quote("Ảnh-hội-nghị-html.png") in disposition
    assert ".html" not in disposition.replace("-html", "")


def test_a_right_to_left_override_cannot_hide_the_extension(app, client, login_as, cell):
    login_as("xa")
    meeting_id = _new_meeting(client, cell)
    name = f"bao-cao{RLO}gnp.exe"  # shows as "bao-caoexe.png"
    refused = _upload(client, meeting_id, POLYGLOT, name, title="")
    assert "không khớp" in refused.get_data(as_text=True)
    _upload(client, meeting_id, POLYGLOT, f"anh{RLO}.png", title="")
    (document,) = _documents(app, meeting_id)
    assert RLO not in document.filename and RLO not in document.title
    disposition = client.get(f"/documents/{document.id}").headers["Content-Disposition"]
    assert RLO not in disposition and "%E2%80%AE" not in disposition
    assert disposition.endswith(".png")
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert RLO not in page


def test_a_document_named_for_its_own_type_is_accepted_jpg_or_jpeg(app, client, login_as, cell):
    login_as("xa")
    meeting_id = _new_meeting(client, cell)
    for name in ("bien-ban.DOCX", "khong-duoi"):
        assert "Đã tải lên tài liệu." in _upload(client, meeting_id, docx(), name).get_data(as_text=True)
    assert [d.kind for d in _documents(app, meeting_id)] == ["docx", "docx"]


def test_one_size_limit_of_20_mb(app, client, login_as, cell):
    login_as("xa")
    meeting_id = _new_meeting(client, cell)
    assert MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    exactly = b"%PDF-1.4\n" + b"0" * (MAX_UPLOAD_BYTES - 9)
    accepted = _upload(client, meeting_id, exactly, "lon.pdf")
    assert "Đã tải lên tài liệu." in accepted.get_data(as_text=True)
    (document,) = _documents(app, meeting_id)
    assert document.size == MAX_UPLOAD_BYTES
    (Path(app.instance_path) / "documents" / document.stored_name).unlink()

    over = _upload(client, meeting_id, exactly + b"0", "lon.pdf")
    assert "Tệp lớn hơn 20 MB." in over.get_data(as_text=True)
    assert len(_documents(app, meeting_id)) == 1

    far_over = _upload(client, meeting_id, exactly * 2, "lon.pdf", follow=False)
    assert far_over.status_code == 413
    assert "vượt quá giới hạn 20 MB" in far_over.get_data(as_text=True)
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "tối đa 20 MB" in page
