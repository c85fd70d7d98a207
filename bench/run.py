"""Benchmark at Hải Phòng scale (`make bench`; not part of the test run).

    .venv/bin/python bench/run.py                 # SQLite: builds bench/haiphong.db once
    DATABASE_URL=postgresql://… bench/run.py      # PostgreSQL (that database, and <name>_small)
    BENCH_SECONDS=3 BENCH_PAGES=oversight,search bench/run.py

Builds the city database once and the small demo, serves each with the production
settings (gunicorn, gunicorn.conf.py, 2 sync workers, access log) and, beside them, a
bare Flask page (bench/bare.py). Each page is loaded in turn with the bare page, on the
city and on the small demo, by a bounded HTTP load generator (bench/load.py), logged in
as the page's role through the real login form. Per page it prints the workers' CPU per
request (utime + stime from /proc/<pid>/stat over the requests served), its ratio to
the bare page's measured just before, p50/p99 latency, SQL statements per request
(bench/counted.py) and city ÷ small. Absolute times on a shared machine are not
stable: compare the ratios of one run."""

import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, make_url, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.config import Config  # noqa: E402
from app.demo.data import DEMO_PASSWORD  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.load import Request, hammer, login, send, urlencode  # noqa: E402
from bench.measure import ProcStat, Row, Sample, parse_stat, table  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "2"))
WORKERS = 2
PICKED = [word.strip() for word in os.environ.get("BENCH_PAGES", "").split(",") if word.strip()]
SEARCHED = "nguyen van"  # as typed: the search page folds the diacritics


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


def _app(uri: str):
    return create_app(Config, SQLALCHEMY_DATABASE_URI=uri, SECRET_KEY="bench")


def sqlite_uri(name: str) -> str:
    return "sqlite:///" + str(ROOT / "bench" / name)


def postgres_uris() -> tuple[str, str]:
    """The city in DATABASE_URL's database, the small demo in <name>_small beside it
    (created when missing)."""
    city = make_url(Config.database_uri(""))
    small = city.set(database=f"{city.database}_small")
    with (
        _app(city.render_as_string(False)).app_context(),
        db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn,
    ):
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": small.database}):
            conn.execute(text(f'CREATE DATABASE "{small.database}"'))
    return city.render_as_string(False), small.render_as_string(False)


def build_small(uri: str) -> None:
    """The demo of `make run` (flask demo-data), once."""
    env = {**os.environ, "DATABASE_URL": uri, "FLASK_APP": "wsgi.py", "SECRET_KEY": "bench"}
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "demo-data", "--if-empty"], cwd=ROOT, env=env, check=True, capture_output=True)


def pick(uri: str) -> tuple[dict, dict]:
    """Representative objects (the first district, commune and cell, their meetings, the
    notes the demo wrote) and the row counts."""
    from app.attendance.models import AttendanceRecord
    from app.criticism.models import CriticismNote
    from app.meetings.models import Meeting
    from app.org.models import Member, Membership, OrgUnit

    with _app(uri).app_context():
        s = db.session
        counts = {
            m.__tablename__: s.scalar(select(func.count()).select_from(m))
            for m in (OrgUnit, Member, Meeting, AttendanceRecord)
        }

        def first(kind, **where):
            query = select(OrgUnit.id).where(OrgUnit.kind == kind).filter_by(**where).order_by(OrgUnit.id)
            return s.scalar(query)

        def meeting(cell, status, newest=False):
            order = Meeting.id.desc() if newest else Meeting.id
            return s.scalar(select(Meeting.id).where(Meeting.cell_id == cell, Meeting.status == status).order_by(order))

        ids = {"province": first("province"), "district": first("district"), "commune": first("commune")}
        ids["cell"] = cell = first("cell", parent_id=ids["commune"])
        ids["member"] = s.scalar(select(Membership.member_id).where(Membership.unit_id == cell).order_by(Membership.id))
        ids["held"] = meeting(cell, "held") or meeting(cell, "adopted")
        ids["adopted"] = meeting(cell, "adopted", newest=True)
        ids["planned"] = meeting(cell, "planned")
        noted = s.execute(
            select(CriticismNote.meeting_id, CriticismNote.cell_id, CriticismNote.subject_member_id)
            .join(Meeting, CriticismNote.meeting_id == Meeting.id)
            .where(Meeting.status == "adopted")
            .order_by(CriticismNote.id.desc())
        ).first()
        ids["noted"], ids["noted_cell"], ids["noted_member"] = noted
        ids["year"] = s.get(Meeting, ids["noted"]).on.year
    return ids, counts


