"""Template filters and globals: Vietnamese dates, the user's roles for the header."""

from datetime import date, datetime

from flask_login import current_user

from app.org.access import Permission, grants, holds


def vn_date(value: date | datetime | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def vn_datetime(value: datetime | None) -> str:
    return value.strftime("%H:%M %d/%m/%Y") if value else ""


def init_app(app):
    app.jinja_env.filters["vn_date"] = vn_date
    app.jinja_env.filters["vn_datetime"] = vn_datetime
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def header_roles():
        if not current_user.is_authenticated:
            return {}
        user_grants = grants(current_user)
        return {
            "user_grants": user_grants,
            "is_manager": holds(current_user, Permission.manage_accounts),
        }
