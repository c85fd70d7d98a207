from flask import Blueprint, jsonify
from sqlalchemy import text

from app import maintenance
from app.extensions import db
from app.web.authz import public

bp = Blueprint("health", __name__)


def _probe_write() -> None:
    """A write that changes nothing, rolled back by the caller: fails on a read-only
    file or mount, a PostgreSQL standby or a read-only transaction."""
    db.session.execute(text("UPDATE alembic_version SET version_num = version_num"))


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    try:
        _probe_write()
    except Exception:
        db.session.rollback()
        return jsonify(status="error", database="read-only"), 503
    finally:
        db.session.rollback()
    if maintenance.is_read_only():
        return jsonify(status="maintenance", database="ok"), 503
    return jsonify(status="ok", database="ok")
