"""Declarative base, naming convention and small shared column helpers."""

import calendar
import enum
from datetime import UTC, date, datetime

from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from app.files import make_private

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    return date.today()


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


class LabeledEnum(enum.StrEnum):
    """A str enum whose members carry their Vietnamese label: `Kind.x.label`."""

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


def path_prefix(path: str) -> str:
    """The LIKE pattern of the rows under `path` ("/1/7/" → "/1/7/%"). Paths hold only
    digits and '/', so the pattern has no other wildcard."""
    if not path or not set(path) <= set("0123456789/"):
        raise ValueError(f"not a unit path: {path!r}")
    return path + "%"


def under(path_column, path: str):
    """Rows whose materialised path lies under `path` ("/1/7/"), as a plain
    `LIKE '/1/7/%'` that SQLite (case_sensitive_like) and PostgreSQL
    (varchar_pattern_ops) answer from the index."""
    return path_column.like(path_prefix(path))


def active_on(model, on: date):
    """Filter for rows with from_on <= on < to_on (to_on empty = still valid)."""
    return (model.from_on <= on) & ((model.to_on.is_(None)) | (model.to_on > on))


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" hook emit BEGIN itself (IMMEDIATE for writes).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # Readable by the application's user only. SQLite creates the -wal, -shm and
    # -journal files with the database file's mode, so tighten it before they exist.
    database = next((row[2] for row in cursor.execute("PRAGMA database_list") if row[1] == "main"), "")
    if database:
        for suffix in ("", "-wal", "-shm", "-journal"):
            make_private(database + suffix)
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    # FULL: a commit is on disk before it is acknowledged, power loss included (NORMAL
    # in WAL mode may lose the last commits). Its cost is measured in the README.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA case_sensitive_like=ON")  # lets path LIKE 'prefix%' use the index
    cursor.close()


# POST endpoints that only read: a POST keeps what they are sent (names searched) out of
# addresses and logs. They take no write lock and go on answering during a restore.
READ_ONLY_POSTS = frozenset({"members.search_results"})


def is_write_request() -> bool:
    """Does the current request write? Not a GET, HEAD or OPTIONS, nor a read-only POST."""
    from flask import request

    return request.method not in ("GET", "HEAD", "OPTIONS") and request.endpoint not in READ_ONLY_POSTS


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    if conn.dialect.name != "sqlite":
        return
    # A write request takes the write lock up front, so two concurrent writers queue
    # on busy_timeout instead of failing with "database is locked" on upgrade; except
    # while it only reads (read-only requests, app.maintenance.outside_write_lock) and for
    # a long read outside a request (execution option reads_only), which must not block
    # writers.
    from flask import g, has_request_context

    reading = has_request_context() and (not is_write_request() or g.get("only_reading"))
    if reading or conn.get_execution_options().get("reads_only"):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
