"""V6: the member import parses and checks the file without holding the database's
write lock (SQLite) or the restore lock every write transaction holds (PostgreSQL), so
other users keep writing meanwhile; only the confirmed rows are written, in one short
transaction."""

import html
import io
import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.extensions import db
from app.org import importer
from tests.conftest import make_cell
from tests.uploads import xlsx

pytestmark = pytest.mark.committing  # the write lock must be the real one


def _write_lock_is_free() -> bool:
    """Whether another user could write right now."""
    if db.engine.dialect.name == "postgresql":
        # Write transactions hold the restore lock shared (app/maintenance.py).
        held = db.session.execute(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        ).scalar_one()
        return held == 0
    other = sqlite3.connect(make_url(str(db.engine.url)).database, timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:  # database is locked
        return False
    finally:
        other.close()


@pytest.fixture()
def spied(monkeypatch):
    """Records, at each parse and validation, whether the write lock was free."""
    seen = []
    for name in ("read_table", "validate"):
        original = getattr(importer, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            seen.append((_name, "before", _write_lock_is_free()))
            result = _original(*args, **kwargs)
            seen.append((_name, "after", _write_lock_is_free()))
            return result

        monkeypatch.setattr(importer, name, spy)
    return seen


def test_no_write_lock_while_the_file_is_parsed_and_checked(app, client, login_as, world, spied):
    with app.app_context():
        cell = make_cell(world["commune"], "Chi bộ nhập khóa K01")
        db.session.commit()
        cell_id = cell.id
    login_as("xa")
    preview = client.post(
        f"/units/{cell_id}/members/import",
        data={"file": (io.BytesIO(xlsx(30)), "ds.xlsx")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200
    assert [s[0] for s in spied] == ["read_table", "read_table", "validate", "validate"]
    assert all(free for _, _, free in spied), spied

    spied.clear()
    payload = html.unescape(
        preview.get_data(as_text=True).split('name="payload" type="hidden" value="')[1].split('"')[0]
    )
    confirmed = client.post(f"/units/{cell_id}/members/import/confirm", data={"payload": payload})
    assert confirmed.status_code == 303
    assert [s[0] for s in spied] == ["validate", "validate"] and all(free for _, _, free in spied), spied
