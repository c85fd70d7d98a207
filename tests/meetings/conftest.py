"""A fresh cell with a meeting for each test that writes, so tests don't interfere."""

import itertools
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.meetings import services
from app.org.models import OrgUnit
from tests.conftest import make_cell

_counter = itertools.count(1)


@pytest.fixture()
def cell(app, world):
    with app.app_context():
        unit = make_cell(world["commune"], f"Chi bộ thử nghiệm họp {next(_counter):03d}")
        db.session.commit()
        return unit.id


@pytest.fixture()
def held_meeting(app, cell):
    """A regular meeting held a week ago in the fresh cell."""
    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        on = date.today() - timedelta(days=7)
        meeting = services.schedule_meeting(None, unit, kind="regular", planned_on=on, place="Hội trường thôn")
        services.mark_held(None, meeting, on, None)
        db.session.commit()
        return meeting.id