REVIEWED = "/cells/{noted_cell}/year-review/{year}/members/{noted_member}"
# (label, account, method, path, form); "{home}" is where / sends the account.
PAGES = [
    ("home: administrator (province page)", "quantri", "GET", "{home}", None),
    ("home: district office (district page)", "huyen", "GET", "{home}", None),
    ("home: commune office (commune page)", "xa", "GET", "{home}", None),
    ("home: cell secretary (cell page)", "bithu", "GET", "{home}", None),
    ("home: supervising cadre (cadre schedule)", "giamsat", "GET", "{home}", None),
    ("cell roster", "xa", "GET", "/units/{cell}/members", None),
    ("member profile", "xa", "GET", "/members/{member}", None),
    ("member search, commune office (htmx)", "xa", "POST", "/members/search", {"q": SEARCHED}),
    ("member search, administrator, whole city (htmx)", "quantri", "POST", "/members/search", {"q": SEARCHED}),
    ("cell year (meetings)", "xa", "GET", "/cells/{cell}/meetings", None),
    ("meeting page, planned", "xa", "GET", "/meetings/{planned}", None),
    ("meeting page, adopted", "xa", "GET", "/meetings/{adopted}", None),
    ("attendance sheet", "xa", "GET", "/meetings/{adopted}/attendance", None),
    ("minutes editor (draft)", "xa", "GET", "/meetings/{held}/minutes", None),
    ("printed minutes", "xa", "GET", "/meetings/{adopted}/print/minutes", None),
    ("commune month calendar", "xa", "GET", "/units/{commune}/calendar", None),
    ("district month calendar", "huyen", "GET", "/units/{district}/calendar", None),
    ("score sheet (cadre in charge)", "giamsat", "GET", "/meetings/{held}/score", None),
    ("oversight, commune", "xa", "GET", "/units/{commune}/oversight", None),
    ("oversight, district", "huyen", "GET", "/units/{district}/oversight", None),
    ("oversight, whole city", "quantri", "GET", "/units/{province}/oversight", None),
    ("monthly score report, commune", "xa", "GET", "/units/{commune}/score-report", None),
    ("monthly score report, district", "huyen", "GET", "/units/{district}/score-report", None),
    ("monthly score report, whole city", "quantri", "GET", "/units/{province}/score-report", None),
    ("notes panel opened (POST, audited)", "xa", "POST", "/meetings/{noted}/notes", {}),
    ("year review, cell summary (POST)", "xa", "POST", "/cells/{noted_cell}/year-review/{year}", {}),
    ("year review, one member (POST)", "xa", "POST", REVIEWED, {}),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with the production settings (README: `make run`), 2 sync workers."""

    def __init__(self, name: str, target: str, env: dict):
        self.name, self.port = name, free_port()
        log = Path(tempfile.gettempdir()) / f"chibo-bench-{name}.log"  # access and error log
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--worker-class", "sync"]
        command += ["--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}"]
        command += ["--access-logfile", str(log), "--error-logfile", str(log)]
        self.process = subprocess.Popen([*command, target], cwd=ROOT, env={**os.environ, **env})  # nosec B603

    def wait(self, path: str = "/") -> None:
        for _ in range(600):
            try:
                send(self.port, Request("GET", path))
                if len(self.workers()) == WORKERS:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not start")

    def workers(self) -> list[ProcStat]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = parse_stat((entry / "stat").read_text())
                except (OSError, ValueError):
                    continue  # gone meanwhile
                if stat.ppid == self.process.pid:
                    found.append(stat)
        return found

    def measure(self, request: Request, seconds: float) -> Sample:
        before = {s.pid: s.cpu_ticks for s in self.workers()}
        result = hammer(self.port, request, seconds, CONCURRENCY)
        after = {s.pid: s.cpu_ticks for s in self.workers()}
        if before.keys() != after.keys():
            raise RuntimeError(f"{self.name}: a worker restarted during the measure")
        return Sample(
            requests=len(result.latencies_ms),
            cpu_ticks=sum(after.values()) - sum(before.values()),
            latencies_ms=result.latencies_ms,
            statements=max(result.statements) if result.statements else None,
            errors=len(result.errors),
        )

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


class Site:
    """One served database: its server, the objects picked in it, its logged-in accounts."""

    def __init__(self, name: str, uri: str):
        self.name, self.uri = name, uri
        self.ids, self.counts = pick(uri)
        self.server = Server(name, "bench.counted:app", {"DATABASE_URL": uri, "SECRET_KEY": secrets.token_hex(16)})
        self.sessions = {}

    def request(self, account: str, method: str, path: str, form: dict | None) -> Request:
        if account not in self.sessions:
            self.sessions[account] = login(self.server.port, account, DEMO_PASSWORD)
        cookie, token, home = self.sessions[account]
        headers = {"Cookie": cookie}
        body = None
        if method == "POST":
            headers |= {"X-CSRFToken": token, "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"}
            body = urlencode(form)
        return Request(method, path.format(home=home, **self.ids), headers, body)


def machine() -> str:
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "?")
    return f"{platform.node()}, {os.cpu_count()} × {cpu}, Python {platform.python_version()}"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    started = time.monotonic()
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        city_uri, small_uri = postgres_uris()
    else:
        city_uri, small_uri = sqlite_uri("haiphong.db"), sqlite_uri("small.db")
    build(_app(city_uri))
    build_small(small_uri)
    bare_db = ROOT / "bench" / "haiphong.db"
    if city_uri != sqlite_uri("haiphong.db") and not bare_db.exists():
        build(_app(sqlite_uri("haiphong.db")))  # the bare page reads its attendance records
    pages = [p for p in PAGES if not PICKED or any(word in p[0] for word in PICKED)]
    city, small = Site("city", city_uri), Site("small", small_uri)
    bare = Server("bare", "bench.bare:app", {"BENCH_BARE_DB": str(bare_db)})
    rows = []
    try:
        for server in (city.server, small.server, bare):
            server.wait("/login" if server is not bare else "/")
        print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {machine()}; load average {load_average()}")
        print(f"database: {make_url(city_uri).get_backend_name()}; city {city.counts}; small {small.counts}")
        print(f"{SECONDS:g} s per page per server, {CONCURRENCY} clients, gunicorn {WORKERS} sync workers\n")
        reference = Request("GET", "/")
        bare.measure(reference, 1)  # warm up
        for label, account, method, path, form in pages:
            requests = [(site, site.request(account, method, path, form)) for site in (city, small)]
            for site, request in requests:
                site.server.measure(request, min(1.0, SECONDS / 3))  # warm up: templates, caches
            row = Row(label, bare.measure(reference, SECONDS), *(s.server.measure(r, SECONDS) for s, r in requests))
            rows.append(row)
            line = f"{row.city.cpu_ms:8.1f} ms {row.city_ratio:6.1f}× bare  city÷small {row.growth:5.1f}"
            print(f"{label:<52}{line}", flush=True)
    finally:
        for server in (city.server, small.server, bare):
            server.stop()
    samples = [r.bare for r in rows]
    reference = Sample(
        requests=sum(s.requests for s in samples),
        cpu_ticks=sum(s.cpu_ticks for s in samples),
        latencies_ms=[x for s in samples for x in s.latencies_ms],
        statements=None,
    )
    print(f"\n{table([Row('bare Flask page (all its runs)', reference, reference), *rows])}")
    print(f"\nload average at the end {load_average()}; {time.monotonic() - started:.0f} s in all")


if __name__ == "__main__":
    main()
