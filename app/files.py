"""Files the application receives and keeps: the one upload size limit, zip
containers measured before they are read, and files and folders only the
application's user can read (0600 in 0700, whatever the umask)."""

import io
import os
import stat
import zipfile
from pathlib import Path

MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
# The request may carry the form's other fields and the multipart framing around a
# file of the limit; a file over the limit is then refused by the app with its message.
REQUEST_ALLOWANCE = 256 * 1024


class ArchiveRefused(ValueError):
    """A zip container too big to open; the message is for the user."""


def open_archive(data: bytes, max_entries: int, max_unzipped: int) -> zipfile.ZipFile:
    """The zip in `data`, once its central directory says it is small enough: at most
    `max_entries` entries and `max_unzipped` bytes once decompressed. Python's zipfile
    stops every read at the declared size, so the declared sizes bound what any later
    reader (openpyxl included) can inflate. Raises zipfile.BadZipFile for no zip."""
    from app.web.templating import vn_number  # not at import: app.config imports this module

    archive = zipfile.ZipFile(io.BytesIO(data))
    entries = archive.infolist()
    if len(entries) > max_entries:
        archive.close()
        raise ArchiveRefused(f"Tệp nén chứa quá nhiều tệp bên trong (hơn {vn_number(max_entries, 0)} tệp).")
    if sum(entry.file_size for entry in entries) > max_unzipped:
        archive.close()
        raise ArchiveRefused(
            f"Tệp quá lớn khi giải nén (hơn {max_unzipped // (1024 * 1024)} MB): không nhận để bảo vệ hệ thống."
        )
    return archive


def read_member(archive: zipfile.ZipFile, name: str, max_bytes: int) -> bytes:
    """One entry of an archive that must be small (a manifest, a content-type list)."""
    if archive.getinfo(name).file_size > max_bytes:
        raise ArchiveRefused(f"Tệp quá lớn khi giải nén: phần “{name[:60]}” lớn bất thường.")
    return archive.read(name)


def private_dir(path: str | os.PathLike, tighten: bool = True) -> Path:
    """A folder only the application's user can enter: missing ones are created 0700
    (parents too). An existing one of ours is tightened to 0700 unless `tighten` is
    false (a folder the operator chose, such as /tmp, keeps its mode)."""
    path = Path(path)
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)
    if tighten:
        make_private(path, 0o700)
    return path


def make_private(path: str | os.PathLike, mode: int = 0o600) -> None:
    """Tighten a file (or folder) of ours that others may read; leave others' alone."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) != mode:
        os.chmod(path, mode)


def write_private(path: str | os.PathLike, data: bytes) -> None:
    """Create a new file readable by the application's user only (fails if it exists)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        os.fchmod(out.fileno(), 0o600)  # the umask could only have removed bits; say it outright
        out.write(data)
