"""Sinh hoạt Chi bộ: application factory."""

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import Config, _instance_secret
from app.extensions import csrf, db, htmx, login_manager, migrate
from app.files import private_dir


def create_app(config_class: type = Config, **overrides) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    if not app.config.get("SECRET_KEY"):  # Flask's default is None
        app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or _instance_secret(app.instance_path)
    app.config.setdefault("SQLALCHEMY_DATABASE_URI", config_class.database_uri(app.instance_path))
    app.config.update(overrides)
    if app.config["HTTPS"]:
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https")
    if app.config["TRUSTED_PROXIES"]:
        # The client's address and scheme as the trusted proxies saw them: the login
        # throttle keys on the address (else everyone behind nginx is one address).
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 15}})
    private_dir(app.instance_path)  # the database, documents and secret key: 0700
    from app.web import assets

    assets.init_app(app)  # first: its compression hook then runs after every other one

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    from app.web import inputs

    inputs.init_app(app)

    from app import maintenance, models  # noqa: F401  (models: register every table with the metadata)
    from app.attendance.views import bp as attendance_bp
    from app.audit.views import bp as audit_bp
    from app.auth.account_views import bp as accounts_bp
    from app.auth.guard_views import bp as guard_bp
    from app.auth.views import bp as auth_bp
    from app.cli import register_cli
    from app.criticism.views import bp as criticism_bp
    from app.meetings.views import bp as meetings_bp
    from app.minutes.views import bp as minutes_bp
    from app.org.member_views import bp as members_bp
    from app.org.views import bp as org_bp
    from app.printing.views import bp as printing_bp
    from app.proposals.views import bp as proposals_bp
    from app.records.views import bp as records_bp
    from app.resolutions.views import bp as resolutions_bp
    from app.scoring.views import bp as scoring_bp
    from app.self_examination.views import bp as self_examination_bp
    from app.supervision.views import bp as supervision_bp
    from app.web import errors, security, templating
    from app.web import htmx as htmx_hooks
    from app.web.health import bp as health_bp
    from app.year_review.views import bp as year_review_bp

    for blueprint in (
        auth_bp,
        accounts_bp,
        guard_bp,
        org_bp,
        members_bp,
        meetings_bp,
        attendance_bp,
        minutes_bp,
        printing_bp,
        resolutions_bp,
        records_bp,
        supervision_bp,
        scoring_bp,
        proposals_bp,
        criticism_bp,
        self_examination_bp,
        year_review_bp,
        audit_bp,
        health_bp,
    ):
        app.register_blueprint(blueprint)
    # First of all hooks: a write during a restore is refused before anything runs.
    app.before_request(maintenance.guard_write)
    security.init_app(app)
    errors.init_app(app)
    htmx_hooks.init_app(app)
    templating.init_app(app)
    register_cli(app)
    return app
