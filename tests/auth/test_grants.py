"""No escalation through account management (issue 12, V1 and V3): a manager grants
only roles whose permissions they hold on that unit, never to themselves; roles that
read criticism texts only an administrator or the commune office of the cell; an
account is managed only by someone whose scope holds every role and supervision
assignment it ever had or will have."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.auth import services
from app.auth.models import User
from app.criticism.models import CriticismNote
from app.extensions import db
from app.meetings.models import Meeting
from app.org.access import ASSIGNABLE_ROLES, Permission, Refused, can, can_manage_account, grant_refusal, offered_roles
from app.org.models import OrgUnit, Role, RoleAssignment
from tests.conftest import user_by_name

NEXT_WEEK = date.today() + timedelta(days=7)


def _unit(unit_id):
    return db.session.get(OrgUnit, unit_id)


def _roles_of(username):
    return db.session.scalar(
        select(func.count()).select_from(RoleAssignment).where(RoleAssignment.user_id == user_by_name(username).id)
    )


def _account(username, role, unit_id, from_on=None):
    user = services.create_account(
        None, username=username, full_name="Người Thử Quyền", password="mat-khau-thu-1", role=role, unit=_unit(unit_id)
    )
    if from_on is not None:
        db.session.scalars(select(RoleAssignment).where(RoleAssignment.user_id == user.id)).one().from_on = from_on
    db.session.flush()
    return user


def _meeting_with_notes(cell_id):
    return db.session.scalar(
        select(Meeting.id)
        .join(CriticismNote, CriticismNote.meeting_id == Meeting.id)
        .where(Meeting.cell_id == cell_id)
        .order_by(Meeting.id)
        .limit(1)
    )


# --- the rules, as services ---------------------------------------------------------


def grantable_roles(granter, unit):
    return {role for role in ASSIGNABLE_ROLES if grant_refusal(granter, role, unit) is None}


def test_grantable_roles_follow_the_granters_own_permissions(ctx, world):
    huyen, xa, quantri = user_by_name("huyen"), user_by_name("xa"), user_by_name("quantri")
    cell = _unit(world["cell"])
    # A district office holds no note permission: it may give only roles without texts.
    assert set(grantable_roles(huyen, cell)) == {Role.district_office, Role.supervisor, Role.viewer}
    assert set(grantable_roles(xa, cell)) == set(Role) - {Role.admin}
    assert set(grantable_roles(quantri, cell)) == set(Role) - {Role.admin}
    assert grantable_roles(xa, _unit(world["other_commune_cell"])) == set()
    assert set(offered_roles(huyen)) == grantable_roles(huyen, cell)
    assert set(offered_roles(xa)) == grantable_roles(xa, cell)
    assert offered_roles(user_by_name("bithu")) == []
    # A cell directly under a district has no commune office: note roles from an administrator only.
    direct = db.session.scalars(
        select(OrgUnit).where(OrgUnit.parent_id == world["district"], OrgUnit.kind == "cell")
    ).first()
    assert Role.cell_secretary not in grantable_roles(huyen, direct)
    assert Role.cell_secretary in grantable_roles(quantri, direct)


@pytest.mark.parametrize("role", [Role.cell_secretary, Role.cell_deputy, Role.commune_office])
def test_district_office_may_not_grant_a_note_role(ctx, world, role):
    huyen, xem = user_by_name("huyen"), user_by_name("xem")
    with pytest.raises(Refused, match="văn phòng đảng ủy xã"):
        services.grant_role(huyen, xem, role, _unit(world["cell"]))


def test_nobody_grants_to_themselves(ctx, world):
    for username, unit_id in (("quantri", world["cell"]), ("xa", world["cell"]), ("huyen", world["district"])):
        user = user_by_name(username)
        with pytest.raises(Refused, match="chính mình"):
            services.grant_role(user, user, Role.viewer, _unit(unit_id))


def test_commune_office_grants_note_roles_in_its_own_cells_only(ctx, world):
    xa = user_by_name("xa")
    account = _account("thu_bi_thu", Role.viewer, world["cell"])
    assignment = services.grant_role(xa, account, Role.cell_deputy, _unit(world["sibling_cell"]))
    assert assignment.role == Role.cell_deputy.value
    with pytest.raises(Refused):
        services.create_account(
            xa,
            username="bi_thu_xa_khac",
            full_name="Bí Thư Xã Khác",
            password="mat-khau-thu-1",
            role=Role.cell_secretary,
            unit=_unit(world["other_commune_cell"]),
        )


def test_admin_role_is_never_granted_here(ctx, world):
    with pytest.raises(Refused):
        services.grant_role(user_by_name("quantri"), user_by_name("xem"), Role.admin, _unit(world["province"]))


def test_managing_an_account_considers_roles_that_start_later(ctx, world):
    account = _account("sap_chuyen", Role.viewer, world["cell"])
    huyen, xa = user_by_name("huyen"), user_by_name("xa")
    assert can_manage_account(huyen, account) and can_manage_account(xa, account)
    # Next week it becomes the office of the other district.
    services.grant_role(None, account, Role.district_office, _unit(world["other_district"]), NEXT_WEEK)
    assert not can_manage_account(huyen, account) and not can_manage_account(xa, account)
    assert can_manage_account(user_by_name("quantri"), account)
    with pytest.raises(Refused):
        services.update_account(huyen, account, full_name="X", is_enabled=True, new_password="mat-khau-moi-99")


def test_managing_an_account_considers_ended_roles_and_supervision(ctx, world):
    from app.supervision.models import SupervisionAssignment

    account = _account("da_chuyen", Role.viewer, world["cell"])
    xa = user_by_name("xa")
    db.session.add(
        RoleAssignment(
            user_id=account.id,
            unit_id=world["other_commune"],
            role=Role.viewer.value,
            from_on=date(2020, 1, 1),
            to_on=date(2021, 1, 1),
        )
    )
    db.session.flush()
    assert not can_manage_account(xa, account)
    assert can_manage_account(user_by_name("huyen"), account)
    other = _account("theo_doi_xa_khac", Role.viewer, world["cell"])
    db.session.add(
        SupervisionAssignment(
            user_id=other.id,
            cell_id=world["other_commune_cell"],
            kind="follows",
            level="district",
            from_on=NEXT_WEEK,
        )
    )
    db.session.flush()
    assert not can_manage_account(xa, other)


def test_nobody_manages_their_own_account_through_the_admin_form(ctx):
    for username in ("quantri", "xa"):
        user = user_by_name(username)
        assert not can_manage_account(user, user)
        with pytest.raises(Refused, match="chính mình"):
            services.update_account(
                user, user, full_name=user.full_name, is_enabled=True, new_password="mat-khau-moi-99"
            )


def test_ending_a_role_needs_the_account_in_scope(ctx, world):
    account = _account("ket_thuc", Role.viewer, world["cell"])
    services.grant_role(None, account, Role.viewer, _unit(world["other_commune_cell"]))
    with pytest.raises(Refused):
        services.end_role(user_by_name("xa"), account.roles[0])
    xa = user_by_name("xa")
    with pytest.raises(Refused, match="chính mình"):
        services.end_role(xa, next(ra for ra in xa.roles))


def test_every_change_is_audited(ctx, world):
    from app.audit.models import AuditEntry

    xa = user_by_name("xa")
    account = _account("duoc_kiem", Role.viewer, world["cell"])
    before = db.session.scalar(select(func.max(AuditEntry.id)))
    assignment = services.grant_role(xa, account, Role.cell_deputy, _unit(world["cell"]))
    services.end_role(xa, assignment)
    services.update_account(xa, account, full_name=account.full_name, is_enabled=False, new_password="mat-khau-moi-99")
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.id > before).order_by(AuditEntry.id)).all()
    assert actions == ["role.grant", "role.end", "account.update"]


# --- the attacks, through the views --------------------------------------------------


def test_v1_district_office_cannot_grant_itself_cell_secretary(app, client, login_as, world):
    with app.app_context():
        huyen_id = user_by_name("huyen").id
        meeting_id = _meeting_with_notes(world["cell"])
        before = _roles_of("huyen")
    assert meeting_id is not None
    login_as("huyen")
    response = client.post(f"/accounts/{huyen_id}/roles", data={"role": "cell_secretary", "unit_id": world["cell"]})
    assert response.status_code == 403
    assert "chính mình" in response.get_data(as_text=True)
    with app.app_context():
        assert _roles_of("huyen") == before
    assert client.post(f"/meetings/{meeting_id}/notes").status_code == 403


def test_v1_district_office_cannot_grant_cell_secretary_to_anyone(app, client, login_as, world):
    with app.app_context():
        xem_id = user_by_name("xem").id
        before = _roles_of("xem")
    login_as("huyen")
    response = client.post(f"/accounts/{xem_id}/roles", data={"role": "cell_secretary", "unit_id": world["cell"]})
    assert response.status_code == 403
    assert "văn phòng đảng ủy xã" in response.get_data(as_text=True)
    with app.app_context():
        assert _roles_of("xem") == before


def test_v1_district_office_cannot_create_an_account_that_reads_notes(app, client, login_as, world):
    login_as("huyen")
    data = {
        "username": "tay_trong",
        "full_name": "Tay Trong",
        "password": "mat-khau-tay-trong",
        "role": "cell_deputy",
        "unit_id": world["cell"],
    }
    response = client.post("/accounts/new", data=data)
    assert response.status_code == 403
    assert "văn phòng đảng ủy xã" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(User.username == "tay_trong")) == 0


def test_commune_office_cannot_create_a_note_role_in_another_commune(app, client, login_as, world):
    login_as("xa")
    data = {
        "username": "xa_khac_bi_thu",
        "full_name": "Bí Thư Khác",
        "password": "mat-khau-tay-trong",
        "role": "cell_secretary",
        "unit_id": world["other_commune_cell"],
    }
    assert client.post("/accounts/new", data=data).status_code in (403, 422)
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(User.username == "xa_khac_bi_thu")) == 0
    # In its own cell it may.
    data |= {"unit_id": world["cell"]}
    assert client.post("/accounts/new", data=data).status_code == 303


def test_self_password_reset_and_self_role_end_are_refused(app, client, login_as):
    with app.app_context():
        xa = user_by_name("xa")
        xa_id, role_id, password_hash = xa.id, xa.roles[0].id, xa.password_hash
    login_as("xa")
    response = client.post(
        f"/accounts/{xa_id}", data={"full_name": "Văn phòng", "is_enabled": "y", "new_password": "mat-khau-moi-99"}
    )
    assert response.status_code == 403
    assert "Đổi mật khẩu" in response.get_data(as_text=True)
    assert client.post(f"/roles/{role_id}/end").status_code == 403
    with app.app_context():
        assert user_by_name("xa").password_hash == password_hash
        assert db.session.get(RoleAssignment, role_id).to_on is None


def test_v3_other_districts_future_office_is_out_of_reach(app, client, login_as, world):
    with app.app_context():
        account = _account("van_phong_moi", Role.viewer, world["cell"])
        services.grant_role(None, account, Role.district_office, _unit(world["other_district"]), NEXT_WEEK)
        db.session.commit()
        account_id, password_hash = account.id, account.password_hash
    login_as("huyen")
    response = client.post(
        f"/accounts/{account_id}", data={"full_name": "Ai Đó", "is_enabled": "y", "new_password": "mat-khau-moi-99"}
    )
    assert response.status_code == 404
    assert client.get(f"/accounts/{account_id}").status_code == 404
    assert "van_phong_moi" not in client.get("/accounts").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, account_id).password_hash == password_hash


def test_role_select_lists_only_grantable_roles(app, client, login_as, world):
    with app.app_context():
        account_id = _account("chon_vai_tro", Role.viewer, world["cell"]).id
        db.session.commit()
    login_as("huyen")
    page = client.get(f"/accounts/{account_id}").get_data(as_text=True)
    assert 'value="viewer"' in page and 'value="supervisor"' in page
    assert 'value="cell_secretary"' not in page and 'value="commune_office"' not in page
    assert 'value="cell_secretary"' not in client.get("/accounts/new").get_data(as_text=True)
    login_as("xa")
    assert 'value="cell_secretary"' in client.get(f"/accounts/{account_id}").get_data(as_text=True)
    assert 'value="admin"' not in client.get(f"/accounts/{account_id}").get_data(as_text=True)


def test_granting_a_held_role_still_works(app, client, login_as, world):
    with app.app_context():
        account_id = _account("duoc_giao", Role.viewer, world["cell"]).id
        db.session.commit()
    login_as("huyen")
    response = client.post(f"/accounts/{account_id}/roles", data={"role": "supervisor", "unit_id": world["commune"]})
    assert response.status_code == 303
    login_as("xa")
    response = client.post(f"/accounts/{account_id}/roles", data={"role": "cell_secretary", "unit_id": world["cell"]})
    assert response.status_code == 303
    with app.app_context():
        account = db.session.get(User, account_id)
        assert {ra.role for ra in account.roles} == {"viewer", "supervisor", "cell_secretary"}
        assert can(account, Permission.read_notes, _unit(world["cell"]))


# --- managing an account hands over what it holds ------------------------------------


def test_district_office_cannot_manage_accounts_that_read_notes(ctx, world):
    huyen, xa = user_by_name("huyen"), user_by_name("xa")
    # Resetting the secretary's or the in-charge cadre's password would hand their texts over.
    for username in ("bithu", "phobithu", "giamsat", "xa"):
        assert not can_manage_account(huyen, user_by_name(username)), username
    assert can_manage_account(xa, user_by_name("bithu"))
    assert can_manage_account(huyen, user_by_name("xem"))


def test_v1_district_office_cannot_take_over_the_secretarys_account(app, client, login_as, world):
    with app.app_context():
        bithu = user_by_name("bithu")
        bithu_id, password_hash = bithu.id, bithu.password_hash
    login_as("huyen")
    reset = {"full_name": bithu.full_name, "is_enabled": "y", "new_password": "mat-khau-chiem-quyen"}
    assert client.post(f"/accounts/{bithu_id}", data=reset).status_code == 404
    assert "bithu" not in client.get("/accounts").get_data(as_text=True)
    with app.app_context():
        assert user_by_name("bithu").password_hash == password_hash


def _cadre_with_member(world):
    """giamsat's member, on a fresh account (giamsat itself is in charge already)."""
    account = _account("can_bo_moi", Role.viewer, world["cell"])
    account.member_id = user_by_name("giamsat").member_id
    db.session.flush()
    return account


