"""At most a few PDFs rendered at once on a server, whichever worker asks (V9: six
concurrent PDF requests made every other page wait). Chromium takes a core and ~200 MB
for a couple of seconds; each slot is a file locked with flock, so the limit holds across
gunicorn's worker processes, and a worker that dies releases its slot with its file
descriptor. A request that finds no free slot within a few seconds is answered 503 with
Retry-After rather than holding a worker in a queue."""

import fcntl
import os
import time
from contextlib import contextmanager

from flask import current_app


class Busy(Exception):
    pass


def _slot_paths() -> list[str]:
    folder = os.path.join(current_app.instance_path, "pdf-slots")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return [os.path.join(folder, f"slot-{n}.lock") for n in range(current_app.config["PDF_CONCURRENCY"])]


def _try_slots(paths: list[str]) -> int | None:
    for path in paths:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return fd
    return None


@contextmanager
def pdf_slot():
    """Hold one of the server's PDF slots while rendering; Busy if none frees in time."""
    paths = _slot_paths()
    deadline = time.monotonic() + current_app.config["PDF_WAIT_SECONDS"]
    fd = _try_slots(paths)
    while fd is None:
        if time.monotonic() >= deadline:
            raise Busy
        time.sleep(0.1)
        fd = _try_slots(paths)
    try:
        yield
    finally:
        os.close(fd)  # closing the descriptor releases its lock
