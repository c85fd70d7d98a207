"""The reference page: bare Flask, a Jinja template, a 50-row table fed by one indexed
query on a large SQLite table (the attendance records of the city database, read-only;
BENCH_BARE_DB names the file). Served by gunicorn beside the application."""

import os
import random
import sqlite3

from flask import Flask

app = Flask(__name__)
DATABASE = os.environ.get("BENCH_BARE_DB", "bench/haiphong.db")
PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Điểm danh</title></head>
<body><h1>Điểm danh từ buổi {{ start }}</h1>
<table><thead><tr><th>#</th><th>Buổi</th><th>Đảng viên</th><th>Tình trạng</th><th>Ghi lúc</th></tr></thead>
<tbody>{% for row in rows %}<tr><td>{{ row[0] }}</td><td>{{ row[1] }}</td><td>{{ row[2] }}</td>
<td>{{ row[3] }}</td><td>{{ row[4] }}</td></tr>{% endfor %}</tbody></table></body></html>"""
TEMPLATE = app.jinja_env.from_string(PAGE)  # compiled once, as a template file would be
_state = {}


def _connection() -> sqlite3.Connection:
    if "conn" not in _state:  # one per worker (sync workers: one request at a time)
        conn = sqlite3.connect(f"file:{DATABASE}?mode=ro", uri=True)
        _state["conn"] = conn
        _state["last"] = conn.execute("SELECT max(meeting_id) FROM attendance_records").fetchone()[0]
    return _state["conn"]


@app.get("/")
def attendance():
    conn = _connection()
    start = random.randint(1, max(1, _state["last"] - 100))  # nosec B311  # spreads the reads, not security
    rows = conn.execute(
        "SELECT id, meeting_id, member_id, status, recorded_at FROM attendance_records"
        " WHERE meeting_id >= ? ORDER BY meeting_id, member_id LIMIT 50",
        (start,),
    ).fetchall()
    return TEMPLATE.render(start=start, rows=rows)
