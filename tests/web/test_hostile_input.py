"""A bounded fuzz of every route: hostile path ids, and the app's own forms (read from its
pages) sent back with hostile values, as an office user and an administrator. No answer
may be a 5xx, and a refused request (4xx) must leave every table as it was.

It runs on the module's own copy of the demo base (tests/conftest.py `app`), because
hostile but valid values do get saved."""

import collections
import itertools
import time
from urllib.parse import urlencode

import pytest

from app import create_app
from app.config import TestConfig
from app.db import utcnow
from app.extensions import db
from app.web.inputs import has_control_characters
from tests.conftest import user_by_name
from tests.web.walk import WriteWatch, forms_of, path, real_ids, rules, stored_control_characters

pytestmark = pytest.mark.committing  # see tests/conftest.py rolled_back

HOSTILE_IDS = (0, 2**31, 2**63, 10**200)
HOSTILE_VALUES = (
    "\x00",
    "Nguyễn\x00Văn",
    "\x1b[2J\x07\x0b",
    "dòng một\r\ndòng\thai\x7f",
    "x" * 10_000,
    "9" * 300,
    "-" + "9" * 300,
    str(2**31),
    str(2**63),
    "1e999",
    "NaN",
    "-1",
    "2026-02-30",
    "31/02/2026",
    "0000-00-00",
    "25:61",
    "abc",
    "",
    "   ",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "\u202e𝕏",
)
# Query arguments get values that pass the control-character check, to reach the views.
QUERY_VALUES = tuple(v for v in HOSTILE_VALUES if not has_control_characters(v))
# Query arguments the pages read.
QUERY_NAMES = ("page", "year", "month", "q", "unit", "on", "item", "a", "b", "member", "kind", "prepares", "action")
USERS = ("xa", "quantri")
FIELDS_PER_FORM = {"xa": 4, "quantri": 8}
# The office user's requests come from htmx (fragments are rendered apart from pages).
HEADERS = {"xa": {"HX-Request": "true"}, "quantri": {}}
# Pages not read for forms: the login page, and PDFs (a second of Chromium each; their
# routes still get the hostile ids and query).
NOT_CRAWLED = {"auth.login", "printing.pdf"}
# Bounds: the number of requests is fixed by the routes and the limits above (about
# 1,600); the CPU time of this process (app and client, not the database server, and not
# other processes sharing the machine) is checked too, so a slow path fails the test.
CPU_LIMIT_S = 40
# Answers that record an attempt on purpose (a failed login counts towards throttling).
WRITES_WHEN_REFUSED = {"auth.login"}


@pytest.fixture(scope="module")
def fuzz_app(app):
    """A second app on the module's copy of the base: a 500 must be an answer to count,
    not an exception in the test."""
    fuzzed = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY="fuzz",
        PROPAGATE_EXCEPTIONS=False,
    )
    yield fuzzed
    with fuzzed.app_context():
        db.session.remove()
        db.engine.dispose()


def _client(app, username):
    client = app.test_client()
    with app.app_context():
        session_id = user_by_name(username).get_id()
    with client.session_transaction() as session:
        now = utcnow().isoformat()
        session.update({"_user_id": session_id, "_fresh": True, "auth_at": now, "seen_at": now})
    return client


def _endpoint(app, url, method):
    try:
        return app.url_map.bind("localhost").match(url.split("?")[0].split("#")[0], method=method)[0]
    except Exception:
        return None


class Fuzzer:
    """Sends requests as one user and keeps what went wrong."""

    def __init__(self, app, username, watch):
        self.app, self.username, self.watch = app, username, watch
        self.client = _client(app, username)
        self.failures, self.partial, self.sent = [], [], 0
        self.statuses = collections.Counter()  # (endpoint, status), to see how deep it got

    def forms(self, routes, ids) -> dict[str, list[dict]]:
        """The app's own POST forms, as its GET pages (with real ids) show them."""
        found = {}
        for rule, method in routes:
            if method == "GET" and rule.endpoint not in NOT_CRAWLED:
                response = self.client.get(path(rule, ids))
                if response.status_code == 200 and response.mimetype == "text/html":
                    for form in forms_of(path(rule, ids), response.get_data(as_text=True)):
                        endpoint = _endpoint(self.app, form.action, "POST")
                        if endpoint:
                            found.setdefault(endpoint, []).append(form.fields)
        return found

    def send(self, method, url, data, endpoint):
        response = self.client.open(url, method=method, data=data, headers=HEADERS[self.username])
        wrote = self.watch.take()
        self.sent += 1
        status = response.status_code
        self.statuses[endpoint, status] += 1
        where = f"{self.username} {method} {url[:120]} {_short(data)} -> {status}"
        if status >= 500:
            self.failures.append(where)
        elif 400 <= status < 500 and wrote and endpoint not in WRITES_WHEN_REFUSED:
            self.partial.append(f"{where} wrote {wrote}")
        if endpoint in ("auth.logout", "auth.password", "accounts.edit"):
            self.client = _client(self.app, self.username)  # signed out, or sessions invalidated


