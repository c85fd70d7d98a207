"""Copies of the demo base for tests that commit for real, and the fingerprint that
proves the base itself stays untouched.

SQLite copies through its backup API into a file; PostgreSQL creates the copy from the
base as a template (`CREATE DATABASE … TEMPLATE`), which needs no other connection to
the base: the caller's pool is emptied first."""

import hashlib
import sqlite3
from contextlib import contextmanager

from sqlalchemy import column, inspect, select, table
from sqlalchemy.engine import Engine, make_url

from app import create_app
from app.config import TestConfig
from app.extensions import db


def copy_database(base_app, name: str, directory) -> str:
    """A new database with the base's content; returns its URI. `name` is a short tag
    (letters, digits, underscores); SQLite writes the copy into `directory`."""
    url = make_url(base_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        target = str(directory / f"{name}.db")
        source, copy = sqlite3.connect(url.database), sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            source.close()
            copy.close()
        return "sqlite:///" + target
    clone = f"{url.database}_{name}"
    with base_app.app_context():
        db.engine.dispose()  # a template must have no other session
    _pg_admin(
        url, f'DROP DATABASE IF EXISTS "{clone}" WITH (FORCE)', f'CREATE DATABASE "{clone}" TEMPLATE "{url.database}"'
    )
    return url.set(database=clone).render_as_string(hide_password=False)


def drop_database(uri: str) -> None:
    url = make_url(uri)
    if url.get_backend_name() != "sqlite":
        _pg_admin(url, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


def _pg_admin(url, *statements):
    import psycopg

    conninfo = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


@contextmanager
def own_copy(base_app, name: str, directory, config=TestConfig, **overrides):
    """An app on its own copy of the base, dropped afterwards."""
    uri = copy_database(base_app, name, directory)
    settings = {"SECRET_KEY": base_app.config["SECRET_KEY"], **overrides, "SQLALCHEMY_DATABASE_URI": uri}
    copy = create_app(config, **settings)
    try:
        yield copy
    finally:
        with copy.app_context():
            db.session.remove()
            db.engine.dispose()
        drop_database(uri)


def fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row of every table, in primary-key order: a
    commit that adds, changes or removes a row changes its table's entry."""
    prints = {}
    with engine.connect() as conn:
        inspector = inspect(conn)
        for name in sorted(inspector.get_table_names()):
            rows_of = table(name, *(column(c["name"]) for c in inspector.get_columns(name)))
            order = inspector.get_pk_constraint(name)["constrained_columns"] or list(rows_of.c.keys())
            rows = conn.execute(select(rows_of).order_by(*(rows_of.c[c] for c in order))).all()
            digest = hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()
            prints[name] = (len(rows), digest)
    return prints


def changed_tables(before: dict, after: dict) -> list[str]:
    """What differs between two fingerprints, one line per table."""
    lines = []
    for name in sorted(before.keys() | after.keys()):
        if before.get(name) != after.get(name):
            rows = lambda p: p[0] if p else "—"  # noqa: E731
            lines.append(f"{name}: {rows(before.get(name))} rows → {rows(after.get(name))}")
    return lines
