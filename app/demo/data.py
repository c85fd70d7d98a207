"""`flask demo-data`: a realistic district tree with members, positions, exemptions and
one account per role; `--scale haiphong` builds a tree of Hải Phòng's size (2019)."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import column, func, insert, select, table
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.extensions import db
from app.org.history import derive_place
from app.org.models import (
    CellType,
    Exemption,
    Member,
    Membership,
    OrgUnit,
    Position,
    Role,
    RoleAssignment,
    UnitKind,
    UnitVersion,
)
from app.org.vietnamese import fold, sort_key

from . import names

DEMO_PASSWORD = "demo-chibo-2026"  # nosec B105  # the published password of the demo accounts only
TODAY = date.today()


@dataclass
class Plan:
    """Shape of the tree to build."""

    province: str
    districts: list[tuple[str, list[str]]]  # (district, communes)
    cells_per_commune: tuple[int, int]
    members_per_cell: tuple[int, int]
    direct_cells_per_district: list[int] = field(default_factory=list)


SMALL = Plan(
    province="Đảng bộ tỉnh Ninh Bình",
    districts=[
        ("Đảng bộ huyện Hoa Lư", ["Đảng bộ xã Ninh Hải", "Đảng bộ xã Ninh Xuân", "Đảng bộ xã Trường Yên"]),
        ("Đảng bộ huyện Gia Viễn", ["Đảng bộ xã Gia Sinh", "Đảng bộ xã Gia Hòa", "Đảng bộ xã Gia Thanh"]),
    ],
    cells_per_commune=(4, 8),
    members_per_cell=(8, 30),
)


def haiphong_plan() -> Plan:
    """15 districts, 590 grassroots committees with 6,095 cells, 707 cells directly under
    a district (1,297 grassroots organisations), 124,509 members (seed article, 2019)."""
    rng = random.Random(2019)  # nosec B311  # demo data, seeded so every build is the same
    districts = []
    committees = [590 // 15 + (1 if i < 590 % 15 else 0) for i in range(15)]
    for d in range(15):
        districts.append(
            (
                f"Đảng bộ quận/huyện số {d + 1:02d}",
                [f"Đảng bộ cơ sở {d + 1:02d}.{c + 1:03d}" for c in range(committees[d])],
            )
        )
    direct = [707 // 15 + (1 if i < 707 % 15 else 0) for i in range(15)]
    rng.shuffle(direct)
    return Plan("Đảng bộ thành phố Hải Phòng", districts, (0, 0), (0, 0), direct)


class Builder:
    """Builds rows in memory and inserts them in bulk: ids are assigned here so paths
    can be written in the same insert."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)  # nosec B311  # demo data, seeded so every build is the same
        self.units: list[dict] = []
        self.versions: list[dict] = []
        self.members: list[dict] = []
        self.memberships: list[dict] = []
        self.positions: list[dict] = []
        self.exemptions: list[dict] = []
        self.next_unit = (db.session.scalar(select(func.max(OrgUnit.id))) or 0) + 1
        self.next_member = (db.session.scalar(select(func.max(Member.id))) or 0) + 1
        self.card = 1_000_000 + self.next_member

    def unit(self, parent: dict | None, kind: UnitKind, name: str, **extra) -> dict:
        uid = self.next_unit
        self.next_unit += 1
        row = {
            "id": uid,
            "parent_id": parent["id"] if parent else None,
            "kind": kind.value,
            "name": name,
            "code": None,
            "cell_type": None,
            "meeting_day": None,
            "valid_from": date(2020, 1, 1),
            "valid_to": None,
            "successor_id": None,
            "path": f"{parent['path'] if parent else '/'}{uid}/",
        }
        row.update(extra)
        self.units.append(row)
        # Its first version: what documents print until it is renamed, moved or retired.
        self.versions.append(
            {
                "unit_id": uid,
                "name": name,
                "kind": kind.value,
                "place_name": derive_place(name),
                "parent_id": row["parent_id"],
                "path": row["path"],
                "valid_from": row["valid_from"],
                "valid_to": row["valid_to"],
            }
        )
        return row

    def person(self) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.55:
            return "male", f"{rng.choice(names.FAMILY)} {rng.choice(names.MIDDLE_MALE)} {rng.choice(names.GIVEN_MALE)}"
        return (
            "female",
            f"{rng.choice(names.FAMILY)} {rng.choice(names.MIDDLE_FEMALE)} {rng.choice(names.GIVEN_FEMALE)}",
        )

    def member(
        self,
        cell: dict,
        *,
        kind: str = "regular",
        probationary: bool | None = None,
        full_name: str | None = None,
        gender: str | None = None,
    ) -> dict:
        rng = self.rng
        mid = self.next_member
        self.next_member += 1
        self.card += 1
        g, name = self.person()
        gender, full_name = gender or g, full_name or name
        birth = date(rng.randint(1945, 2003), rng.randint(1, 12), rng.randint(1, 28))
        earliest_join = date(birth.year + 18, birth.month, birth.day)
        probationary = rng.random() < 0.08 if probationary is None else probationary
        if probationary:
            joined = TODAY - timedelta(days=rng.randint(30, 330))
            official = None
        else:
            span = max(1, (TODAY - timedelta(days=400) - earliest_join).days)
            joined = earliest_join + timedelta(days=rng.randint(0, span))
            official = joined + timedelta(days=365)
        row = {
            "id": mid,
            "full_name": full_name,
            "search_name": fold(full_name),
            "sort_key": sort_key(full_name),
            "gender": gender,
            "birth_on": birth,
            "ethnicity": rng.choice(names.ETHNICITIES),
            "joined_on": joined,
            "official_on": official,
            "card_number": f"{self.card:08d}",
            "phone": f"09{rng.randint(10_000_000, 99_999_999)}",
            "notes": None,
            "version": 1,
        }
        self.members.append(row)
        start = max(joined, cell["valid_from"]) if kind == "regular" else TODAY - timedelta(days=rng.randint(20, 200))
        self.memberships.append(
            {"member_id": mid, "unit_id": cell["id"], "kind": kind, "from_on": start, "to_on": None, "end_reason": None}
        )
        return row

    def populate_cell(self, cell: dict, count: int) -> list[dict]:
        rng = self.rng
        people = [self.member(cell) for _ in range(count)]
        for _ in range(rng.choice([0, 0, 1, 2]) if count > 8 else 0):
            people.append(self.member(cell, kind="temporary", probationary=False))
        full = [p for p in people if p["official_on"]]
        since = TODAY - timedelta(days=rng.randint(200, 1500))
        titles = ["secretary"] + (["deputy", "committee", "committee"] if len(full) >= 9 else [])
        for title, person in zip(titles, full, strict=False):
            self.positions.append(
                {"member_id": person["id"], "unit_id": cell["id"], "title": title, "from_on": since, "to_on": None}
            )
        elderly = [p for p in people if p["birth_on"].year < 1955]
        for person in elderly[: rng.choice([0, 1, 1, 2])]:
            self.exemptions.append(
                {
                    "member_id": person["id"],
                    "reason": rng.choice(["Tuổi cao, sức yếu", "Ốm đau dài ngày", "Tuổi cao (trên 70 tuổi)"]),
                    "from_on": TODAY - timedelta(days=rng.randint(60, 900)),
                    "to_on": None,
                }
            )
        return people

    def flush(self) -> None:
        for model, rows in (
            (OrgUnit, self.units),
            (UnitVersion, self.versions),
            (Member, self.members),
            (Membership, self.memberships),
            (Position, self.positions),
            (Exemption, self.exemptions),
        ):
            for start in range(0, len(rows), 5000):
                db.session.execute(insert(model), rows[start : start + 5000])
            rows.clear()
        reset_sequences("org_units", "members")


