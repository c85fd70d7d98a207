"""Read-only mode while a restore runs: every write request is refused with a clear
page, and none that was acknowledged can be overwritten by the restore.

SQLite (one server): a flag file in instance/. A write request takes the write lock
(`BEGIN IMMEDIATE`) and only then looks at the flag, so a request either committed
before the restore took the lock, or sees the flag and writes nothing.
PostgreSQL (several servers): an advisory lock. Each write transaction holds it shared;
the restore takes it exclusively, which waits for the writes in flight and makes every
later one fail its try-lock."""

import os
from contextlib import contextmanager

from flask import abort, current_app, g, render_template, request
from sqlalchemy import text

from app.db import is_write_request
from app.extensions import db

# Any constant that no other code uses as an advisory lock key ("chibo" in ASCII).
ADVISORY_KEY = 0x636869626F
MESSAGE = (
    "Hệ thống đang tạm dừng ghi để khôi phục dữ liệu từ bản sao lưu. Thao tác của bạn chưa được ghi. "
    "Vui lòng thử lại sau ít phút."
)


def flag_path(instance_path: str | None = None) -> str:
    return os.path.join(instance_path or current_app.instance_path, "maintenance")


def _refused():
    response = current_app.make_response(
        (render_template("errors/error.html", status=503, title="Đang bảo trì", message=MESSAGE), 503)
    )
    response.headers["Retry-After"] = "60"
    return response


def guard_write():
    """before_request: refuse a write while a restore runs (None lets it through)."""
    if not is_write_request() or request.endpoint == "static":
        return None
    if db.engine.dialect.name == "postgresql":
        held = db.session.execute(text("SELECT pg_try_advisory_xact_lock_shared(:k)"), {"k": ADVISORY_KEY})
        if held.scalar_one():
            return None
        db.session.rollback()
        return _refused()
    if os.path.exists(flag_path()):
        return _refused()
    db.session.connection()  # BEGIN IMMEDIATE: wait for the write lock, then look again
    if os.path.exists(flag_path()):
        db.session.rollback()
        return _refused()
    return None


@contextmanager
def outside_write_lock():
    """A slow part of a write request that only reads (parsing and checking an uploaded
    file) runs without the write lock that `guard_write` took (SQLite) or the restore
    lock (PostgreSQL), so other users keep writing meanwhile. The block reads in plain
    transactions; after it the request takes the lock and looks at the restore flag
    again, as at its start, before it writes."""
    db.session.commit()  # ends the transaction guard_write began; nothing was written in it
    g.only_reading = True
    try:
        yield
    finally:
        g.only_reading = False
    db.session.commit()  # ends the read transaction
    refused = guard_write()
    if refused is not None:
        abort(refused)


@contextmanager
def read_only(instance_path: str):
    """Hold the application read-only for the duration of the block; on entry every
    write already in flight has finished."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": ADVISORY_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
                conn.commit()
        return
    path = flag_path(instance_path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        # The engine begins with BEGIN IMMEDIATE outside a request: waiting for it
        # lets every write in flight commit first.
        with db.engine.begin() as conn:
            conn.exec_driver_sql("SELECT 1")
        yield
    finally:
        os.unlink(path)


def is_read_only() -> bool:
    if db.engine.dialect.name == "postgresql":
        row = db.session.execute(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND mode = 'ExclusiveLock' AND objid = :o"),
            {"o": ADVISORY_KEY & 0xFFFFFFFF},
        )
        return bool(row.scalar_one())
    return os.path.exists(flag_path())
