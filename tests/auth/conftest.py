"""Fixtures of the login tests."""

import pytest

from app.extensions import db

PASSWORD = "demo-chibo-2026"


@pytest.fixture()
def fresh_user(app):
    """A throw-away account (own throttle counters, own sessions)."""
    from app.auth import services
    from app.org.models import OrgUnit, Role

    counter = fresh_user.counter = getattr(fresh_user, "counter", 0) + 1
    with app.app_context():
        unit = db.session.scalars(db.select(OrgUnit).where(OrgUnit.kind == "cell")).first()
        user = services.create_account(
            None, username=f"thu{counter}", full_name="Người Thử", password=PASSWORD, role=Role.viewer, unit=unit
        )
        db.session.commit()
        return user.username
