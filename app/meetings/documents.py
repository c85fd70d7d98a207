"""Meeting documents: the file type is decided by the bytes, never by the name or the
browser's word; files live under instance/documents/ with random names."""

import hashlib
import io
import os
import secrets
import zipfile
from datetime import datetime, timedelta

from flask import current_app

from app.audit.services import record
from app.extensions import db
from app.meetings.models import AgendaItem, Document, DocumentKind, Meeting
from app.rules import RuleError

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
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


def detect_kind(data: bytes) -> DocumentKind | None:
    """What the file really is, from its content."""
    if data.startswith(b"%PDF-"):
        return DocumentKind.pdf
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return DocumentKind.png
    if data.startswith(b"\xff\xd8\xff"):
        return DocumentKind.jpeg
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if (
                    "mimetype" in names
                    and archive.read("mimetype").strip() == b"application/vnd.oasis.opendocument.text"
                ):
                    return DocumentKind.odt
                if "[Content_Types].xml" in names:
                    if "word/document.xml" in names:
                        return DocumentKind.docx
                    if "xl/workbook.xml" in names:
                        return DocumentKind.xlsx
        except (zipfile.BadZipFile, KeyError):
            return None
    return None


def storage_dir() -> str:
    path = os.path.join(current_app.instance_path, "documents")
    os.makedirs(path, exist_ok=True)
    return path


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
    kind = detect_kind(data)
    if kind is None:
        raise RuleError("Chỉ nhận tệp PDF, DOCX, XLSX, ODT hoặc ảnh PNG/JPEG (kiểm tra theo nội dung tệp).")
    stored_name = f"{secrets.token_hex(16)}.{EXTENSIONS[kind]}"
    with open(os.path.join(storage_dir(), stored_name), "xb") as out:
        out.write(data)
    filename = os.path.basename((upload.filename or "").replace("\\", "/"))[:200] or f"tai-lieu.{EXTENSIONS[kind]}"
    document = Document(
        meeting_id=meeting.id,
        agenda_item_id=item.id if item else None,
        title=(title or "").strip() or filename,
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
