"""Files that tests upload: real minimal office documents, zip bombs, a PNG+HTML
polyglot and large spreadsheets, built in memory."""

import io
import zipfile
from functools import cache

from openpyxl import Workbook

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
# A valid PNG that browsers would also render as HTML if they sniffed it.
POLYGLOT = PNG_1PX + b"<html><body><script>alert(document.cookie)</script></body></html>"

DOCX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="%s"/></Types>'
)
DOCX_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = b"application/vnd.ms-word.document.macroEnabled.main+xml"


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(main_type: bytes = DOCX_MAIN, types: bytes | None = None) -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": types or DOCX_TYPES % main_type,
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": b"<w:document xmlns:w='urn:w'><w:body/></w:document>",
        }
    )


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"<office:document-content xmlns:office='urn:o'/>")
        archive.writestr("META-INF/manifest.xml", b"<manifest/>")
    return buffer.getvalue()


@cache
def zip_bomb(member: str = "word/document.xml", megabytes: int = 300, extra: tuple = ()) -> bytes:
    """A real zip bomb: `megabytes` of zeros deflated to a few hundred KB, written in
    chunks so building it costs little memory."""
    buffer = io.BytesIO()
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in extra:
            archive.writestr(name, data)
        with archive.open(member, "w", force_zip64=True) as out:
            for _ in range(megabytes):
                out.write(chunk)
    return buffer.getvalue()


def many_entries(count: int) -> bytes:
    return zip_of({"[Content_Types].xml": DOCX_TYPES % DOCX_MAIN} | {f"word/part{i}.xml": b"" for i in range(count)})


HEADER = ["Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ", "Hình thức"]


def member_row(i: int) -> list:
    return [f"Nguyễn Văn Thử {i}", "Nam", "01/02/1980", "03/02/2005", "03/02/2006", "", "Chính thức"]


def xlsx(rows: int, header=HEADER, row=member_row) -> bytes:
    """A member sheet with `rows` data rows, written in openpyxl's streaming mode."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for i in range(rows):
        sheet.append(row(i))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
