"""Deny by default, session lifetimes, and the headers every response carries."""

from datetime import datetime
from urllib.parse import urlsplit

from flask import flash, g, make_response, redirect, request, session, url_for
from flask_login import current_user, logout_user

from app.db import utcnow
from app.extensions import db, login_manager

# Endpoints reachable without logging in. Everything else requires a login.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "static", "health.healthz"})

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


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


def _to_login():
    if request.headers.get("HX-Request"):
        # An htmx request must not get the login page swapped into a table cell.
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url_for("auth.login")
        return response
    next_path = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("auth.login", next=next_path if is_safe_next(next_path) else None))


def _expired(now: datetime, app) -> bool:
    started = session.get("auth_at")
    seen = session.get("seen_at")
    if started is None or seen is None:
        return True
    return (
        now - datetime.fromisoformat(started) > app.config["SESSION_ABSOLUTE_TIMEOUT"]
        or now - datetime.fromisoformat(seen) > app.config["SESSION_IDLE_TIMEOUT"]
    )


def init_app(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."

    @app.before_request
    def deny_by_default():
        if request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if not current_user.is_authenticated:
            return _to_login()
        now = utcnow()
        if _expired(now, app):
            logout_user()
            session.clear()
            flash("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.", "warning")
            return _to_login()
        session["seen_at"] = now.isoformat()
        g.user = current_user
        return None

    @app.after_request
    def security_headers(response):
        # Uploaded documents set their own, stricter policy (sandbox, nothing loads).
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.vary.add("HX-Request")
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response
