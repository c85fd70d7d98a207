"""Where one page's server time goes: cProfile over a few requests through the Flask
test client, on the city database `bench/run.py` built (or DATABASE_URL's).

    .venv/bin/python bench/profile_page.py "oversight, whole city" [runs] [sort: tottime|cumulative]
"""

import cProfile
import io
import os
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from app.db import utcnow  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.run import PAGES, _app, pick, postgres_uris, sqlite_uri  # noqa: E402


def main():
    label, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20
    order = sys.argv[3] if len(sys.argv) > 3 else "cumulative"
    uri = postgres_uris()[0] if os.environ.get("DATABASE_URL", "").startswith("postgres") else sqlite_uri("haiphong.db")
    _, account, method, path, form = next(p for p in PAGES if p[0] == label)
    ids, _ = pick(uri)
    app = _app(uri)
    app.config["WTF_CSRF_ENABLED"] = False
    from app.auth.models import User

    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == account)).one()
        user_id = user.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        now = utcnow().isoformat()
        session.update({"_user_id": user_id, "_fresh": True, "auth_at": now, "seen_at": now})
    home = client.get("/").headers.get("Location", "/")
    url = path.format(home=home, **ids)
    send = client.post if method == "POST" else client.get
    kwargs = {"data": form, "headers": {"HX-Request": "true"}} if method == "POST" else {}
    assert send(url, **kwargs).status_code == 200  # warm up
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        send(url, **kwargs)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(40)
    print(f"{label}: {url} as {account}, {runs} requests\n{out.getvalue()}")


if __name__ == "__main__":
    main()
