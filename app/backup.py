"""Backups a clerk can trust: one archive holding a consistent copy of the live
database and every uploaded document it refers to, verified before it is kept;
and a restore that holds the application read-only while it runs.

The archive is a plain tar: manifest.json (what it holds, row counts, the last audit
entry), the database (SQLite file or `pg_dump -Fc`) and documents/<stored name>."""

import errno
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404  # pg_dump/pg_restore with argument lists, never a shell
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select, table, text
from sqlalchemy.engine import make_url

from app.audit.models import AuditEntry
from app.db import utcnow
from app.extensions import db
from app.files import make_private, private_dir
from app.maintenance import read_only

FORMAT = 1
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"


class BackupError(RuntimeError):
    """Refused or failed; the message is for the clerk (Vietnamese)."""


def _sqlite_path() -> Path:
    return Path(make_url(str(db.engine.url)).database)


def _pg_env() -> tuple[list[str], dict]:
    url = make_url(str(db.engine.url))
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    args = ["-h", url.host or "localhost", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    return [*args, "-d", url.database], env


def _documents_dir() -> Path:
    return Path(current_app.instance_path) / "documents"


def table_counts(conn) -> dict[str, int]:
    names = inspect(conn).get_table_names()
    return {t: conn.execute(select(func.count()).select_from(table(t))).scalar_one() for t in sorted(names)}


def _disk_message(error: OSError, where: Path) -> BackupError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return BackupError(f"Không đủ chỗ trống trên ổ đĩa chứa {where}: chưa sao lưu, không để lại tệp dở dang.")
    return BackupError(f"Không ghi được vào {where}: {error.strerror or error}.")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        for chunk in iter(lambda: data.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_sqlite(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"Kiểm tra toàn vẹn thất bại: {result}")
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        counts = {}
        for name in sorted(tables):
            # The names come from the file (a backup to restore is any file): quoted.
            quoted = '"' + name.replace('"', '""') + '"'
            counts[name] = conn.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()[0]  # nosec B608  # a quoted name
        return counts
    finally:
        conn.close()


def _snapshot_sqlite(work: Path) -> tuple[Path, dict, list[tuple[str, str]], int]:
    """Copy the live database (online backup API: one consistent step) and read from
    the copy what it holds."""
    copy = work / SQLITE_MEMBER
    source = sqlite3.connect(_sqlite_path(), timeout=30)
    dest = sqlite3.connect(copy)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    counts = verify_sqlite(copy)
    conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        documents = conn.execute("SELECT stored_name, sha256 FROM documents ORDER BY id").fetchall()
        last_audit = conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit_entries").fetchone()[0]
    finally:
        conn.close()
    return copy, counts, documents, last_audit


def _snapshot_postgresql(work: Path) -> tuple[Path, dict, list[tuple[str, str]], int]:
    """Dump, count and list the documents inside one exported snapshot, so all three
    describe the same moment."""
    copy = work / PG_MEMBER
    args, env = _pg_env()
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        counts = table_counts(conn)
        documents = [tuple(r) for r in conn.execute(text("SELECT stored_name, sha256 FROM documents ORDER BY id"))]
        last_audit = conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM audit_entries")).scalar_one()
        command = ["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(copy), *args]
        dump = subprocess.run(command, env=env, capture_output=True, text=True)  # nosec B603  # argument list, no shell
    if dump.returncode != 0:
        raise BackupError(f"pg_dump thất bại: {dump.stderr.strip()}")
    listing = subprocess.run(  # nosec B603 B607  # PostgreSQL's tool from PATH, argument list, no shell
        ["pg_restore", "-l", str(copy)], env=env, capture_output=True, text=True
    )
    if listing.returncode != 0 or "TABLE DATA" not in listing.stdout:
        raise BackupError("Bản sao lưu không chứa dữ liệu bảng.")
    return copy, counts, documents, last_audit


def backup(target: str) -> dict:
    """Write a verified archive to `target` (0600) and return its manifest. Nothing is
    left behind when it fails, a full disk included."""
    target_path = Path(target).resolve()
    try:
        private_dir(target_path.parent, tighten=False)  # folders it creates are 0700
        work = Path(tempfile.mkdtemp(prefix=".chibo-backup-", dir=target_path.parent))
    except OSError as error:
        raise _disk_message(error, target_path.parent) from error
    part = target_path.with_name(target_path.name + ".part")
    try:
        snapshot = _snapshot_postgresql if db.engine.dialect.name == "postgresql" else _snapshot_sqlite
        copy, counts, documents, last_audit = snapshot(work)
        manifest = {
            "format": FORMAT,
            "dialect": db.engine.dialect.name,
            "created_at": utcnow().isoformat(timespec="seconds"),
            "last_audit_id": last_audit,
            "counts": counts,
            "documents": {},
        }
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # a .part left over by a killed run keeps its old mode otherwise
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as archive:
            archive.add(copy, arcname=copy.name, filter=_private_member)
            for stored_name, sha256 in documents:
                path = _documents_dir() / stored_name
                if not path.is_file() or _sha256(path) != sha256:
                    raise BackupError(f"Tài liệu {stored_name} bị thiếu hoặc đã bị thay đổi trên đĩa.")
                archive.add(path, arcname=f"documents/{stored_name}", filter=_private_member)
                manifest["documents"][stored_name] = sha256
            _add_bytes(archive, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            archive.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(part, target_path)
        _fsync_dir(target_path.parent)
        return manifest
    except OSError as error:
        part.unlink(missing_ok=True)
        raise _disk_message(error, target_path.parent) from error
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _private_member(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """Members are extracted readable by their owner only, whoever unpacks them."""
    info.mode = 0o600
    return info


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class RestorePlan:
    """What a restore would bring back, and what written since the backup it would lose."""

    manifest: dict
    lost_audit_entries: int
    lost_by_action: dict[str, int]


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except (KeyError, ValueError) as error:
        raise BackupError("Tệp không phải bản sao lưu của hệ thống (thiếu manifest.json).") from error
    if manifest.get("format") != FORMAT:
        raise BackupError("Bản sao lưu thuộc định dạng khác, không khôi phục được.")
    if manifest.get("dialect") != db.engine.dialect.name:
        raise BackupError(
            f"Bản sao lưu của cơ sở dữ liệu {manifest.get('dialect')}, không khôi phục vào {db.engine.dialect.name}."
        )
    return manifest


def _open(source: str) -> tarfile.TarFile:
    path = Path(source)
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp {source}.")
    try:
        return tarfile.open(path, mode="r:")
    except tarfile.TarError as error:
        raise BackupError("Tệp không phải bản sao lưu của hệ thống.") from error


def _lost_since(last_audit_id: int) -> tuple[int, dict[str, int]]:
    rows = db.session.execute(
        select(AuditEntry.action, func.count())
        .where(AuditEntry.id > last_audit_id)
        .group_by(AuditEntry.action)
        .order_by(func.count().desc())
    ).all()
    db.session.rollback()
    return sum(n for _, n in rows), {action: n for action, n in rows}


def plan_restore(source: str) -> RestorePlan:
    with _open(source) as archive:
        manifest = _read_manifest(archive)
    total, by_action = _lost_since(manifest["last_audit_id"])
    return RestorePlan(manifest, total, by_action)


def _extract_verified(archive: tarfile.TarFile, manifest: dict, work: Path) -> Path:
    member = SQLITE_MEMBER if manifest["dialect"] == "sqlite" else PG_MEMBER
    names = {member, *(f"documents/{n}" for n in manifest["documents"])}
    for info in archive.getmembers():
        if info.name in names and info.isfile():
            archive.extract(info, work, filter="data")
    for stored_name, sha256 in manifest["documents"].items():
        path = work / "documents" / stored_name
        if not path.is_file() or _sha256(path) != sha256:
            raise BackupError(f"Tài liệu {stored_name} trong bản sao lưu bị hỏng.")
    database = work / member
    if not database.is_file():
        raise BackupError("Bản sao lưu thiếu cơ sở dữ liệu.")
    if member == SQLITE_MEMBER:
        verify_sqlite(database)
    return database


def restore(source: str) -> dict:
    """Replace the database and documents with the archive at `source`, holding the
    application read-only meanwhile; returns the restored row counts and what was lost.
    Documents already on disk that the backup does not know are left in place (an
    upload is never destroyed; without a database row nothing serves it)."""
    instance_path = current_app.instance_path
    with _open(source) as archive:
        manifest = _read_manifest(archive)
        work = Path(tempfile.mkdtemp(prefix=".chibo-restore-", dir=instance_path))
        try:
            database = _extract_verified(archive, manifest, work)
            db.session.remove()
            with read_only(instance_path):
                lost, _ = _lost_since(manifest["last_audit_id"])
                db.session.remove()
                _restore_documents(work / "documents")
                _restore_database(database)
                counts = _record_restore(manifest, lost, source)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return {"counts": counts, "lost_audit_entries": lost, "manifest": manifest}


def _restore_documents(extracted: Path) -> None:
    target = private_dir(_documents_dir())
    if not extracted.is_dir():
        return
    for path in extracted.iterdir():
        destination = target / path.name
        if destination.exists() and _sha256(destination) == _sha256(path):
            continue
        os.replace(path, destination)
        make_private(destination)


def _restore_database(database: Path) -> None:
    db.engine.dispose()
    if db.engine.dialect.name == "sqlite":
        src = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        dest = sqlite3.connect(_sqlite_path(), timeout=60)
        try:
            src.backup(dest)  # writes through SQLite's locking, so WAL readers stay consistent
        finally:
            src.close()
            dest.close()
        return
    args, env = _pg_env()
    run = subprocess.run(  # nosec B603 B607  # PostgreSQL's tool from PATH, argument list, no shell
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(database)],
        env=env,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise BackupError(f"pg_restore thất bại, dữ liệu giữ nguyên: {run.stderr.strip()}")


def _record_restore(manifest: dict, lost: int, source: str) -> dict[str, int]:
    from app.audit.services import record

    record(
        None,
        "system.restore",
        summary=(
            f"Khôi phục từ bản sao lưu lúc {manifest['created_at']} UTC ({Path(source).name}); "
            f"bỏ {lost} mục nhật ký ghi sau bản sao lưu"
        ),
    )
    db.session.commit()
    with db.engine.connect() as conn:
        return table_counts(conn)
