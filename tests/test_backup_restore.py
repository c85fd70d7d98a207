"""Backups hold the database and the documents, fail cleanly, and a restore keeps the
application read-only while it runs: no write is acknowledged and then lost."""

import errno
import hashlib
import io
import tarfile
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import create_app, maintenance
from app.attendance.models import Guest
from app.audit.models import AuditEntry
from app.backup import BackupError, backup, plan_restore, restore
from app.config import TestConfig
from app.extensions import db
from app.meetings.models import Document
from app.org import services
from app.org.models import Member, OrgUnit

pytestmark = pytest.mark.committing  # see tests/conftest.py rolled_back

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"x" * 300


def _upload(client, meeting_id, data=PDF, name="ke-hoach.pdf"):
    return client.post(
        f"/meetings/{meeting_id}/documents",
        data={"title": "Kế hoạch", "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_backup_while_writing_then_restore(app, world, tmp_path):
    target = tmp_path / "sao-luu.tar"
    stop = threading.Event()
    written = []

    def writer():
        with app.app_context():
            cell = db.session.get(OrgUnit, world["sibling_cell"])
            while not stop.is_set() and len(written) < 400:
                services.add_member(
                    None,
                    cell,
                    {"full_name": f"Người Ghi {len(written)}", "gender": "male", "joined_on": date(2020, 1, 1)},
                    from_on=date.today(),
                )
                db.session.commit()
                written.append(1)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            time.sleep(0.001)
        with app.app_context():
            counts = backup(str(target))["counts"]
    finally:
        stop.set()
        thread.join()
    assert target.stat().st_mode & 0o777 == 0o600
    assert counts["members"] > 0 and counts["org_units"] > 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Member)) >= counts["members"]
        restored = restore(str(target))["counts"]
        assert restored["members"] == counts["members"]
        assert db.session.scalar(select(func.count()).select_from(Member)) == counts["members"]


def test_documents_are_in_the_backup_and_come_back_byte_identical(app, client, login_as, held_meeting, tmp_path):
    login_as("xa")
    assert _upload(client, held_meeting).status_code == 303
    target = tmp_path / "voi-tai-lieu.tar"
    with app.app_context():
        document = db.session.scalars(select(Document).where(Document.meeting_id == held_meeting)).one()
        manifest = backup(str(target))
        assert manifest["documents"][document.stored_name] == hashlib.sha256(PDF).hexdigest()
        stored = Path(app.instance_path) / "documents" / document.stored_name
        stored.unlink()  # the disk is wiped
        restore(str(target))
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == document.sha256
    assert client.get(f"/documents/{document.id}").data == PDF


def test_a_full_disk_gives_a_clear_message_and_leaves_no_partial_file(app, tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tarfile.TarFile, "addfile", full)
    with app.app_context(), pytest.raises(BackupError, match="Không đủ chỗ trống"):
        backup(str(tmp_path / "day.tar"))
    assert list(tmp_path.iterdir()) == []


def test_the_backup_command_reports_a_full_disk_without_a_traceback(app, tmp_path, monkeypatch):
    monkeypatch.setattr(tarfile.TarFile, "addfile", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.ENOSPC, "")))
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "day.tar")])
    assert result.exit_code == 1
    assert "Không đủ chỗ trống" in result.output and "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_restore_says_what_will_be_lost_and_audits_itself(app, client, login_as, held_meeting, tmp_path):
    target = tmp_path / "truoc.tar"
    with app.app_context():
        backup(str(target))
    login_as("xa")
    for n in range(3):
        assert client.post(f"/meetings/{held_meeting}/guests", data={"name": f"Khách sau {n}"}).status_code == 303
    with app.app_context():
        plan = plan_restore(str(target))
        assert plan.lost_audit_entries == 3 and plan.lost_by_action == {"guest.add": 3}
    result = app.test_cli_runner().invoke(args=["restore", str(target)], input="y\n")
    assert result.exit_code == 0, result.output
    assert "Sẽ mất 3 thao tác" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Guest).where(Guest.meeting_id == held_meeting)) == 0
        last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.action == "system.restore" and "bỏ 3 mục nhật ký" in last.summary


def test_a_file_that_is_not_a_backup_is_refused(app, tmp_path):
    junk = tmp_path / "khong-phai.tar"
    junk.write_bytes(b"not a tar")
    with app.app_context(), pytest.raises(BackupError, match="không phải bản sao lưu"):
        plan_restore(str(junk))


def test_writes_during_a_restore_are_refused_and_none_acknowledged_is_lost(
    app, login_as, held_meeting, tmp_path, monkeypatch
):
    target = tmp_path / "tai.tar"
    with app.app_context():
        backup(str(target))
    guarded = threading.Event()
    real_read_only = maintenance.read_only

    def observed(instance_path):
        class Guard:
            def __enter__(self):
                self.inner = real_read_only(instance_path)
                self.inner.__enter__()
                guarded.set()
                time.sleep(0.3)  # writes keep arriving while the restore holds the guard

            def __exit__(self, *exc):
                return self.inner.__exit__(*exc)

        return Guard()

    monkeypatch.setattr("app.backup.read_only", observed)
    stop = threading.Event()
    outcomes = []  # (name, sent while guarded, status)

    def writer(n):
        client = login_as("xa", app.test_client())
        i = 0
        while not stop.is_set():
            name = f"Khách {n}-{i}"
            sent_guarded = guarded.is_set()
            status = client.post(f"/meetings/{held_meeting}/guests", data={"name": name}).status_code
            outcomes.append((name, sent_guarded, status))
            i += 1

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    with app.app_context():
        restore(str(target))
    time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join()
    assert {s for _, _, s in outcomes} <= {303, 503}
    refused = [o for o in outcomes if o[2] == 503]
    assert refused, "no write arrived while the restore ran"
    with app.app_context():
        kept = set(db.session.scalars(select(Guest.name).where(Guest.meeting_id == held_meeting)))
    lost = [name for name, sent_guarded, status in outcomes if sent_guarded and status == 303 and name not in kept]
    assert lost == []


def test_a_write_in_maintenance_gets_a_vietnamese_page_and_reads_still_work(app, client, login_as, held_meeting):
    login_as("xa")
    with app.app_context(), maintenance.read_only(app.instance_path):
        refused = client.post(f"/meetings/{held_meeting}/guests", data={"name": "Khách bảo trì"})
        assert refused.status_code == 503 and "khôi phục dữ liệu" in refused.get_data(as_text=True)
        assert client.get(f"/meetings/{held_meeting}").status_code == 200
        assert client.get("/healthz").get_json()["status"] == "maintenance"
    with app.app_context():
        assert not db.session.scalar(select(Guest.id).where(Guest.name == "Khách bảo trì"))
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def test_health_reports_a_database_that_cannot_be_written(app):
    """The same database opened read-only (a read-only file or mount on SQLite, a
    read-only transaction as on a standby on PostgreSQL) answers 503."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        overrides = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///file:{uri.removeprefix('sqlite:///')}?mode=ro&uri=true"}
    else:
        overrides = {"SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": "-c default_transaction_read_only=on"}}}
    read_only_app = create_app(TestConfig, **{"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "x", **overrides})
    response = read_only_app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"] == "read-only"
    with read_only_app.app_context():
        db.engine.dispose()
