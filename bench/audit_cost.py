"""What an audited write request costs on this checkout (used to price the audit hash chain).

    .venv/bin/python bench/audit_cost.py                              # SQLite, temporary file
    DATABASE_URL=postgresql://… .venv/bin/python bench/audit_cost.py  # empties that database!

Builds the small demo, then sends one audited write (an attendance mark) RUNS times from
one client, and RUNS times split over THREADS clients at once. Prints the median server
time, the SQL statements of one request, and the concurrent throughput (and, with the
audit hash chain, the time spent linking each entry). Run it on two checkouts (before
and after a change) alternately and compare the lines."""

import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.config import Config  # noqa: E402
from app.db import utcnow  # noqa: E402
from app.extensions import db  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "200"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))


def prepare():
    uri = Config.database_uri(tempfile.mkdtemp(prefix="chibo-audit-"))
    app = create_app(Config, SQLALCHEMY_DATABASE_URI=uri, SECRET_KEY="bench", WTF_CSRF_ENABLED=False)
    with app.app_context():
        from app.auth.models import User
        from app.demo.data import build_small
        from app.demo.meetings import build_meetings
        from app.meetings.models import Meeting
        from app.org.models import Membership

        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        build_small()
        build_meetings()
        db.session.commit()
        meeting = db.session.scalars(select(Meeting).where(Meeting.status == "held").order_by(Meeting.id)).first()
        members = db.session.scalars(
            select(Membership.member_id).where(Membership.unit_id == meeting.cell_id).limit(THREADS)
        ).all()
        office = db.session.scalars(select(User).where(User.username == "xa")).one().get_id()
    return app, meeting.id, members, office


def client_for(app, office):
    client = app.test_client()
    with client.session_transaction() as session:
        now = utcnow().isoformat()
        session.update({"_user_id": office, "_fresh": True, "auth_at": now, "seen_at": now})
    return client


def mark(client, meeting_id, member_id, i):
    status = "present" if i % 2 else "excused"
    response = client.post(f"/meetings/{meeting_id}/attendance/{member_id}", data={"status": status, "reason": "bận"})
    assert response.status_code < 400, response.status_code


def timed_linking() -> list[float]:
    """Times (ms) spent giving each write's audit entries their id and hashes, when
    this checkout has the hash chain (app/audit/chain.py)."""
    try:
        from app.audit import chain
    except ImportError:
        return []
    spent, link = [], chain.link

    def timed(*args):
        started = time.perf_counter()
        link(*args)
        spent.append((time.perf_counter() - started) * 1000)

    chain.link = timed
    return spent


def main():
    app, meeting_id, members, office = prepare()
    client = client_for(app, office)
    times, linking = [], timed_linking()
    for i in range(RUNS):
        started = time.perf_counter()
        mark(client, meeting_id, members[0], i)
        times.append((time.perf_counter() - started) * 1000)
    if linking:
        print(f"linking the audit entry: median {statistics.median(linking[-RUNS:]):.3f} ms per write")
    statements = []
    with app.app_context():
        engine = db.engine
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    mark(client, meeting_id, members[0], 1)
    event.remove(engine, "before_cursor_execute", listen)
    clients = [client_for(app, office) for _ in members]

    def writer(n):
        for i in range(RUNS // len(members)):
            mark(clients[n], meeting_id, members[n], i)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(len(members))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    print(
        f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}: "
        f"median {statistics.median(times):.2f} ms per audited write ({RUNS} runs), "
        f"{len(statements)} SQL statements, "
        f"{RUNS // len(members) * len(members) / elapsed:.1f} writes/s from {len(members)} clients at once"
    )


if __name__ == "__main__":
    main()
