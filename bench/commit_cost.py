"""What `PRAGMA synchronous=FULL` costs a write request, against NORMAL, in one run.

    .venv/bin/python bench/commit_cost.py

Builds the small demo in a temporary SQLite file, then sends the same write (one
attendance mark, audited) through two apps on that file, one per setting, alternating,
and prints the median server time of each and their ratio."""

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, select  # noqa: E402

from app import create_app  # noqa: E402
from app.config import Config  # noqa: E402
from app.db import utcnow  # noqa: E402
from app.extensions import db  # noqa: E402

RUNS = 200


def app_with(uri: str, synchronous: str):
    app = create_app(Config, SQLALCHEMY_DATABASE_URI=uri, SECRET_KEY="bench", WTF_CSRF_ENABLED=False)
    with app.app_context():
        # Runs after the application's own connect hook, so it overrides FULL.
        event.listen(db.engine, "connect", lambda conn, _: conn.execute(f"PRAGMA synchronous={synchronous}"))
    return app


def main():
    work = tempfile.mkdtemp(prefix="chibo-commit-")
    uri = f"sqlite:///{work}/bench.db"
    full, normal = app_with(uri, "FULL"), app_with(uri, "NORMAL")
    with full.app_context():
        from app.auth.models import User
        from app.demo.data import build_small
        from app.demo.meetings import build_meetings
        from app.meetings.models import Meeting
        from app.org.models import Membership

        upgrade()
        build_small()
        build_meetings()
        db.session.commit()
        meeting = db.session.scalars(select(Meeting).where(Meeting.status == "held").order_by(Meeting.id)).first()
        member = db.session.scalar(select(Membership.member_id).where(Membership.unit_id == meeting.cell_id))
        office = db.session.scalars(select(User).where(User.username == "xa")).one().get_id()
    clients = {}
    for label, app in (("FULL", full), ("NORMAL", normal)):
        client = app.test_client()
        with client.session_transaction() as session:
            now = utcnow().isoformat()
            session.update({"_user_id": office, "_fresh": True, "auth_at": now, "seen_at": now})
        clients[label] = client
    url = f"/meetings/{meeting.id}/attendance/{member}"
    times = {"FULL": [], "NORMAL": []}
    for i in range(RUNS):
        for label, client in clients.items():
            status = "present" if i % 2 else "excused"
            started = time.perf_counter()
            response = client.post(url, data={"status": status, "reason": "bận"})
            times[label].append((time.perf_counter() - started) * 1000)
            assert response.status_code < 400, response.status_code
    medians = {label: statistics.median(t) for label, t in times.items()}
    for label, median in medians.items():
        print(f"synchronous={label:<7} median {median:6.2f} ms per write request ({RUNS} runs)")
    print(f"FULL / NORMAL = {medians['FULL'] / medians['NORMAL']:.2f}")


if __name__ == "__main__":
    main()
