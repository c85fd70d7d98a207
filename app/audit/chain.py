"""A hash chain over the audit log: each entry carries the SHA-256 of the entry before
it (`prev_hash`) and its own (`hash`, over its fields and `prev_hash`), so an entry
changed, removed or slipped in breaks the chain where it happened; `flask audit-verify`
walks it.

Appends never fork the chain: the previous entry is read inside the write lock. On
PostgreSQL the writing transaction takes a transaction-scoped advisory lock first (held
until it commits); on SQLite writes take the database write lock (`BEGIN IMMEDIATE`,
app/db.py), and a transaction that read before another writer committed cannot write
at all (WAL refuses it). The unique index on `prev_hash`
makes a fork impossible even for a writer that skips all this."""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text

from app.audit.models import AuditEntry
from app.db import utcnow

GENESIS = "0" * 64  # the `prev_hash` of the first entry
LOCK_KEY = 0x6175646974  # PostgreSQL advisory lock key ("audit" in ASCII)
BATCH = 1000
# The hashed fields, in this order. Changing them (or their rendering) breaks every
# existing chain: the migration that built the chain (0014) hashes with this function.
INTEGERS = ("id", "actor_id", "object_id", "unit_id")
FIELDS = ("id", "at", "actor_id", "action", "object_type", "object_id", "unit_id", "unit_path", "summary", "address")


def _canonical(name: str, value):
    if value is None:
        return None
    if name == "at":
        if not isinstance(value, datetime):
            raise TypeError(f"audit entry time is not a datetime: {value!r}")
        return value.isoformat(sep=" ", timespec="microseconds")
    return int(value) if name in INTEGERS else str(value)


def entry_hash(values: Mapping, prev_hash: str) -> str:
    """SHA-256 (hex) of the previous hash and the entry's fields as a JSON array."""
    payload = [prev_hash, *(_canonical(name, values[name]) for name in FIELDS)]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def _head(conn) -> tuple[int, str]:
    """The last entry's id and hash, read under the chain's write lock."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    row = conn.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    return (row.id, row.hash) if row else (0, GENESIS)


def link(session, entries: list[AuditEntry]) -> None:
    """Give new entries (in the order they were added) their id and chain hashes just
    before they are inserted (called by the session's before_flush hook)."""
    last_id, last_hash = _head(session.connection())
    for entry in entries:
        if entry.at is None:
            entry.at = utcnow()
        # Under the lock the next id is the head's plus one, so id order is chain order
        # (a PostgreSQL sequence could lag behind ids written explicitly, or run ahead).
        entry.id = last_id + 1
        entry.prev_hash = last_hash
        entry.hash = entry_hash({name: getattr(entry, name) for name in FIELDS}, last_hash)
        last_id, last_hash = entry.id, entry.hash


@dataclass
class Verdict:
    intact: int  # entries checked before the first broken link (all of them when none)
    broken_id: int | None = None
    problem: str = ""


def verify(conn, batch: int = BATCH) -> Verdict:
    """Walk the chain in id order, `batch` rows at a time (bounded memory), and stop at
    the first entry whose hash or link does not hold."""
    table = AuditEntry.__table__
    columns = [table.c[name] for name in (*FIELDS, "prev_hash", "hash")]
    last_id, last_hash, count = None, GENESIS, 0
    while True:
        stmt = select(*columns).order_by(table.c.id).limit(batch)
        if last_id is not None:
            stmt = stmt.where(table.c.id > last_id)
        rows = conn.execute(stmt).all()
        for row in rows:
            if row.prev_hash != last_hash:
                return Verdict(count, row.id, _broken_link(row, last_id, last_hash))
            computed = entry_hash(row._mapping, row.prev_hash)
            if computed != row.hash:
                return Verdict(
                    count,
                    row.id,
                    f"nội dung mục #{row.id} đã bị sửa: mã băm lưu {row.hash[:16]}…, "
                    f"tính lại từ nội dung {computed[:16]}…",
                )
            last_id, last_hash, count = row.id, row.hash, count + 1
        if len(rows) < batch:
            return Verdict(count)


def _broken_link(row, last_id: int | None, last_hash: str) -> str:
    if last_id is None:
        return (
            f"mục đầu tiên còn lại (#{row.id}) ghi mã băm của một mục trước nó ({row.prev_hash[:16]}…): "
            "các mục đầu nhật ký đã bị xoá"
        )
    return (
        f"mục #{row.id} ghi mã băm của mục trước là {row.prev_hash[:16]}…, nhưng mục liền trước (#{last_id}) "
        f"có mã băm {last_hash[:16]}…: một mục giữa hai mục này đã bị xoá, hoặc mục #{last_id} đã bị thay"
    )
