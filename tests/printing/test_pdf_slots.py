"""V9: PDFs rendered at once are limited per server, across worker processes; a request
that finds every slot taken is told to try again instead of queueing a worker."""

import fcntl
import os

from app.printing import slots


def _hold_every_slot(app) -> list[int]:
    """Take the slots the way another worker process would: flock on their files."""
    with app.app_context():
        paths = slots._slot_paths()
    held = []
    for path in paths:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.append(fd)
    return held


def test_a_pdf_asked_while_every_slot_renders_is_answered_busy(app, client, login_as, written_minutes, monkeypatch):
    meeting_id, _, _ = written_minutes
    monkeypatch.setitem(app.config, "PDF_WAIT_SECONDS", 0.3)
    rendered = []
    monkeypatch.setattr("app.printing.pdf.html_to_pdf", lambda html: rendered.append(html) or b"%PDF-1.4")
    login_as("xem")
    held = _hold_every_slot(app)
    try:
        busy = client.get(f"/meetings/{meeting_id}/print/minutes.pdf")
    finally:
        for fd in held:
            os.close(fd)
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "30"
    assert "Máy chủ đang tạo các bản PDF khác" in busy.get_data(as_text=True)
    assert not rendered  # Chromium was never started
    again = client.get(f"/meetings/{meeting_id}/print/minutes.pdf")
    assert again.status_code == 200 and again.data == b"%PDF-1.4" and len(rendered) == 1


def test_a_slot_is_released_when_rendering_fails(app):
    with app.app_context():
        try:
            with slots.pdf_slot():
                raise RuntimeError("Chromium crashed")
        except RuntimeError:
            pass
        with slots.pdf_slot():  # free again at once
            pass


def test_slot_files_are_private(app):
    with app.app_context():
        with slots.pdf_slot():
            pass
        folder = os.path.dirname(slots._slot_paths()[0])
    assert os.stat(folder).st_mode & 0o777 == 0o700
    assert all(os.stat(os.path.join(folder, f)).st_mode & 0o777 == 0o600 for f in os.listdir(folder))