def reset_sequences(*tables: str) -> None:
    """After bulk inserts with explicit ids, PostgreSQL's sequences must catch up."""
    if db.engine.dialect.name != "postgresql":
        return
    for name in tables:
        last_id = select(func.coalesce(func.max(column("id")), 1)).select_from(table(name)).scalar_subquery()
        db.session.execute(select(func.setval(func.pg_get_serial_sequence(name, "id"), last_id)))


def _cell_name_and_type(rng: random.Random, index: int, commune_short: str) -> tuple[str, CellType]:
    roll = index % 6
    if roll in (0, 1, 2):
        return (
            f"Chi bộ thôn {names.VILLAGES[(index * 7 + len(commune_short)) % len(names.VILLAGES)]}",
            CellType.residential,
        )
    if roll == 3:
        return f"Chi bộ {names.AGENCIES[(index // 6) % len(names.AGENCIES)]} {commune_short}", CellType.agency
    if roll == 4:
        return (
            f"Chi bộ {names.STATE_ENTERPRISES[(index // 6) % len(names.STATE_ENTERPRISES)]} {commune_short}",
            CellType.state_enterprise,
        )
    return f"Chi bộ {names.OTHER_ENTERPRISES[(index // 6) % len(names.OTHER_ENTERPRISES)]}", CellType.other_enterprise