def test_in_charge_assignment_reads_notes_so_only_the_commune_office_gives_it(ctx, world):
    from app.supervision import services as supervision

    cadre = _cadre_with_member(world)
    cell = _unit(world["sibling_cell"])
    with pytest.raises(Refused, match="văn phòng đảng ủy xã"):
        supervision.assign(user_by_name("huyen"), cadre, [cell], "in_charge", "district", date.today())
    assert supervision.assign(user_by_name("huyen"), cadre, [cell], "follows", "district", date.today())
    other = _unit(world["cell"])
    assert supervision.assign(user_by_name("xa"), cadre, [other], "in_charge", "commune", date.today())
    xa = user_by_name("xa")
    xa.member_id = cadre.member_id
    with pytest.raises(Refused, match="chính mình"):
        supervision.assign(xa, xa, [cell], "follows", "commune", NEXT_WEEK)


def test_district_office_is_offered_and_allowed_only_follows(app, client, login_as, world):
    with app.app_context():
        cadre_id = user_by_name("giamsat").id
    login_as("huyen")
    page = client.get(f"/units/{world['district']}/supervision").get_data(as_text=True)
    assert 'value="follows"' in page and 'value="in_charge"' not in page
    data = {
        "user_id": cadre_id,
        "cell_ids": [world["sibling_cell"]],
        "kind": "in_charge",
        "level": "district",
        "from_on": NEXT_WEEK.isoformat(),
    }
    response = client.post(f"/units/{world['district']}/supervision", data=data)
    assert response.status_code == 403 and "văn phòng đảng ủy xã" in response.get_data(as_text=True)
    login_as("xa")
    assert 'value="in_charge"' in client.get(f"/units/{world['commune']}/supervision").get_data(as_text=True)
