"""Template filters and globals: Vietnamese dates and numbers, the user's roles for the header."""

from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from flask import current_app
from flask_login import current_user

from app.org.access import Permission, grants, holds
from app.web.once import new_token


def vn_date(value: date | datetime | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def vn_datetime(value: datetime | None) -> str:
    return value.strftime("%H:%M %d/%m/%Y") if value else ""


def vn_time(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def local(value: datetime | None) -> str:
    """A stored UTC timestamp shown in the offices' time zone."""
    if value is None:
        return ""
    zone = ZoneInfo(current_app.config.get("TIMEZONE", "Asia/Ho_Chi_Minh"))
    return value.replace(tzinfo=UTC).astimezone(zone).strftime("%H:%M %d/%m/%Y")


_VN_SEPARATORS = str.maketrans(",.", ".,")


def vn_number(value: float | None, digits: int = 1) -> str:
    """A score or rate the Vietnamese way: "88,0", "1.234,5" (rounded half up, as on paper)."""
    if value is None:
        return ""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{rounded:,.{digits}f}".translate(_VN_SEPARATORS)


def percent(value: float | None) -> str:
    return "" if value is None else f"{vn_number(value * 100, 0)}%"


def init_app(app):
    from app.org.history import unit_as_of
    from app.org.personal import mask
    from app.printing.layout import issuing_body, long_date, month_number, place_name, signing_body

    app.jinja_env.filters["vn_time"] = vn_time
    app.jinja_env.filters["local"] = local
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["vn_number"] = vn_number
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["place_name"] = place_name
    app.jinja_env.filters["as_of"] = unit_as_of
    app.jinja_env.filters["issuing_body"] = issuing_body
    app.jinja_env.filters["signing_body"] = signing_body
    app.jinja_env.globals["month_number"] = month_number
    app.jinja_env.globals["new_form_token"] = new_token
    app.jinja_env.filters["vn_date"] = vn_date
    app.jinja_env.filters["vn_datetime"] = vn_datetime
    app.jinja_env.filters["masked"] = mask
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
            "is_cadre": holds(current_user, Permission.attend),
            "has_units": holds(current_user, Permission.view),
        }
