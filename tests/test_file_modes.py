"""V13: the database, the documents and the backups are readable by the application's
user only (files 0600 in 0700 folders), whatever the umask."""

import io
import os
import sqlite3
import stat
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app import create_app
from app.backup import backup
from app.config import TestConfig
from app.extensions import db
from app.meetings.models import Document
from tests.meetings.test_meeting_views import _new_meeting

pytestmark = pytest.mark.committing  # a backup reads the committed database


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture()
def open_umask():
    """The most permissive umask: modes must come from the code, not from the umask."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_new_sqlite_database_and_its_wal_files_are_private(tmp_path, open_umask):
    path = tmp_path / "chibo.db"
    fresh = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", SECRET_KEY="x")
    with fresh.app_context():
        db.session.execute(text("CREATE TABLE t (x INTEGER)"))
        db.session.execute(text("INSERT INTO t VALUES (1)"))
        db.session.commit()
        names = {p.name: mode(p) for p in tmp_path.iterdir()}
        db.engine.dispose()
    assert names == {"chibo.db": 0o600, "chibo.db-wal": 0o600, "chibo.db-shm": 0o600}


def test_an_existing_world_readable_database_is_made_private_on_connect(tmp_path):
    path = tmp_path / "old.db"
    before = sqlite3.connect(path)  # an older installation's database, open in WAL mode
    before.execute("PRAGMA journal_mode=WAL")
    before.execute("CREATE TABLE t (x INTEGER)")
    before.commit()
    for file in tmp_path.iterdir():
        os.chmod(file, 0o644)
    fresh = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", SECRET_KEY="x")
    with fresh.app_context():
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        db.engine.dispose()
    modes = {p.name: mode(p) for p in tmp_path.iterdir()}
    before.close()
    assert modes == {"old.db": 0o600, "old.db-wal": 0o600, "old.db-shm": 0o600}


def test_instance_folder_documents_and_uploads_are_private(app, client, login_as, cell, open_umask):
    instance = Path(app.instance_path)
    os.chmod(instance, 0o755)
    create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="x")
    assert mode(instance) == 0o700
    login_as("xa")
    meeting_id = _new_meeting(client, cell)
    client.post(
        f"/meetings/{meeting_id}/documents",
        data={"file": (io.BytesIO(b"%PDF-1.4\n%%EOF"), "ke-hoach.pdf"), "title": "Kế hoạch"},
        content_type="multipart/form-data",
    )
    with app.app_context():
        stored = db.session.scalars(select(Document.stored_name).where(Document.meeting_id == meeting_id)).one()
    assert mode(instance / "documents") == 0o700
    assert mode(instance / "documents" / stored) == 0o600


def test_secret_key_file_is_private_from_the_start(tmp_path, open_umask, monkeypatch):
    from app.config import _instance_secret

    _instance_secret(str(tmp_path / "instance"))
    assert mode(tmp_path / "instance") == 0o700 and mode(tmp_path / "instance" / "secret_key") == 0o600


def test_a_backup_is_private_in_a_private_folder_and_so_are_its_members(app, tmp_path, open_umask):
    target = tmp_path / "sao-luu" / "dem" / "chibo.tar"
    with app.app_context():
        backup(str(target))
    assert mode(target) == 0o600
    assert mode(target.parent) == 0o700 and mode(target.parent.parent) == 0o700
    with tarfile.open(target) as archive:
        assert {m.name: m.mode for m in archive.getmembers()} == {m.name: 0o600 for m in archive.getmembers()}
