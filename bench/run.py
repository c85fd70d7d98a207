"""Benchmark at Hải Phòng scale (not part of the test run).

    .venv/bin/python bench/run.py            # builds bench/haiphong.db on first use
    DATABASE_URL=postgresql://… bench/run.py # or measure on PostgreSQL

Reports, per page, the p50/p95 server time (Flask test client, no network) and the
number of SQL statements per request."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

from app import create_app  # noqa: E402
from app.config import Config  # noqa: E402
from app.db import utcnow  # noqa: E402
from app.extensions import db  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "60"))


def build(app):
    from app.demo.data import DEMO_PASSWORD, build_haiphong
    from app.demo.meetings import build_meetings
    from app.demo.supervision import build_cadres_at_scale
    from app.meetings.models import Meeting
    from app.org.models import OrgUnit

    with app.app_context():
        upgrade()
        if not db.session.scalar(select(func.count()).select_from(OrgUnit)):
            started = time.monotonic()
            build_haiphong()
            db.session.commit()
            print(f"built Hải Phòng scale in {time.monotonic() - started:.0f} s")
        if not db.session.scalar(select(func.count()).select_from(Meeting)):
            started = time.monotonic()
            build_meetings(rich=False)
            build_cadres_at_scale(DEMO_PASSWORD)
            db.session.commit()
            print(f"built a year of meetings, cadre visits and grades in {time.monotonic() - started:.0f} s")
        from app.criticism.models import CriticismNote
        from app.demo.criticism import build_criticism

        if not db.session.scalar(select(func.count()).select_from(CriticismNote)):
            started = time.monotonic()
            # In the commune the benchmark opens (the first one).
            build_criticism(commune_id=db.session.scalar(select(OrgUnit.id).where(OrgUnit.kind == "commune")))
            db.session.commit()
            print(f"built criticism notes in the first commune in {time.monotonic() - started:.0f} s")


def main():
    uri = os.environ.get("DATABASE_URL") or "sqlite:///" + str(Path(__file__).with_name("haiphong.db"))
    app = create_app(
        Config,
        SQLALCHEMY_DATABASE_URI=Config.database_uri("") if "postgres" in uri else uri,
        SECRET_KEY="bench",
        WTF_CSRF_ENABLED=False,  # the pages opened by POST (criticism notes) are measured too
    )
    build(app)
    from app.attendance.models import AttendanceRecord
    from app.auth.models import User
    from app.meetings.models import Meeting
    from app.org.models import Member, Membership, OrgUnit, RoleAssignment

    with app.app_context():
        counts = {
            m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
            for m in (OrgUnit, Member, Membership, Meeting, AttendanceRecord)
        }
        province = db.session.scalar(select(OrgUnit.id).where(OrgUnit.kind == "province").order_by(OrgUnit.id))
        district = db.session.scalar(select(OrgUnit.id).where(OrgUnit.kind == "district").order_by(OrgUnit.id))
        commune = db.session.scalar(select(OrgUnit.id).where(OrgUnit.kind == "commune").order_by(OrgUnit.id))
        cell = db.session.scalar(select(OrgUnit.id).where(OrgUnit.kind == "cell", OrgUnit.parent_id == commune))
        member = db.session.scalar(select(Membership.member_id).where(Membership.unit_id == cell))
        users = {u.username: u.get_id() for u in db.session.scalars(select(User))}

        held = db.session.scalar(
            select(Meeting.id).where(Meeting.cell_id == cell, Meeting.status == "held").order_by(Meeting.id)
        ) or db.session.scalar(select(Meeting.id).where(Meeting.cell_id == cell, Meeting.status == "adopted"))
        adopted = db.session.scalar(
            select(Meeting.id).where(Meeting.cell_id == cell, Meeting.status == "adopted").order_by(Meeting.id.desc())
        )
        planned = db.session.scalar(
            select(Meeting.id).where(Meeting.cell_id == cell, Meeting.status == "planned").order_by(Meeting.id)
        )
        from app.criticism.models import CriticismNote

        noted, noted_cell, noted_member = db.session.execute(
            select(CriticismNote.meeting_id, CriticismNote.cell_id, CriticismNote.subject_member_id)
            .join(Meeting, CriticismNote.meeting_id == Meeting.id)
            .where(Meeting.status == "adopted")
            .order_by(CriticismNote.id.desc())
        ).first()
        year = db.session.get(Meeting, noted).on.year
        del RoleAssignment
    print(f"database: {db.engine.dialect.name if False else uri.split(':')[0]}; rows: {counts}")

    statements = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda c, cur, sql, *a: statements.append(sql))

    pages = [
        ("district page", "huyen", f"/units/{district}"),
        ("commune page", "xa", f"/units/{commune}"),
        ("cell page", "xa", f"/units/{cell}"),
        ("cell roster", "xa", f"/units/{cell}/members"),
        ("member profile", "xa", f"/members/{member}"),
        ("member search (district office)", "huyen", "/members/search?q=nguyen van an"),
        ("member search (administrator, whole city)", "quantri", "/members/search?q=nguyen van an"),
        ("member search htmx fragment (commune)", "xa", "/members/search?q=tran thi"),
        ("cell year list", "xa", f"/cells/{cell}/meetings"),
        ("meeting page (planned)", "xa", f"/meetings/{planned}"),
        ("meeting page (adopted)", "xa", f"/meetings/{adopted}"),
        ("attendance sheet", "xa", f"/meetings/{adopted}/attendance"),
        ("minutes editor (draft)", "xa", f"/meetings/{held}/minutes"),
        ("minutes (adopted, read-only)", "xa", f"/meetings/{adopted}/minutes"),
        ("printed minutes", "xa", f"/meetings/{adopted}/print/minutes"),
        ("commune month calendar", "xa", f"/units/{commune}/calendar"),
        ("cadre schedule", "giamsat", "/schedule"),
        ("commune oversight (cadres, matrix)", "xa", f"/units/{commune}/oversight"),
        ("district oversight (cadres, matrix)", "huyen", f"/units/{district}/oversight"),
        ("score sheet (cadre in charge)", "giamsat", f"/meetings/{held}/score"),
        ("monthly score report (commune)", "xa", f"/units/{commune}/score-report"),
        ("monthly score report (district roll-up)", "huyen", f"/units/{district}/score-report"),
        ("monthly score report (whole city)", "quantri", f"/units/{province}/score-report"),
        ("notes panel opened (POST, audited)", "xa", f"/meetings/{noted}/notes"),
        ("minutes, cell copy with notes (POST)", "xa", f"/meetings/{noted}/print/minutes/cell-copy"),
        ("year-end review summary (POST)", "xa", f"/cells/{noted_cell}/year-review/{year}"),
        ("year-end review of a member (POST)", "xa", f"/cells/{noted_cell}/year-review/{year}/members/{noted_member}"),
    ]
    print(f"\n{'page':<44}{'p50 ms':>8}{'p95 ms':>8}{'SQL':>6}")
    for label, username, url in pages:
        client = app.test_client()
        with client.session_transaction() as session:
            now = utcnow().isoformat()
            session.update({"_user_id": users[username], "_fresh": True, "auth_at": now, "seen_at": now})
        headers = {"HX-Request": "true"} if "htmx" in label else {}
        fetch = client.post if "POST" in label else client.get
        fetch(url, headers=headers)  # warm up
        times, per_request = [], []
        for _ in range(RUNS):
            statements.clear()
            started = time.perf_counter()
            response = fetch(url, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
            # SQLite's explicit BEGIN is a transaction marker, not a query (PostgreSQL's is implicit).
            per_request.append(sum(1 for sql in statements if sql != "BEGIN"))
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{label:<44}{statistics.median(times):>8.1f}{p95:>8.1f}{max(per_request):>6}")


if __name__ == "__main__":
    main()
