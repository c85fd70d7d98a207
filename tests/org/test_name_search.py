"""Member search through the name index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL)."""

from datetime import date

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.org import queries, services
from app.org.models import Member, Membership
from tests.conftest import make_cell, user_by_name


def _add(cell, full_name):
    return services.add_member(
        None,
        cell,
        {"full_name": full_name, "gender": "female", "joined_on": date(2010, 1, 1), "official_on": date(2011, 1, 1)},
        from_on=date(2020, 1, 1),
    )


def _names(user, text, within=None):
    return [h.member.full_name for h in queries.search_members(user_by_name(user), text, within=within)]


@pytest.fixture()
def people(ctx, world):
    """Unusual names in a fresh cell of the demo commune and one in another commune."""
    here = make_cell(world["commune"], "Chi bộ thử tìm X01")
    there = make_cell(world["other_commune"], "Chi bộ thử tìm X02")
    found = {
        "xuyen": _add(here, "Khổng Thị Quỳnh Xuyến"),
        "xuyen_an": _add(here, "Khổng Xuyến An"),
        "xuyen_lan": _add(here, "Khổng Xuyến Lan"),
        "exact": _add(here, "Khổng Xuyến"),
        "far": _add(there, "Khổng Thị Xuyến Ngoài"),
    }
    db.session.flush()
    return found


def test_finds_by_any_part_of_the_name_with_or_without_marks(people):
    for typed in ("Quỳnh", "quynh", "QUYNH XUYEN", "xuyến khổng", "ỳnh xuy", "ong thi quy"):
        assert "Khổng Thị Quỳnh Xuyến" in _names("quantri", typed), typed
    assert _names("quantri", "quynh xuyen nam") == []


def test_a_short_word_matches_the_start_of_a_word(people):
    names = _names("quantri", "khong xuyen an")
    assert "Khổng Xuyến An" in names and "Khổng Xuyến Lan" not in names
    assert "Khổng Xuyến An" in _names("quantri", "an khong x")
    # One letter alone would read every member: nothing is looked up.
    assert _names("quantri", "k x") == []


def test_the_exact_name_then_names_starting_with_it_come_first(people):
    names = _names("quantri", "khong xuyen")
    assert names[:3] == ["Khổng Xuyến", "Khổng Xuyến An", "Khổng Xuyến Lan"]
    assert "Khổng Thị Quỳnh Xuyến" in names[3:]


def test_scope_is_kept(people, world):
    assert "Khổng Thị Xuyến Ngoài" in _names("quantri", "xuyen")
    commune = _names("xa", "xuyen")
    assert "Khổng Thị Quỳnh Xuyến" in commune and "Khổng Thị Xuyến Ngoài" not in commune
    other = db.session.get(Member, people["far"].id).memberships[0].unit.parent
    assert _names("quantri", "xuyen", within=other) == ["Khổng Thị Xuyến Ngoài"]


def test_a_renamed_member_is_found_by_the_new_name_only(people, world):
    member = people["xuyen"]
    unit = member.memberships[0].unit
    data = {c: getattr(member, c) for c in ("full_name", "gender", "joined_on", "official_on")}
    services.update_member(None, member, data | {"full_name": "Khổng Thị Quỳnh Thoa"}, expected_version=1, unit=unit)
    db.session.flush()
    assert "Khổng Thị Quỳnh Thoa" in _names("xa", "quynh thoa")
    assert _names("xa", "quynh xuyen") == []


def test_an_ended_member_is_still_found_without_a_cell(people):
    member = people["xuyen"]
    current = db.session.scalars(select(Membership).where(Membership.member_id == member.id)).one()
    services.end_membership(None, member, current, on=date.today(), reason="Chuyển đi nơi khác")
    db.session.flush()
    for user in ("quantri", "xa"):
        hits = [h for h in queries.search_members(user_by_name(user), "quynh xuyen")]
        assert [(h.member.id, h.unit, h.moved_away) for h in hits] == [(member.id, None, False)]


@pytest.mark.parametrize("user", ["quantri", "xa"])
def test_the_search_plan_uses_the_name_index(people, user):
    """The whole city starts from the index; a commune from its members, the index
    answering which of them match (SQLite; PostgreSQL's planner chooses itself)."""
    engine = db.session.get_bind()
    if user == "xa" and engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL starts from the scope or the index by its own estimates")
    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        assert _names(user, "quynh xuyen")
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    statement, parameters = statements[-1]
    conn = db.session.connection()
    if engine.dialect.name == "sqlite":
        plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        assert any("members_fts VIRTUAL TABLE" in row[-1] for row in plan), plan
        assert not any(row[-1].startswith("SCAN members ") for row in plan), plan
    else:
        # The demo is small enough to read whole: forbid that to see the index is usable.
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
        plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + statement, parameters))
        assert "ix_members_search_name" in plan, plan


def test_the_page_asks_for_two_letters(client, login_as):
    login_as("quantri")
    assert "Nhập ít nhất 2 chữ cái" in client.post("/members/search", data={"q": "v"}).get_data(as_text=True)
    assert "Nhập ít nhất 2 chữ cái" not in client.post("/members/search", data={"q": "va"}).get_data(as_text=True)
