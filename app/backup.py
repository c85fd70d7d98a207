"""Consistent backups of a live database, verified, and restore."""

import os
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from app.extensions import db


class BackupError(RuntimeError):
    pass


def _sqlite_path() -> Path:
    return Path(make_url(str(db.engine.url)).database)


def _pg_env() -> tuple[list[str], dict]:
    url = make_url(str(db.engine.url))
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    args = [
        "-h",
        url.host or "localhost",
        "-p",
        str(url.port or 5432),
        "-U",
        url.username or "postgres",
        "-d",
        url.database,
    ]
    return args, env


def table_counts(conn) -> dict[str, int]:
    names = inspect(conn).get_table_names()
    return {t: conn.execute(text(f'SELECT COUNT(*) FROM "{t}"')).scalar_one() for t in sorted(names)}


def backup(target: str) -> dict[str, int]:
    """Write a consistent copy to `target` and verify it; returns its row counts."""
    target_path = Path(target)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    if db.engine.dialect.name == "sqlite":
        tmp = target_path.with_suffix(target_path.suffix + ".part")
        tmp.unlink(missing_ok=True)
        source = sqlite3.connect(_sqlite_path(), timeout=30)
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)  # the online backup API, all pages in one step: a snapshot
        finally:
            dest.close()
            source.close()
        counts = verify_sqlite(tmp)
        os.replace(tmp, target_path)
        return counts
    args, env = _pg_env()
    # Count rows and dump inside one exported snapshot, so the counts describe the file.
    with db.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        counts = table_counts(conn)
        subprocess.run(["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(target_path), *args], check=True, env=env)
    listing = subprocess.run(
        ["pg_restore", "-l", str(target_path)], check=True, env=env, capture_output=True, text=True
    )
    if "TABLE DATA" not in listing.stdout:
        raise BackupError("Bản sao lưu không chứa dữ liệu bảng.")
    return counts


def verify_sqlite(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"Kiểm tra toàn vẹn thất bại: {result}")
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}
    finally:
        conn.close()


def restore(source: str) -> dict[str, int]:
    """Replace the current database with the backup at `source`."""
    source_path = Path(source)
    if not source_path.exists():
        raise BackupError(f"Không tìm thấy tệp {source}.")
    if db.engine.dialect.name == "sqlite":
        counts = verify_sqlite(source_path)
        db.session.remove()
        db.engine.dispose()
        src = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        dest = sqlite3.connect(_sqlite_path(), timeout=30)
        try:
            src.backup(dest)  # writes through SQLite's locking, so WAL readers stay consistent
        finally:
            src.close()
            dest.close()
        return counts
    args, env = _pg_env()
    db.session.remove()
    db.engine.dispose()
    subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(source_path)],
        check=True,
        env=env,
    )
    with db.engine.connect() as conn:
        return table_counts(conn)
