"""Fixtures: one migrated database per test session, loaded with the demo data: the
read-only demo base. SQLite by default; set DATABASE_URL=postgresql://… to run the same
suite on PostgreSQL.

Nothing a test does stays in the base:
- a test's writes are rolled back at its end (`rolled_back`);
- a module marked `committing` or `browser` (live servers, threads, a second app,
  module-wide fixtures, backups) gets its own copy of the base for its `app`
  (tests/databases.py: SQLite's backup API, PostgreSQL's CREATE DATABASE … TEMPLATE),
  dropped after the module;
- the session ends by comparing every table of the base with its fingerprint taken after
  the demo build, and fails naming the tables a test changed."""

import itertools
import os
from datetime import date, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from app import create_app
from app.config import Config, TestConfig
from app.db import utcnow
from app.extensions import db
from tests.databases import changed_tables, fingerprint, own_copy


def _database_uri(tmp_path_factory) -> str:
    if os.environ.get("DATABASE_URL"):
        return Config.database_uri("")
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


@pytest.fixture(scope="session")
def base_app(tmp_path_factory):
    """The app on the demo base; tests reach it through `app`."""
    uri = _database_uri(tmp_path_factory)
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=uri, SECRET_KEY="test-secret")
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        from app.demo.data import build_small
        from app.demo.meetings import build_meetings

        build_small()
        build_meetings()
        from app.demo.documents import build_documents

        build_documents()
        from app.demo.supervision import build_cadres

        build_cadres("demo-chibo-2026")
        from app.demo.scoring import build_scores

        build_scores()
        from app.demo.proposals import build_proposals

        build_proposals()
        from app.demo.criticism import build_criticism

        build_criticism()
        db.session.commit()
        db.session.remove()
        before = fingerprint(db.engine)
    yield app
    with app.app_context():
        changed = changed_tables(before, fingerprint(db.engine))
        db.engine.dispose()
    assert not changed, "a test committed into the read-only demo base:\n" + "\n".join(changed)


def _commits(node) -> bool:
    return bool(node.get_closest_marker("committing") or node.get_closest_marker("browser"))


_copy_counter = itertools.count(1)


@pytest.fixture(scope="module")
def app(request, base_app, tmp_path_factory):
    """The demo base, or for a module that commits for real its own copy of it."""
    if not _commits(request.node):
        yield base_app
        return
    name = f"copy{next(_copy_counter)}"
    with own_copy(base_app, name, tmp_path_factory.mktemp(name)) as copy:
        yield copy


@pytest.fixture(autouse=True)
def rolled_back(request, app):
    """Each test's writes are undone at its end (Indico's way): the app's engine is
    swapped for one connection inside a transaction that is rolled back, and every
    session joins it through a savepoint, so a commit in a view only releases that
    savepoint. Tests that need real commits — a live server, threads, a second app on
    the database, a backup, fixtures shared across a module — are marked `committing`
    and run on their module's copy of the base."""
    if _commits(request.node):
        if app is request.getfixturevalue("base_app"):
            pytest.fail("mark the whole module `committing`: only a module gets its own copy of the base")
        yield
        return
    with app.app_context():
        engines = db._app_engines[app]
        engine = engines[None]
        connection = engine.connect()
        outer = connection.begin()
    session_options = db.session.session_factory.kw
    engines[None] = connection
    session_options["join_transaction_mode"] = "create_savepoint"
    try:
        yield
    finally:
        del session_options["join_transaction_mode"]
        engines[None] = engine
        outer.rollback()
        connection.close()


@pytest.fixture()
def ctx(app):
    with app.test_request_context():
        yield
        db.session.rollback()
        db.session.remove()


@pytest.fixture()
def client(app):
    return app.test_client()


def user_by_name(username):
    from app.auth.models import User

    return db.session.scalars(select(User).where(User.username == username)).one()


@pytest.fixture()
def login_as(app, client):
    """Sign the test client in as a user without the cost of hashing a password."""

    def _login(username_or_user, c=None):
        c = c or client
        with app.app_context():
            user = user_by_name(username_or_user) if isinstance(username_or_user, str) else username_or_user
            user = db.session.merge(user)
            session_id = user.get_id()
        with c.session_transaction() as session:
            now = utcnow().isoformat()
            session.update({"_user_id": session_id, "_fresh": True, "auth_at": now, "seen_at": now})
        return c

    return _login


