"""Meeting documents: the file type is decided by the bytes, never by the name or the
browser's word; an upload whose name says another type is refused; files live under
instance/documents/ with random names (0600 in a 0700 folder) and are downloaded
under a name made from the title and the detected type."""

import hashlib
import os
import re
import secrets
import unicodedata
import zipfile
from datetime import datetime, timedelta
from urllib.parse import quote

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from flask import current_app

from app.audit.services import record
from app.extensions import db
from app.files import MAX_UPLOAD_BYTES, ArchiveRefused, open_archive, private_dir, read_member, write_private
from app.meetings.models import AgendaItem, Document, DocumentKind, Meeting
from app.rules import RuleError

MAX_DOCUMENT_BYTES = MAX_UPLOAD_BYTES
# A meeting's DOCX/XLSX/ODT: far below these even with pictures; a zip bomb far above.
ARCHIVE_ENTRIES = 2000
ARCHIVE_UNZIPPED = 100 * 1024 * 1024
SMALL_PART = 1024 * 1024  # [Content_Types].xml, mimetype
MEDIA_TYPES = {
    DocumentKind.pdf: "application/pdf",
    DocumentKind.docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentKind.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DocumentKind.odt: "application/vnd.oasis.opendocument.text",
    DocumentKind.png: "image/png",
    DocumentKind.jpeg: "image/jpeg",
}
EXTENSIONS = {
    DocumentKind.pdf: "pdf",
    DocumentKind.docx: "docx",
    DocumentKind.xlsx: "xlsx",
    DocumentKind.odt: "odt",
    DocumentKind.png: "png",
    DocumentKind.jpeg: "jpg",
}
# Names an uploaded file of each type may end with.
NAME_EXTENSIONS = {kind: {ext} for kind, ext in EXTENSIONS.items()} | {DocumentKind.jpeg: {"jpg", "jpeg"}}
# The main part of an Office Open XML package, by its declared content type (macro
# variants such as .docm have other types and are not accepted).
OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DocumentKind.docx,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": DocumentKind.xlsx,
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def detect_kind(data: bytes) -> DocumentKind | None:
    """What the file really is, from its content. A zip container is measured from its
    central directory before any part of it is read (ArchiveRefused when too big)."""
    if data.startswith(b"%PDF-"):
        return DocumentKind.pdf
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return DocumentKind.png
    if data.startswith(b"\xff\xd8\xff"):
        return DocumentKind.jpeg
    if data.startswith(b"PK\x03\x04"):
        try:
            with open_archive(data, ARCHIVE_ENTRIES, ARCHIVE_UNZIPPED) as archive:
                return _office_kind(archive)
        except ArchiveRefused:
            raise
        except (zipfile.BadZipFile, KeyError, ParseError, DefusedXmlException, ValueError):
            return None  # a damaged container, or XML with entities (defusedxml refuses them)
    return None


def _office_kind(archive: zipfile.ZipFile) -> DocumentKind | None:
    order = archive.namelist()
    names = set(order)
    if order[:1] == ["mimetype"] and "content.xml" in names:
        return DocumentKind.odt if read_member(archive, "mimetype", SMALL_PART).strip() == ODT_MIMETYPE else None
    if "[Content_Types].xml" not in names:
        return None
    types = fromstring(read_member(archive, "[Content_Types].xml", SMALL_PART))  # defusedxml: no entities
    for override in types.iter(f"{CONTENT_TYPES_NS}Override"):
        kind = OOXML_MAIN.get(override.get("ContentType", ""))
        if kind and override.get("PartName", "").lstrip("/") in names:
            return kind
    return None


def _visible(text: str) -> str:
    """Text without control or format characters (a right-to-left override hides an
    extension: "anh\u202egnp.exe" shows as "anhexe.png")."""
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf"))


def download_name(title: str, kind: DocumentKind) -> str:
    """The name a download gets: the title's words joined by hyphens (letters of any
    script kept, everything else dropped) and the extension of the detected type."""
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFC", _visible(title)))
    stem = "-".join(words)[:80].strip("-") or "tai-lieu"
    return f"{stem}.{EXTENSIONS[DocumentKind(kind)]}"


def attachment(name: str) -> str:
    """Content-Disposition of a download: an ASCII name for old clients and the
    UTF-8 one (RFC 5987 `filename*`) for the others."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode()
    if ascii_name.startswith("."):  # a title in another script
        ascii_name = "tai-lieu" + ascii_name
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def storage_dir() -> str:
    return str(private_dir(os.path.join(current_app.instance_path, "documents")))


def stored_path(document: Document) -> str:
    return os.path.join(storage_dir(), document.stored_name)


def store_document(actor, meeting: Meeting, upload, title: str, item: AgendaItem | None) -> Document:
    if meeting.is_closed:
        raise RuleError("Cuộc họp đã hoãn hoặc hủy.")
    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    if not data:
        raise RuleError("Tệp trống hoặc chưa chọn tệp.")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise RuleError(f"Tệp lớn hơn {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB.")
    try:
        kind = detect_kind(data)
    except ArchiveRefused as error:
        raise RuleError(str(error)) from error
    if kind is None:
        raise RuleError("Chỉ nhận tệp PDF, DOCX, XLSX, ODT hoặc ảnh PNG/JPEG (kiểm tra theo nội dung tệp).")
    filename = _visible(os.path.basename((upload.filename or "").replace("\\", "/")))[:200]
    stem, dot, extension = filename.rpartition(".")
    if dot and stem and extension.lower() not in NAME_EXTENSIONS[kind]:
        raise RuleError(
            f"Tên tệp “{filename}” có đuôi .{extension} nhưng nội dung là tệp {kind.upper()}: không khớp. "
            f"Hãy đặt đúng đuôi .{EXTENSIONS[kind]} rồi tải lên lại."
        )
    filename = filename or f"tai-lieu.{EXTENSIONS[kind]}"
    stored_name = f"{secrets.token_hex(16)}.{EXTENSIONS[kind]}"
    write_private(os.path.join(storage_dir(), stored_name), data)
    document = Document(
        meeting_id=meeting.id,
        agenda_item_id=item.id if item else None,
        title=_visible(title or "").strip() or filename,
        filename=filename,
        stored_name=stored_name,
        kind=kind.value,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(document)
    db.session.flush()
    record(actor, "document.upload", document, meeting.cell, f"{document.title[:150]} ({document.size} byte)")
    return document


def update_availability(actor, document: Document, meeting: Meeting, available_at, posted_on_app_at) -> None:
    document.available_at = available_at
    document.posted_on_app_at = posted_on_app_at
    record(actor, "document.availability", document, meeting.cell, document.title[:200])


def remove_document(actor, document: Document, meeting: Meeting) -> None:
    """Hidden from the meeting; the file stays on disk (nothing is hard-deleted)."""
    document.is_deleted = True
    record(actor, "document.remove", document, meeting.cell, document.title[:200])


def is_late(moment: datetime | None, meeting: Meeting) -> bool:
    """Made available (or posted) less than one day before the meeting starts."""
    if moment is None:
        return True
    start = datetime.combine(meeting.on, meeting.started_at or meeting.planned_time or datetime.min.time())
    return start - moment < timedelta(days=1)