def test_no_hostile_request_gets_a_5xx_or_writes_when_refused(fuzz_app, world):
    started = time.process_time()
    with fuzz_app.app_context():
        ids = real_ids(world)
        engine = db.engine
    routes = rules(fuzz_app)
    values = itertools.cycle(HOSTILE_VALUES)
    with WriteWatch(engine) as watch:
        fuzzers = [Fuzzer(fuzz_app, username, watch) for username in USERS]
        for fuzzer in fuzzers:
            _fuzz(fuzzer, routes, ids, values)

    cpu = time.process_time() - started
    with fuzz_app.app_context():
        stored = stored_control_characters()
    sent = sum(f.sent for f in fuzzers)
    failures = [line for f in fuzzers for line in f.failures]
    partial = [line for f in fuzzers for line in f.partial]
    assert not failures, f"{len(failures)} of {sent} requests answered 5xx:\n" + "\n".join(failures[:80])
    assert not partial, f"{len(partial)} refused requests wrote:\n" + "\n".join(partial[:60])
    assert not stored, f"control characters stored in {stored}"
    assert sent > 1000
    # It got past the door: most POST routes took some request (the page's own values
    # with one field changed) and refused others with a message.
    posts = {rule.endpoint for rule, method in routes if method == "POST"}
    answered = collections.Counter(ep for f in fuzzers for ep, status in f.statuses if ep in posts)
    accepted = {ep for f in fuzzers for ep, status in f.statuses if ep in posts and status < 400}
    refused = {ep for f in fuzzers for ep, status in f.statuses if ep in posts and status == 422}
    assert len(answered) == len(posts)
    assert len(accepted) > len(posts) / 2 and len(refused) > len(posts) * 3 / 4, (len(posts), accepted, refused)
    assert cpu < CPU_LIMIT_S, f"{sent} requests took {cpu:.0f} s of CPU"


def _fuzz(fuzzer, routes, ids, values):
    forms = fuzzer.forms(routes, ids)
    every_name = {name for seen in forms.values() for fields in seen for name in fields}
    hostile_ids = itertools.cycle(HOSTILE_IDS)
    query_values = itertools.cycle(QUERY_VALUES)
    fields_per_form = FIELDS_PER_FORM[fuzzer.username]
    for rule, method in routes:
        real = path(rule, ids)
        if rule.arguments and fuzzer.username == "quantri":
            fuzzer.send(method, path(rule, ids, override=next(hostile_ids)), {}, rule.endpoint)
        if method == "GET":
            if rule.endpoint not in NOT_CRAWLED:
                query = urlencode({name: next(query_values) for name in QUERY_NAMES})
                fuzzer.send("GET", f"{real}{'&' if '?' in real else '?'}{query}", None, rule.endpoint)
            continue
        seen = forms.get(rule.endpoint) or [dict.fromkeys(every_name, "")]
        plain = {k: v for k, v in seen[0].items() if v is not None}
        fuzzer.send("POST", real, {name: next(values) for name in plain}, rule.endpoint)
        # One hostile field, the others as the page gave them (so the request gets past
        # the other fields' checks); the version and ids first, then the rest in turn.
        names = sorted(plain, key=lambda n: (n != "version", not n.endswith("_id"), n))
        for name in names[:fields_per_form]:
            fuzzer.send("POST", real, plain | {name: next(values)}, rule.endpoint)
        fuzzer.send("POST", real, {}, rule.endpoint)  # nothing at all
        extra = {"version": "abc", "zzz": next(values), "id": str(2**63)}
        fuzzer.send("POST", real, plain | extra, rule.endpoint)


def _short(data):
    if not data:
        return ""
    return {k: (v[:20] + "…" if isinstance(v, str) and len(v) > 20 else v) for k, v in data.items()}


def test_integer_ids_beyond_the_column_are_404_on_every_route(app, client, login_as):
    login_as("quantri")
    answers = {client.open(f"/meetings/{big}", method="GET").status_code for big in (2**31, 2**63, 10**200)} | {
        client.post(f"/minutes/{2**63}").status_code,
        client.get(f"/cells/1/year-review/{2**40}").status_code,
    }
    assert answers == {404}