def _account(username: str, full_name: str, role: Role, unit_id: int, member_id: int | None = None) -> User:
    user = User(username=username, full_name=full_name, member_id=member_id)
    user.set_password(DEMO_PASSWORD)
    db.session.add(user)
    db.session.flush()
    db.session.add(RoleAssignment(user_id=user.id, unit_id=unit_id, role=role.value, from_on=date(2025, 1, 1)))
    return user


def build_small(seed: int = 7) -> list[tuple[str, str, str]]:
    b = Builder(seed)
    rng = b.rng
    province = b.unit(None, UnitKind.province, SMALL.province, code="NB")
    first_commune = first_cell = None
    first_district = None
    for d_index, (district_name, communes) in enumerate(SMALL.districts):
        district = b.unit(province, UnitKind.district, district_name, code=f"NB.{d_index + 1}")
        first_district = first_district or district
        for c_index, commune_name in enumerate(communes):
            commune = b.unit(
                district,
                UnitKind.commune,
                commune_name,
                code=f"NB.{d_index + 1}.{c_index + 1}",
                meeting_day=rng.choice([3, 5, 10]),
            )
            short = commune_name.replace("Đảng bộ ", "")
            for k in range(rng.randint(*SMALL.cells_per_commune)):
                name, cell_type = _cell_name_and_type(rng, k + c_index * 3, short)
                cell = b.unit(
                    commune,
                    UnitKind.cell,
                    name,
                    cell_type=cell_type.value,
                    code=f"NB.{d_index + 1}.{c_index + 1}.{k + 1}",
                    meeting_day=rng.choice([None, None, 5, 15]),
                )
                b.populate_cell(cell, rng.randint(*SMALL.members_per_cell))
                if first_commune is None:
                    first_commune, first_cell = commune, cell
        # One cell directly under the district (chi bộ cơ sở).
        direct = b.unit(
            district,
            UnitKind.cell,
            f"Chi bộ cơ sở Trung tâm Y tế {district_name[12:]}",
            cell_type=CellType.agency.value,
            code=f"NB.{d_index + 1}.0",
        )
        b.populate_cell(direct, rng.randint(10, 20))

    secretary = next(p for p in b.positions if p["unit_id"] == first_cell["id"] and p["title"] == "secretary")
    secretary_row = next(m for m in b.members if m["id"] == secretary["member_id"])
    deputy = next((p for p in b.positions if p["unit_id"] == first_cell["id"] and p["title"] == "deputy"), None)
    deputy_row = next(m for m in b.members if m["id"] == deputy["member_id"]) if deputy else None
    commune_cells = [u for u in b.units if u["parent_id"] == first_commune["id"]]
    # The supervising cadre is a commune committee member, a member of the commune's agency cell.
    agency_cell = next((u for u in commune_cells if u["cell_type"] == CellType.agency.value), commune_cells[-1])
    cadre = b.member(agency_cell, probationary=False, full_name="Phạm Quang Huy", gender="male")
    b.flush()

    accounts = [
        _account("quantri", "Quản trị hệ thống", Role.admin, province["id"]),
        _account("huyen", "Văn phòng Huyện ủy Hoa Lư", Role.district_office, first_district["id"]),
        _account("xa", "Văn phòng Đảng ủy xã Ninh Hải", Role.commune_office, first_commune["id"]),
        _account("bithu", secretary_row["full_name"], Role.cell_secretary, first_cell["id"], secretary_row["id"]),
    ]
    if deputy_row is not None:
        accounts.append(
            _account("phobithu", deputy_row["full_name"], Role.cell_deputy, first_cell["id"], deputy_row["id"])
        )
    accounts.append(_cadre("giamsat", cadre, commune_cells[:3]))
    accounts.append(_account("xem", "Ban Tổ chức Huyện ủy (xem)", Role.viewer, first_district["id"]))
    db.session.flush()
    return [(u.username, u.full_name, role_line(u)) for u in accounts]


def _cadre(username: str, member: dict, cells: list[dict]) -> User:
    """A commune committee member who is in charge of the first cell and follows the others."""
    from app.supervision.models import SupervisionAssignment

    user = User(username=username, full_name=member["full_name"], member_id=member["id"])
    user.set_password(DEMO_PASSWORD)
    db.session.add(user)
    db.session.flush()
    for index, cell in enumerate(cells):
        db.session.add(
            SupervisionAssignment(
                user_id=user.id,
                cell_id=cell["id"],
                kind="in_charge" if index == 0 else "follows",
                level="commune",
                from_on=date(2025, 1, 1),
            )
        )
    return user


