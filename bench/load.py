"""A bounded HTTP load generator (Debian has no `wrk` here): a few threads, each sending
one request at a time over a new connection (gunicorn's sync workers close it after each
response) until the time is up. Also the real login: GET /login, POST it with the CSRF
token, keep the session cookie."""

import http.client
import re
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken":\s*"([^"]+)"')


@dataclass
class Request:
    method: str
    path: str
    headers: dict = field(default_factory=dict)
    body: str | None = None


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def send(port: int, request: Request, timeout: float = 60) -> tuple[http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(request.method, request.path, body=request.body, headers=request.headers)
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def _cookie(response: http.client.HTTPResponse, jar: dict) -> dict:
    for header in response.headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            jar[name] = morsel.value
    return jar


def _cookie_header(jar: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def login(port: int, username: str, password: str) -> tuple[str, str, str]:
    """Signs in as a user would; returns the Cookie header, the CSRF token the pages
    carry and the account's home (where / sends it)."""
    response, body = send(port, Request("GET", "/login"))
    jar = _cookie(response, {})
    token = CSRF_FIELD.search(body.decode()).group(1)
    form = urlencode({"csrf_token": token, "username": username, "password": password})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": _cookie_header(jar)}
    response, _ = send(port, Request("POST", "/login", headers, form))
    if response.status != 303:
        raise RuntimeError(f"login as {username} on port {port}: HTTP {response.status}")
    jar = _cookie(response, jar)
    response, _ = send(port, Request("GET", "/", {"Cookie": _cookie_header(jar)}))
    home = response.headers.get("Location", "/")
    response, body = send(port, Request("GET", home, {"Cookie": _cookie_header(jar)}))
    jar = _cookie(response, jar)  # the session now holds the CSRF token of the page
    return _cookie_header(jar), CSRF_HEADER.search(body.decode()).group(1), home


def hammer(port: int, request: Request, seconds: float, concurrency: int) -> Result:
    """Sends `request` from `concurrency` threads for `seconds`; a response that is not
    200 is an error (its status is kept)."""
    result, lock = Result(), threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                response, _ = send(port, request)
            except OSError as error:
                with lock:
                    result.errors.append(repr(error))
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if response.status != 200:
                    result.errors.append(f"HTTP {response.status}")
                    continue
                result.latencies_ms.append(elapsed)
                count = response.headers.get("X-SQL-Statements")
                if count is not None:
                    result.statements.append(int(count))

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result
