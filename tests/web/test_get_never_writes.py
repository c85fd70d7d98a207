"""GET never writes: every GET route, as several roles and with real ids from the demo
data, leaves every table as it was; the cadre's schedule under concurrent readers."""

import threading
import urllib.parse
import urllib.request

import pytest

from app.extensions import db
from tests.live import live_server, signed_in
from tests.web.walk import WriteWatch, path, real_ids, rules, table_state

pytestmark = pytest.mark.committing  # see tests/conftest.py rolled_back

ROLES = ("quantri", "huyen", "xa", "bithu", "phobithu", "giamsat", "xem")


def test_no_get_route_writes_for_any_role(app, client, login_as, world):
    with app.app_context():
        ids = real_ids(world)
        before = table_state()
        engine = db.engine
    gets = [rule for rule, method in rules(app) if method == "GET"]
    writes, answered = [], set()
    with WriteWatch(engine) as watch:
        for username in ROLES:
            login_as(username)
            for rule in gets:
                if rule.endpoint == "printing.pdf" and username != "quantri":
                    continue  # a second of Chromium each: one role is enough
                response = client.get(path(rule, ids), headers={"HX-Request": "true"} if username == "xa" else {})
                assert response.status_code < 500, f"{username} GET {path(rule, ids)}"
                if response.status_code < 400:
                    answered.add(rule.endpoint)
                if wrote := watch.take():
                    writes.append(f"{username} GET {path(rule, ids)}: {wrote}")
    with app.app_context():
        after = table_state()
    assert not writes, "\n".join(writes)
    assert after == before, {t: (before[t], after[t]) for t in after if after[t] != before[t]}
    # The walk reached the pages themselves, not only their 404s.
    assert len(answered) >= len(gets) - 3, " ".join(sorted({r.rule for r in gets if r.endpoint not in answered}))


def test_eight_concurrent_readers_of_the_schedule_get_no_error(app):
    """It used to record "last seen" on GET: 35–42 % of answers were 500 "database is
    locked" on SQLite with 8 clients."""
    with live_server(app) as base:
        openers = [signed_in(base, "giamsat") for _ in range(8)]
        statuses, barrier = [], threading.Barrier(8)

        def read(opener):
            barrier.wait()
            for _ in range(10):
                try:
                    with opener.open(f"{base}/schedule", timeout=60) as response:
                        statuses.append((response.status, response.geturl()))
                except urllib.error.HTTPError as error:
                    statuses.append((error.code, error.url))

        threads = [threading.Thread(target=read, args=(o,)) for o in openers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    errors = [status for status, _ in statuses if status >= 500]
    assert not errors, f"{len(errors)} of {len(statuses)} answers were 5xx"
    assert statuses == [(200, f"{base}/schedule")] * 80  # signed in, the schedule itself