def role_line(user: User) -> str:
    from app.supervision.models import AssignmentKind, SupervisionAssignment

    rows = db.session.execute(
        select(RoleAssignment.role, OrgUnit.name).join(OrgUnit).where(RoleAssignment.user_id == user.id)
    ).all()
    commune = aliased(OrgUnit)
    cells = db.session.execute(
        select(SupervisionAssignment.kind, OrgUnit.name, commune.name)
        .join(OrgUnit, SupervisionAssignment.cell_id == OrgUnit.id)
        .join(commune, OrgUnit.parent_id == commune.id)
        .where(SupervisionAssignment.user_id == user.id)
    ).all()
    # Village names repeat from commune to commune: say which commune's cells these are.
    communes = sorted({c for *_, c in cells})
    return "; ".join(
        [f"{Role(r).label} – {n}" for r, n in rows] + [f"{AssignmentKind(k).label} – {n}" for k, n, _ in cells]
    ) + (f" ({', '.join(communes)})" if communes else "")


def build_haiphong(seed: int = 2019) -> list[tuple[str, str, str]]:
    plan = haiphong_plan()
    b = Builder(seed)
    rng = b.rng
    total_cells, total_members = 6095, 124_509
    province = b.unit(None, UnitKind.province, plan.province, code="HP")
    committees = []
    for d_index, (district_name, communes) in enumerate(plan.districts):
        district = b.unit(province, UnitKind.district, district_name, code=f"HP.{d_index + 1}")
        for c_index, commune_name in enumerate(communes):
            committees.append(
                b.unit(
                    district,
                    UnitKind.commune,
                    commune_name,
                    code=f"HP.{d_index + 1}.{c_index + 1}",
                    meeting_day=rng.choice([3, 5, 10]),
                )
            )
        for k in range(plan.direct_cells_per_district[d_index]):
            b.unit(
                district,
                UnitKind.cell,
                f"Chi bộ cơ sở {d_index + 1:02d}-{k + 1:03d}",
                cell_type=rng.choice(list(CellType)).value,
                code=f"HP.{d_index + 1}.0.{k + 1}",
            )
    # 6,095 cells spread over the 590 committees.
    for i in range(total_cells):
        committee = committees[i % len(committees)]
        name, cell_type = _cell_name_and_type(rng, i // len(committees), committee["name"][-7:])
        b.unit(committee, UnitKind.cell, f"{name} {i + 1}", cell_type=cell_type.value, code=f"HP.C{i + 1}")
    cells = [u for u in b.units if u["kind"] == UnitKind.cell.value]
    per_cell = total_members // len(cells)
    extra = total_members - per_cell * len(cells)
    for index, cell in enumerate(cells):
        for _ in range(per_cell + (1 if index < extra else 0)):
            b.member(cell)
        if rng.random() < 0.3:
            full = [m for m in b.members[-per_cell:] if m["official_on"]]
            if full:
                b.positions.append(
                    {
                        "member_id": full[0]["id"],
                        "unit_id": cell["id"],
                        "title": "secretary",
                        "from_on": date(2024, 1, 1),
                        "to_on": None,
                    }
                )
        if len(b.members) > 20_000:
            b.flush()
    b.flush()
    district_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.kind == "district").order_by(OrgUnit.id))
    commune_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.kind == "commune").order_by(OrgUnit.id))
    cell_id = db.session.scalar(
        select(OrgUnit.id).where(OrgUnit.kind == "cell", OrgUnit.parent_id == commune_id).order_by(OrgUnit.id)
    )
    accounts = [
        _account("quantri", "Quản trị hệ thống", Role.admin, province["id"]),
        _account("huyen", "Văn phòng quận/huyện 01", Role.district_office, district_id),
        _account("xa", "Văn phòng Đảng ủy cơ sở 01.001", Role.commune_office, commune_id),
        _account("bithu", "Bí thư chi bộ", Role.cell_secretary, cell_id),
    ]
    commune_cells = db.session.scalars(
        select(OrgUnit.id).where(OrgUnit.kind == "cell", OrgUnit.parent_id == commune_id).order_by(OrgUnit.id).limit(3)
    ).all()
    cadre_id = db.session.scalar(select(Membership.member_id).where(Membership.unit_id == commune_cells[-1]).limit(1))
    cadre = {"id": cadre_id, "full_name": db.session.get(Member, cadre_id).full_name}
    accounts.append(_cadre("giamsat", cadre, [{"id": c} for c in commune_cells]))
    db.session.flush()
    return [(u.username, u.full_name, role_line(u)) for u in accounts]
