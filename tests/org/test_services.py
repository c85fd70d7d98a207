from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.org import queries, services
from app.org.access import member_access_or_404
from app.org.models import Membership, MembershipKind, OrgUnit, UnitKind
from app.rules import RuleError, StaleEdit
from tests.conftest import make_cell, user_by_name


def test_roster_of_a_past_date_survives_a_transfer(ctx, world):
    source = make_cell(world["commune"], "Chi bộ thử A01")
    target = make_cell(world["commune"], "Chi bộ thử A02")
    member = queries.roster(source, date.today())[0].member
    current = db.session.scalars(select(Membership).where(Membership.member_id == member.id)).one()
    services.transfer_member(
        None, member, current, target, on=date(2025, 6, 1), kind=MembershipKind.regular, reason="Chuyển nơi cư trú"
    )
    db.session.flush()
    assert member.id in {r.member.id for r in queries.roster(source, date(2025, 5, 31))}
    assert member.id not in {r.member.id for r in queries.roster(source, date(2025, 6, 1))}
    assert member.id in {r.member.id for r in queries.roster(target, date(2025, 6, 1))}
    assert len(member_access_or_404(user_by_name("quantri"), member.id).memberships) == 2


def test_move_carries_the_subtree_and_keeps_members(ctx, world):
    district = db.session.get(OrgUnit, world["district"])
    commune = services.create_unit(None, district, kind=UnitKind.commune, name="Đảng bộ xã Thử Chuyển")
    cell = make_cell(commune.id, "Chi bộ thử B01")
    other = db.session.get(OrgUnit, world["other_district"])
    services.move_unit(None, commune, other)
    db.session.flush()
    cell = db.session.get(OrgUnit, cell.id)
    assert cell.path.startswith(other.path) and cell.path.endswith(f"/{commune.id}/{cell.id}/")
    assert len(queries.roster(cell, date.today())) == 2


def test_cannot_move_a_unit_under_itself_or_a_cell_under_a_province(ctx, world):
    commune = db.session.get(OrgUnit, world["commune"])
    cell = db.session.get(OrgUnit, world["cell"])
    with pytest.raises(RuleError):
        services.move_unit(None, commune, cell)
    with pytest.raises(RuleError):
        services.move_unit(None, cell, db.session.get(OrgUnit, world["province"]))


def test_retire_needs_a_successor_for_active_members_then_moves_them(ctx, world):
    old = make_cell(world["commune"], "Chi bộ thử C01")
    successor = make_cell(world["commune"], "Chi bộ thử C02")
    with pytest.raises(RuleError, match="đơn vị kế thừa"):
        services.retire_unit(None, old, on=date.today(), successor=None, reason="Sáp nhập thôn")
    moved = services.retire_unit(None, old, on=date.today(), successor=successor, reason="Sáp nhập thôn")
    db.session.flush()
    assert len(moved.members) == 2 and old.is_retired and old.successor_id == successor.id
    assert len(queries.roster(successor, date.today())) == 4
    assert len(queries.roster(old, date.today() - timedelta(days=1))) == 2  # history intact


def test_commune_with_children_cannot_be_retired(ctx, world):
    commune = db.session.get(OrgUnit, world["commune"])
    with pytest.raises(RuleError, match="trực thuộc"):
        services.retire_unit(None, commune, on=date.today(), successor=None, reason="x")


def test_concurrent_member_edit_is_detected(ctx, world):
    cell = make_cell(world["commune"], "Chi bộ thử D01")
    member = queries.roster(cell, date.today())[0].member
    stale_version = member.version
    data = {"full_name": member.full_name, "gender": "male", "joined_on": member.joined_on, "phone": "0912345678"}
    services.update_member(None, member, data, expected_version=stale_version, unit=cell)
    db.session.flush()
    with pytest.raises(StaleEdit):
        services.update_member(None, member, {**data, "phone": "0987654321"}, expected_version=stale_version, unit=cell)


def test_duplicate_card_number_is_refused(ctx, world):
    cell = make_cell(world["commune"], "Chi bộ thử E01")
    data = {"full_name": "Lê Văn Thẻ", "gender": "male", "joined_on": date(2010, 1, 1), "card_number": "77777777"}
    services.add_member(None, cell, data, from_on=date.today())
    with pytest.raises(RuleError, match="đã có"):
        services.add_member(None, cell, {**data, "full_name": "Lê Văn Khác"}, from_on=date.today())


def test_unit_overview_counts_cells_and_members_per_child(ctx, world):
    district = db.session.get(OrgUnit, world["district"])
    overview = queries.unit_overview(district, date.today())
    assert overview.cells == sum(c.cells for c in overview.children) + sum(c.unit.is_cell for c in overview.children)
    assert overview.members == sum(c.members for c in overview.children) > 0


def test_a_member_with_a_card_number_can_be_saved(ctx, world):
    cell = make_cell(world["commune"], "Chi bộ thử E02")
    data = {"full_name": "Lê Văn Có Thẻ", "gender": "male", "joined_on": date(2010, 1, 1), "card_number": "77777778"}
    member = services.add_member(None, cell, data, from_on=date.today())
    db.session.flush()
    services.update_member(None, member, {**data, "phone": "0912345670"}, expected_version=member.version, unit=cell)
    db.session.flush()
    assert member.phone == "0912345670" and member.card_number == "77777778"
