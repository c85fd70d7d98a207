"""Personal data of members (issue 12, part 9): card numbers and phones masked until
asked for (and that request audited), and a cell a member left sees that member's
history of its own time only."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from app.meetings.models import Meeting
from app.org import services
from app.org.access import member_access_or_404
from app.org.models import Member, Membership, MembershipKind, OrgUnit, PositionTitle
from app.org.personal import mask
from tests.conftest import user_by_name

CARD = "81234567"
PHONE = "0912345678"
TODAY = date.today()
MOVED_ON = TODAY - timedelta(days=60)


# ---- masking -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value,shown",
    [
        ("81234567", "•••• 4567"),
        ("0912345678", "•••• 5678"),
        ("0912 345 678", "•••• 5678"),
        ("123456", "•••• 56"),
        ("12345", "••••"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_keeps_at_most_the_last_four_and_always_hides_more(value, shown):
    assert mask(value) == shown


# ---- a member transferred away -------------------------------------------------------


@pytest.fixture()
def moved(app, world):
    """A member of the secretary's cell (bithu) with a card and a phone, transferred two
    months ago to a cell of another commune, where they became committee member, were
    exempted and got new contact details."""
    with app.test_request_context():
        cell = db.session.get(OrgUnit, world["cell"])
        target = db.session.get(OrgUnit, world["other_commune_cell"])
        member = services.add_member(
            None,
            cell,
            {
                "full_name": "Lưu Văn Chuyển",
                "gender": "male",
                "birth_on": date(1980, 3, 4),
                "joined_on": date(2005, 1, 1),
                "official_on": date(2006, 1, 1),
                "card_number": "70000001",
                "phone": "0900000001",
                "notes": "Ghi chú của chi bộ cũ",
            },
            from_on=date(2015, 1, 1),
        )
        services.appoint(None, member, cell, PositionTitle.committee, date(2018, 1, 1))
        services.exempt(
            None, member, cell, reason="Ốm dài ngày năm 2019", from_on=date(2019, 1, 1), to_on=date(2019, 6, 1)
        )
        current = db.session.scalars(select(Membership).where(Membership.member_id == member.id)).one()
        services.transfer_member(
            None, member, current, target, on=MOVED_ON, kind=MembershipKind.regular, reason="theo nơi làm việc mới"
        )
        services.appoint(None, member, target, PositionTitle.committee, MOVED_ON + timedelta(days=10))
        services.exempt(
            None, member, target, reason="Đi học tập trung ở nơi mới", from_on=MOVED_ON + timedelta(days=5), to_on=None
        )
        member.card_number, member.phone, member.notes = CARD, PHONE, "Ghi chú của chi bộ mới"
        db.session.commit()
        return {"id": member.id, "old": cell.name, "new": target.name}


LATER = ("Đi học tập trung ở nơi mới", "Ghi chú của chi bộ mới", "theo nơi làm việc mới")


def test_a_former_cell_sees_its_own_time_only(client, login_as, moved):
    """Reproduces the finding: the former cell saw the current cell, phone, card and
    everything after the transfer."""
    for former in ("bithu", "xa"):
        login_as(former)
        response = client.get(f"/members/{moved['id']}")
        assert response.status_code == 200, former
        page = response.get_data(as_text=True)
        assert "Lưu Văn Chuyển" in page and moved["old"] in page and "Ốm dài ngày năm 2019" in page
        assert moved["new"] not in page, former  # neither the current cell nor the way it went
        for secret in (CARD, PHONE, CARD[-4:], PHONE[-4:], *LATER):
            assert secret not in page, (former, secret)
        assert "Chi ủy viên" in page  # the position held in the former cell
        assert page.count("Chi ủy viên") == 1  # not the one in the new cell
        assert "Chuyển sinh hoạt đi nơi khác" in page


def test_the_present_cell_and_offices_above_both_see_the_whole_record(client, login_as, moved):
    for whole in ("huyen", "quantri"):
        login_as(whole)
        page = client.get(f"/members/{moved['id']}").get_data(as_text=True)
        assert moved["new"] in page and moved["old"] in page and "Đi học tập trung ở nơi mới" in page, whole
        assert mask(CARD) in page and CARD not in page  # masked until asked for


def test_a_former_cell_may_not_reveal_or_change_anything(client, login_as, moved):
    login_as("xa")
    assert client.post(f"/members/{moved['id']}/reveal", data={"field": "phone"}).status_code == 403
    assert client.get(f"/members/{moved['id']}/edit").status_code == 403


def test_search_hits_hide_the_cell_a_member_moved_to(client, login_as, moved):
    login_as("bithu")
    hits = client.post("/members/search", data={"q": "luu van chuyen"}).get_data(as_text=True)
    assert "Lưu Văn Chuyển" in hits and moved["new"] not in hits
    login_as("huyen")
    assert moved["new"] in client.post("/members/search", data={"q": "luu van chuyen"}).get_data(as_text=True)


def test_the_rule_in_access(app, moved, world):
    with app.test_request_context():
        former = member_access_or_404(user_by_name("bithu"), moved["id"])
        assert not former.whole
        assert [m.unit_id for m in former.memberships] == [world["cell"]]
        assert former.period_end() == MOVED_ON
        assert member_access_or_404(user_by_name("huyen"), moved["id"]).whole


def test_a_member_who_left_the_party_stays_whole_for_the_last_cell(app, client, login_as, world):
    with app.test_request_context():
        cell = db.session.get(OrgUnit, world["cell"])
        member = services.add_member(
            None,
            cell,
            {"full_name": "Đỗ Văn Nghỉ", "gender": "male", "joined_on": date(2000, 1, 1), "phone": PHONE},
            from_on=date(2010, 1, 1),
        )
        current = db.session.scalars(select(Membership).where(Membership.member_id == member.id)).one()
        services.end_membership(None, member, current, on=TODAY - timedelta(days=3), reason="Từ trần")
        db.session.commit()
        member_id = member.id
    login_as("bithu")
    page = client.get(f"/members/{member_id}").get_data(as_text=True)
    assert mask(PHONE) in page and "Từ trần" in page


# ---- reveal on request ---------------------------------------------------------------


def _demo_member(world):
    return db.session.scalars(
        select(Member)
        .join(Membership, Membership.member_id == Member.id)
        .where(Membership.unit_id == world["cell"], Membership.to_on.is_(None), Member.card_number.is_not(None))
        .where(Member.phone.is_not(None))
        .order_by(Member.id)
    ).first()


def _reveals(member_id):
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "member.reveal", AuditEntry.object_id == member_id)
    ).all()


def test_profile_masks_card_and_phone_and_a_post_reveals_one_with_an_audit_entry(app, client, login_as, world):
    with app.app_context():
        member = _demo_member(world)
        member_id, card, phone, name = member.id, member.card_number, member.phone, member.full_name
    login_as("bithu")
    page = client.get(f"/members/{member_id}").get_data(as_text=True)
    assert card not in page and phone not in page
    assert mask(card) in page and mask(phone) in page
    assert f'action="/members/{member_id}/reveal"' in page
    with app.app_context():
        assert _reveals(member_id) == []

    fragment = client.post(
        f"/members/{member_id}/reveal", data={"field": "card_number"}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200 and fragment.headers["Cache-Control"] == "no-store"
    text = fragment.get_data(as_text=True)
    assert card in text and phone not in text and "<html" not in text
    with app.app_context():
        (entry,) = _reveals(member_id)
        assert entry.actor_id == user_by_name("bithu").id and entry.unit_id == world["cell"]
        assert "số thẻ đảng viên" in entry.summary and name in entry.summary and card not in entry.summary

    # Without JavaScript: the whole profile comes back with the phone shown.
    whole = client.post(f"/members/{member_id}/reveal", data={"field": "phone"}).get_data(as_text=True)
    assert "<html" in whole and phone in whole and card not in whole
    with app.app_context():
        assert len(_reveals(member_id)) == 2
        assert phone not in " ".join(e.summary for e in _reveals(member_id))


def test_reveal_refuses_other_fields_and_other_scopes(app, client, login_as, world):
    with app.app_context():
        member_id = _demo_member(world).id
    login_as("bithu")
    assert client.post(f"/members/{member_id}/reveal", data={"field": "notes"}).status_code == 400
    assert client.post(f"/members/{member_id}/reveal").status_code == 400
    login_as("xa")
    assert client.post(f"/members/{member_id}/reveal", data={"field": "phone"}).status_code == 200
    # The read-only viewer sees the profile masked, with no button, and may not ask.
    login_as("xem")
    page = client.get(f"/members/{member_id}").get_data(as_text=True)
    assert 'id="member-phone"' in page and "/reveal" not in page
    assert client.post(f"/members/{member_id}/reveal", data={"field": "phone"}).status_code == 403
    login_as("giamsat")  # a cadre's assignment opens meetings, not member profiles
    assert client.post(f"/members/{member_id}/reveal", data={"field": "phone"}).status_code == 404
    with app.app_context():
        other = db.session.scalar(
            select(func.min(Membership.member_id)).where(Membership.unit_id == world["other_district_cell"])
        )
    login_as("huyen")
    assert client.post(f"/members/{other}/reveal", data={"field": "phone"}).status_code == 404
    with app.app_context():
        assert [e.actor_id for e in _reveals(member_id)] == [user_by_name("xa").id]


def test_a_get_never_reveals(client, login_as, world, app):
    with app.app_context():
        member = _demo_member(world)
        member_id, card = member.id, member.card_number
    login_as("bithu")
    assert client.get(f"/members/{member_id}/reveal?field=card_number").status_code == 405
    # The edit form does not carry the stored numbers either: blank keeps them.
    form = client.get(f"/members/{member_id}/edit").get_data(as_text=True)
    assert card not in form and mask(card) in form


def test_editing_keeps_stored_numbers_when_left_blank_and_clears_on_request(app, client, login_as, world):
    with app.app_context():
        member = _demo_member(world)
        member_id, card, phone, version = member.id, member.card_number, member.phone, member.version
        data = {
            "full_name": member.full_name,
            "gender": member.gender,
            "birth_on": member.birth_on.isoformat() if member.birth_on else "",
            "ethnicity": member.ethnicity,
            "joined_on": member.joined_on.isoformat(),
            "official_on": member.official_on.isoformat() if member.official_on else "",
            "card_number": "",  # what a browser sends for the blank fields
            "phone": "",
            "notes": "Đổi ghi chú",
            "version": version,
        }
    login_as("bithu")
    assert client.post(f"/members/{member_id}/edit", data=data).status_code == 303
    with app.app_context():
        member = db.session.get(Member, member_id)
        assert (member.card_number, member.phone, member.notes) == (card, phone, "Đổi ghi chú")
        data["version"] = member.version
    data.update({"phone": "0987654321", "clear_card_number": "y"})
    assert client.post(f"/members/{member_id}/edit", data=data).status_code == 303
    with app.app_context():
        member = db.session.get(Member, member_id)
        assert (member.card_number, member.phone) == (None, "0987654321")


def test_no_list_or_print_carries_a_full_number(app, client, login_as, world):
    with app.app_context():
        cards = set(
            db.session.scalars(
                select(Member.card_number)
                .join(Membership, Membership.member_id == Member.id)
                .where(Membership.unit_id == world["cell"], Member.card_number.is_not(None))
            )
        )
        meeting = db.session.scalar(select(func.max(Meeting.id)).where(Meeting.cell_id == world["cell"]))
    assert cards and meeting
    login_as("xa")
    for url in (
        f"/units/{world['cell']}/members",
        f"/units/{world['commune']}",
        "/members/search",
        f"/meetings/{meeting}/print/sign-in",
        f"/meetings/{meeting}/print/minutes",
    ):
        page = client.get(url).get_data(as_text=True)
        assert not [c for c in cards if c in page], url
    page = client.post("/members/search", data={"q": "nguyen", "unit": world["commune"]}).get_data(as_text=True)
    assert not [c for c in cards if c in page]