@pytest.fixture(scope="session")
def world(base_app):
    """Ids of the demo tree used across tests."""
    from app.org.models import OrgUnit, Role, RoleAssignment

    with base_app.app_context():

        def role_unit(username, role):
            return db.session.scalar(
                select(RoleAssignment.unit_id)
                .join(RoleAssignment.unit)
                .where(RoleAssignment.role == role.value, RoleAssignment.user_id == user_by_name(username).id)
                .order_by(RoleAssignment.id)
            )

        commune_id = role_unit("xa", Role.commune_office)
        district_id = role_unit("huyen", Role.district_office)
        cell_id = role_unit("bithu", Role.cell_secretary)
        commune = db.session.get(OrgUnit, commune_id)
        # The last cell of the commune: the demo supervisor follows only the first three.
        sibling_cell = db.session.scalars(
            select(OrgUnit)
            # Demo cells have codes; cells that tests create don't, so this stays put.
            .where(OrgUnit.parent_id == commune_id, OrgUnit.id != cell_id, OrgUnit.kind == "cell")
            .where(OrgUnit.code.is_not(None))
            .order_by(OrgUnit.id.desc())
        ).first()
        other_commune = db.session.scalars(
            select(OrgUnit)
            .where(OrgUnit.parent_id == district_id, OrgUnit.id != commune_id, OrgUnit.kind == "commune")
            .order_by(OrgUnit.id)
        ).first()
        other_district = db.session.scalars(
            select(OrgUnit).where(OrgUnit.kind == "district", OrgUnit.id != district_id)
        ).first()
        cell_in = lambda parent: db.session.scalars(  # noqa: E731
            select(OrgUnit).where(OrgUnit.path.like(parent.path + "%"), OrgUnit.kind == "cell").order_by(OrgUnit.id)
        ).first()
        return {
            "district": district_id,
            "commune": commune_id,
            "cell": cell_id,
            "sibling_cell": sibling_cell.id,
            "other_commune": other_commune.id,
            "other_commune_cell": cell_in(other_commune).id,
            "other_district": other_district.id,
            "other_district_cell": cell_in(other_district).id,
            "province": commune.ancestor_ids[0],
        }


def make_cell(parent_id: int, name: str):
    """A fresh cell with two members, created through the services (for tests that write)."""
    from app.org import services
    from app.org.models import OrgUnit, UnitKind

    parent = db.session.get(OrgUnit, parent_id)
    cell = services.create_unit(
        None, parent, kind=UnitKind.cell, name=name, cell_type="residential", valid_from=date(2020, 1, 1)
    )
    for full_name in (f"Nguyễn Văn {name[-3:]}", f"Trần Thị {name[-3:]}"):
        services.add_member(
            None,
            cell,
            {"full_name": full_name, "gender": "male", "joined_on": date(2010, 1, 1), "official_on": date(2011, 1, 1)},
            from_on=date(2020, 1, 1),
        )
    db.session.flush()
    return cell


_cell_counter = itertools.count(1)


@pytest.fixture()
def cell(app, world):
    """A fresh cell with two members under the demo commune, for a test that writes."""
    with app.app_context():
        unit = make_cell(world["commune"], f"Chi bộ thử nghiệm họp {next(_cell_counter):03d}")
        db.session.commit()
        return unit.id


@pytest.fixture()
def held_meeting(app, cell):
    """A regular meeting held a week ago in the fresh cell."""
    from app.meetings import services
    from app.org.models import OrgUnit

    with app.test_request_context():
        unit = db.session.get(OrgUnit, cell)
        on = date.today() - timedelta(days=7)
        meeting = services.schedule_meeting(None, unit, kind="regular", planned_on=on, place="Hội trường thôn")
        services.mark_held(None, meeting, on, None)
        db.session.commit()
        return meeting.id


@pytest.fixture()
def count_queries(app):
    """A context manager collecting the SQL statements run inside it (BEGIN excluded)."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def _count():
        statements = []

        def listen(conn, cursor, statement, *args):
            # Transaction markers are not queries (the savepoints come from rolled_back).
            if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT")):
                statements.append(statement)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", listen)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", listen)

    return _count
