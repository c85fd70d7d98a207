"""Deny by default, session lifetimes, and the headers every response carries."""

from datetime import datetime
from urllib.parse import urlsplit

from flask import flash, g, make_response, redirect, request, session, url_for
from flask_login import current_user, logout_user

from app.db import utcnow
from app.extensions import db, login_manager

# Endpoints reachable without logging in. Everything else requires a login.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "auth.login_code", "static", "health.healthz"})
# What an account that must enrol in two-step login may open before it has.
ENROL_ENDPOINTS = frozenset({"guard.two_factor", "guard.two_factor_start", "auth.logout"})

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
# No page uses a device or a browser feature beyond plain pages and forms.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), display-capture=(), fullscreen=()"
)
CROSS_ORIGIN_MESSAGE = "Yêu cầu gửi từ một trang web khác nên đã bị từ chối."
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: '/units/3', never '//evil', 'http://…', '\\\\host' or one
    with a line break or another control character (a header cannot carry them)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if not target.isprintable():  # CR/LF would split the Location header
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


@login_manager.user_loader
def load_user(session_id: str):
    from app.auth.models import User

    try:
        user_id, version = (int(x) for x in session_id.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version or not user.is_enabled:
        return None
    return user


EXPIRED_MESSAGE = "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."


def _page_path(url: str | None) -> str | None:
    """The path of a URL on this site (the page a form was sent from), else None."""
    parts = urlsplit(url or "")
    if parts.netloc != request.host:
        return None
    path = parts.path + ("?" + parts.query if parts.query else "")
    return path if is_safe_next(path) else None


def _redirect(url: str):
    """A redirect that htmx follows as a whole page (not swapped into a table cell)."""
    if request.headers.get("HX-Request"):
        # Any status would do: htmx follows HX-Redirect before it looks at the status.
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)


def _to_login():
    """To the login page, coming back afterwards to the page the user was on: the URL
    itself for a GET, the page that sent the form for a write (its unsaved text is
    kept in the browser and restored there, see app.js)."""
    if request.headers.get("HX-Request"):
        return _redirect(url_for("auth.login", next=_page_path(request.headers.get("HX-Current-URL"))))
    if request.method == "GET":
        next_path = request.full_path.rstrip("?")
        next_path = next_path if is_safe_next(next_path) else None
    else:
        next_path = _page_path(request.referrer)
    return redirect(url_for("auth.login", next=next_path))


def session_expired():
    """End what is left of the session and send the user to log in again, with the
    message. Used whichever check notices it first: the idle or absolute timeout, a
    session ended elsewhere (logout, password change) or the CSRF token it took along."""
    logout_user()
    session.clear()
    flash(EXPIRED_MESSAGE, "warning")
    return _to_login()


def _was_signed_in() -> bool:
    return session.get("auth_at") is not None


def is_expired(now: datetime, app) -> bool:
    started = session.get("auth_at")
    seen = session.get("seen_at")
    if started is None or seen is None:
        return True
    return (
        now - datetime.fromisoformat(started) > app.config["SESSION_ABSOLUTE_TIMEOUT"]
        or now - datetime.fromisoformat(seen) > app.config["SESSION_IDLE_TIMEOUT"]
    )


def _hostname(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def cross_origin_write():
    """Defence in depth behind the CSRF token: a write whose Origin (or, without one, its
    Referer) names another site is refused. Neither header: the token alone decides.
    Host names are compared without scheme and port, which a TLS proxy may change."""
    if request.method not in UNSAFE_METHODS:
        return None
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if origin is None:
        return None
    if origin == "null" or _hostname(origin) != urlsplit("//" + request.host).hostname:
        from app.web.errors import refuse

        return refuse(403, CROSS_ORIGIN_MESSAGE)
    return None


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    app.before_request(cross_origin_write)

    @app.before_request
    def deny_by_default():
        if request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if not current_user.is_authenticated:
            # A session ended elsewhere (logout, password change) still says when it began.
            return session_expired() if _was_signed_in() else _to_login()
        now = utcnow()
        if is_expired(now, app):
            return session_expired()
        session["seen_at"] = now.isoformat()
        g.user = current_user
        if app.config["REQUIRE_TOTP_FOR"] and request.endpoint not in ENROL_ENDPOINTS:
            from app.auth.totp import must_enrol

            if must_enrol(current_user):
                return _redirect(url_for("guard.two_factor"))
        return None

    @app.after_request
    def security_headers(response):
        # Uploaded documents set their own, stricter policy (sandbox, nothing loads).
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        if app.config["HTTPS"]:
            response.headers["Strict-Transport-Security"] = f"max-age={app.config['HSTS_MAX_AGE']}"
        response.vary.add("HX-Request")
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response
