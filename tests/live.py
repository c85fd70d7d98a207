"""A real threaded server on the test database, for tests that need concurrent
connections, and clients of it that keep their session cookie."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar

from werkzeug.serving import make_server

from app import create_app
from app.config import TestConfig
from app.extensions import db


@contextmanager
def live_server(app, config=TestConfig):
    """A second app on the same database, served on a free port; yields its base URL."""
    live = create_app(config, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="live")
    server = make_server("127.0.0.1", 0, live, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        with live.app_context():
            db.engine.dispose()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post(opener, url: str, form: dict) -> int:
    """The status of a form POST (a redirect is answered, not followed, without follow)."""
    try:
        with opener.open(urllib.request.Request(url, data=urllib.parse.urlencode(form).encode()), timeout=120) as r:
            return r.status
    except urllib.error.HTTPError as error:
        return error.code


def signed_in(base: str, username: str, follow_redirects: bool = True):
    """A client with its own cookie jar, signed in as `username` (demo password)."""
    handlers = [urllib.request.HTTPCookieProcessor(CookieJar())] + ([] if follow_redirects else [_NoRedirect()])
    opener = urllib.request.build_opener(*handlers)
    status = post(opener, f"{base}/login", {"username": username, "password": "demo-chibo-2026"})
    assert status in (200, 303), status
    return opener
