"""Show only what works: for each role, crawl the pages reachable from home and follow every
link and form the pages show. A link answers neither 403 nor 404; a form's route lets the
user through its declaration (checked without running the form: the request stops at the
`authorized` signal, so nothing is written)."""

import re
from collections import defaultdict, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from app.web.authz import authorized

ROLES = ["quantri", "huyen", "xa", "bithu", "phobithu", "giamsat", "xem"]
PAGES_PER_ENDPOINT = 2  # pages of one kind crawled (two meetings, two members…)
LINKS_PER_ENDPOINT = 3  # links of one kind opened in full (the rest: authorization only)
NOT_PAGES = re.compile(r"\.(pdf|xlsx)$|^/static/|^/documents/")  # files: authorization only


class Allowed(Exception):
    pass


def _stop(sender, **extra):
    raise Allowed()


class Actions(HTMLParser):
    """Links (a href, hx-get) and form actions (form method=post, hx-post) of a page."""

    def __init__(self, page: str):
        super().__init__()
        self.page = page
        self.links: list[str] = []
        self.posts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if a.get("hx-get"):
            self.links.append(a["hx-get"])
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.posts.append(a.get("action") or self.page)
        if a.get("hx-post"):
            self.posts.append(a["hx-post"])
        if tag in ("button", "input") and a.get("formaction"):
            self.posts.append(a["formaction"])


def _local(url: str, page: str) -> str | None:
    url = urldefrag(url)[0]
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return url


def _endpoint(app, url: str, method: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        return adapter.match(urlsplit(url).path, method=method)[0]
    except Exception:
        return None


def _authorization(client, method: str, url: str):
    authorized.connect(_stop)
    try:
        return client.open(url, method=method, headers={"Origin": "http://localhost"}).status_code
    except Allowed:
        return "allowed"
    finally:
        authorized.disconnect(_stop)


@pytest.mark.parametrize("username", ROLES)
def test_every_link_and_form_shown_works(app, client, login_as, username):
    login_as(username)
    queue, seen_pages = deque(["/"]), set()
    pages_of = defaultdict(int)
    links, posts, refused = {}, {}, []
    while queue:
        url = queue.popleft()
        response = client.get(url, follow_redirects=True)
        if response.status_code in (403, 404):
            refused.append(f"GET {url} shown on {links.get(url)}: {response.status_code}")
        if "text/html" not in response.content_type:
            continue
        reader = Actions(url)
        reader.feed(response.get_data(as_text=True))
        for href in reader.links:
            target = _local(href, url)
            endpoint = target and _endpoint(app, target, "GET")
            if not endpoint or endpoint in ("static", "auth.login"):
                continue
            links.setdefault(target, url)
            if target not in seen_pages and not NOT_PAGES.search(urlsplit(target).path):
                if pages_of[endpoint] < PAGES_PER_ENDPOINT:
                    pages_of[endpoint] += 1
                    seen_pages.add(target)
                    queue.append(target)
        for action in reader.posts:
            target = _local(action, url)
            if target and _endpoint(app, target, "POST") not in (None, "auth.logout", "auth.login"):
                posts.setdefault(target, url)

    requested = defaultdict(int)
    for target, shown_on in links.items():
        endpoint = _endpoint(app, target, "GET")
        if target in seen_pages:
            continue
        # A few links of each kind are opened in full, the others checked for authorization.
        requested[endpoint] += 1
        opened = requested[endpoint] <= LINKS_PER_ENDPOINT and not NOT_PAGES.search(urlsplit(target).path)
        status = client.get(target).status_code if opened else _authorization(client, "GET", target)
        if status in (403, 404):
            refused.append(f"GET {target} ({endpoint}) shown on {shown_on}: {status}")
    for target, shown_on in posts.items():
        status = _authorization(client, "POST", target)
        if status in (403, 404):
            refused.append(f"POST {target} ({_endpoint(app, target, 'POST')}) shown on {shown_on}: {status}")
    assert len(seen_pages) > 3 and links
    assert not refused, f"{username} is shown what refuses them:\n" + "\n".join(sorted(refused))
