"""gunicorn reads this file from the working directory (`make run` starts it there).

No `Server` banner: gunicorn always writes "Server: gunicorn" and has no setting for it,
so its response's default headers are filtered here (gunicorn is pinned in
requirements.txt; tests/web/test_server_banner.py runs it and checks). Behind nginx, nginx
drops the upstream's banner anyway and `server_tokens off` hides its own version."""

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _without_server_banner(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _without_server_banner
