"""Writes to the organisation tree and the member records. Services validate the
rules, flush and audit; the view commits once."""

from datetime import date

from sqlalchemy import func, literal, select, update

from app.audit.services import record
from app.db import active_on, under
from app.extensions import db
from app.org.models import (
    ALLOWED_PARENTS,
    AwayPeriod,
    Exemption,
    Member,
    Membership,
    MembershipKind,
    OrgUnit,
    Position,
    PositionTitle,
    UnitKind,
)
from app.org.vietnamese import fold, sort_key
from app.rules import RuleError
from app.rules.members import member_problems

# ---- units -------------------------------------------------------------------------


def _check_parent(kind: UnitKind, parent: OrgUnit | None) -> None:
    allowed = ALLOWED_PARENTS[kind]
    if parent is None and allowed:
        raise RuleError(f"{kind.label} phải thuộc một đơn vị cấp trên.")
    if parent is not None and UnitKind(parent.kind) not in allowed:
        raise RuleError(f"{kind.label} không thể trực thuộc {parent.kind_label.lower()}.")
    if parent is not None and parent.is_retired:
        raise RuleError("Không thể thêm hoặc chuyển vào một đơn vị đã giải thể/sáp nhập.")


def create_unit(
    actor,
    parent: OrgUnit | None,
    *,
    kind: UnitKind,
    name: str,
    code: str | None = None,
    cell_type: str | None = None,
    meeting_day: int | None = None,
    valid_from: date | None = None,
) -> OrgUnit:
    _check_parent(kind, parent)
    unit = OrgUnit(
        parent_id=parent.id if parent else None,
        kind=kind.value,
        name=name.strip(),
        code=code or None,
        cell_type=cell_type if kind is UnitKind.cell else None,
        meeting_day=meeting_day,
        valid_from=valid_from or date.today(),
    )
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    record(actor, "unit.create", unit, unit, f"Tạo {kind.label.lower()} {unit.name}")
    return unit


def update_unit(
    actor, unit: OrgUnit, *, name: str, code: str | None, cell_type: str | None, meeting_day: int | None
) -> None:
    changes = []
    if unit.name != name.strip():
        changes.append(f"đổi tên từ “{unit.name}” thành “{name.strip()}”")
        unit.name = name.strip()
    for attr, value, label in (
        ("code", code or None, "mã"),
        ("meeting_day", meeting_day, "ngày sinh hoạt"),
        ("cell_type", cell_type if unit.is_cell else None, "loại hình"),
    ):
        if getattr(unit, attr) != value:
            changes.append(f"{label}: {getattr(unit, attr) or '—'} → {value or '—'}")
            setattr(unit, attr, value)
    if changes:
        record(actor, "unit.update", unit, unit, f"Sửa {unit.name}: " + "; ".join(changes))


def move_unit(actor, unit: OrgUnit, new_parent: OrgUnit) -> None:
    if new_parent.path.startswith(unit.path):
        raise RuleError("Không thể chuyển một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.")
    _check_parent(UnitKind(unit.kind), new_parent)
    if new_parent.id == unit.parent_id:
        raise RuleError("Đơn vị đã trực thuộc đơn vị này.")
    old_parent_name = unit.parent.name if unit.parent else "—"
    old_path, new_path = unit.path, f"{new_parent.path}{unit.id}/"
    # The whole subtree moves in one statement; memberships and history stay attached.
    db.session.execute(
        update(OrgUnit)
        .where(under(OrgUnit.path, old_path))
        .values(path=literal(new_path).op("||")(func.substr(OrgUnit.path, len(old_path) + 1)))
        .execution_options(synchronize_session=False)
    )
    unit.parent_id = new_parent.id
    db.session.flush()
    db.session.expire_all()
    record(actor, "unit.move", unit, new_parent, f"Chuyển {unit.name} từ {old_parent_name} sang {new_parent.name}")


def retire_unit(actor, unit: OrgUnit, *, on: date, successor: OrgUnit | None, reason: str) -> int:
    """Giải thể / sáp nhập. Members still active move to the successor; returns how many."""
    if unit.is_retired:
        raise RuleError("Đơn vị này đã giải thể/sáp nhập.")
    if unit.parent is None:
        raise RuleError("Không thể giải thể đơn vị cấp cao nhất.")
    active_children = db.session.scalar(
        select(func.count()).select_from(OrgUnit).where(OrgUnit.parent_id == unit.id, OrgUnit.valid_to.is_(None))
    )
    if active_children:
        raise RuleError(
            f"Đơn vị còn {active_children} đơn vị trực thuộc đang hoạt động; hãy chuyển hoặc giải thể chúng trước."
        )
    if successor is not None:
        if successor.id == unit.id or successor.kind != unit.kind or successor.is_retired:
            raise RuleError("Đơn vị kế thừa phải cùng cấp, đang hoạt động và khác đơn vị này.")
    active = db.session.scalars(
        select(Membership).where(Membership.unit_id == unit.id, active_on(Membership, on))
    ).all()
    if active and successor is None:
        raise RuleError(
            f"Chi bộ còn {len(active)} đảng viên đang sinh hoạt; hãy chọn đơn vị kế thừa "
            "để chuyển họ sang, hoặc chuyển sinh hoạt cho từng người trước."
        )
    for membership in active:
        membership.to_on = on
        membership.end_reason = f"Sáp nhập vào {successor.name}"
        db.session.add(
            Membership(member_id=membership.member_id, unit_id=successor.id, kind=membership.kind, from_on=on)
        )
    unit.valid_to = on
    unit.successor_id = successor.id if successor else None
    summary = f"Giải thể/sáp nhập {unit.name} từ {on:%d/%m/%Y}"
    if successor:
        summary += f", kế thừa: {successor.name} ({len(active)} đảng viên chuyển sang)"
    record(actor, "unit.retire", unit, unit, f"{summary}. Lý do: {reason}")
    return len(active)


# ---- members -----------------------------------------------------------------------

MEMBER_FIELDS = (
    "full_name",
    "gender",
    "birth_on",
    "ethnicity",
    "joined_on",
    "official_on",
    "card_number",
    "phone",
    "notes",
)


def _clean_member_fields(data: dict) -> dict:
    data = {k: data.get(k) for k in MEMBER_FIELDS if k in data}
    data["full_name"] = " ".join(data["full_name"].split())
    for key in ("card_number", "phone", "notes", "ethnicity"):
        if key in data and isinstance(data[key], str):
            data[key] = data[key].strip() or None
    data["ethnicity"] = data.get("ethnicity") or "Kinh"
    problems = member_problems(data)
    if problems:
        raise RuleError(" ".join(problems))
    card = data.get("card_number")
    if card:
        taken = db.session.scalar(select(Member.id).where(Member.card_number == card))
        if taken and taken != data.get("_id"):
            raise RuleError(f"Số thẻ đảng viên {card} đã có trong hệ thống.")
    return data


def _apply_names(member: Member) -> None:
    member.search_name = fold(member.full_name)
    member.sort_key = sort_key(member.full_name)


def add_member(
    actor,
    cell: OrgUnit,
    data: dict,
    *,
    from_on: date,
    kind: MembershipKind = MembershipKind.regular,
    audit: bool = True,
) -> Member:
    if not cell.is_cell or cell.is_retired:
        raise RuleError("Chỉ thêm đảng viên vào một chi bộ đang hoạt động.")
    member = Member(**_clean_member_fields(dict(data)))
    _apply_names(member)
    db.session.add(member)
    db.session.flush()
    db.session.add(Membership(member_id=member.id, unit_id=cell.id, kind=kind.value, from_on=from_on))
    if audit:
        record(actor, "member.create", member, cell, f"Thêm đảng viên {member.full_name} vào {cell.name}")
    return member


def update_member(actor, member: Member, data: dict, *, expected_version: int, unit: OrgUnit) -> None:
    if member.version != expected_version:
        raise RuleError(
            "Hồ sơ này vừa được người khác sửa. Dữ liệu bạn nhập vẫn còn trong biểu mẫu; "
            "hãy xem lại bản mới nhất rồi lưu lại."
        )
    cleaned = _clean_member_fields({**data, "_id": member.id})
    changed = [k for k, v in cleaned.items() if getattr(member, k) != v]
    for key in changed:
        setattr(member, key, cleaned[key])
    _apply_names(member)
    if changed:
        record(actor, "member.update", member, unit, f"Sửa hồ sơ {member.full_name}: {', '.join(changed)}")


def transfer_member(
    actor, member: Member, current: Membership, target: OrgUnit, *, on: date, kind: MembershipKind, reason: str
) -> Membership:
    if not target.is_cell or target.is_retired:
        raise RuleError("Chi bộ chuyển đến phải là một chi bộ đang hoạt động.")
    if target.id == current.unit_id:
        raise RuleError("Đảng viên đang sinh hoạt tại chi bộ này.")
    if on < current.from_on:
        raise RuleError("Ngày chuyển phải sau ngày bắt đầu sinh hoạt tại chi bộ hiện tại.")
    current.to_on = on
    current.end_reason = f"Chuyển sinh hoạt đến {target.name}" + (f": {reason}" if reason else "")
    new = Membership(member_id=member.id, unit_id=target.id, kind=kind.value, from_on=on)
    db.session.add(new)
    _end_positions(member, current.unit_id, on)
    record(
        actor,
        "member.transfer",
        member,
        target,
        f"Chuyển {member.full_name} từ {current.unit.name} đến {target.name} từ {on:%d/%m/%Y}",
    )
    return new


def end_membership(actor, member: Member, current: Membership, *, on: date, reason: str) -> None:
    if on < current.from_on:
        raise RuleError("Ngày kết thúc phải sau ngày bắt đầu sinh hoạt.")
    current.to_on = on
    current.end_reason = reason
    _end_positions(member, current.unit_id, on)
    record(
        actor,
        "member.end",
        member,
        current.unit,
        f"Kết thúc sinh hoạt của {member.full_name} tại {current.unit.name}: {reason}",
    )


def _end_positions(member: Member, unit_id: int, on: date) -> None:
    for position in db.session.scalars(
        select(Position).where(Position.member_id == member.id, Position.unit_id == unit_id, Position.to_on.is_(None))
    ):
        position.to_on = on


def appoint(actor, member: Member, cell: OrgUnit, title: PositionTitle, on: date) -> Position:
    if title in (PositionTitle.secretary, PositionTitle.deputy):
        # One secretary and one deputy at a time: the previous holder's term ends.
        for previous in db.session.scalars(
            select(Position).where(Position.unit_id == cell.id, Position.title == title.value, Position.to_on.is_(None))
        ):
            previous.to_on = on
    position = Position(member_id=member.id, unit_id=cell.id, title=title.value, from_on=on)
    db.session.add(position)
    db.session.flush()
    record(actor, "position.appoint", member, cell, f"{member.full_name} giữ chức {title.label} từ {on:%d/%m/%Y}")
    return position


def end_position(actor, position: Position, on: date) -> None:
    if on < position.from_on:
        raise RuleError("Ngày thôi giữ chức phải sau ngày bắt đầu.")
    position.to_on = on
    record(
        actor,
        "position.end",
        position.member,
        position.unit,
        f"{position.member.full_name} thôi giữ chức {position.title_label} từ {on:%d/%m/%Y}",
    )


def exempt(actor, member: Member, unit: OrgUnit, *, reason: str, from_on: date, to_on: date | None) -> Exemption:
    if to_on and to_on <= from_on:
        raise RuleError("Ngày kết thúc miễn sinh hoạt phải sau ngày bắt đầu.")
    exemption = Exemption(member_id=member.id, reason=reason.strip(), from_on=from_on, to_on=to_on)
    db.session.add(exemption)
    db.session.flush()
    record(actor, "member.exempt", member, unit, f"Miễn sinh hoạt cho {member.full_name}: {reason}")
    return exemption


def send_away(
    actor, member: Member, unit: OrgUnit, *, destination: str, from_on: date, to_on: date | None
) -> AwayPeriod:
    """Giới thiệu sinh hoạt tạm thời nơi khác: the member stays on the cell's roll."""
    destination = (destination or "").strip()
    if not destination:
        raise RuleError("Ghi nơi đảng viên đến sinh hoạt tạm thời.")
    if to_on and to_on <= from_on:
        raise RuleError("Ngày kết thúc sinh hoạt tạm thời phải sau ngày bắt đầu.")
    period = AwayPeriod(member_id=member.id, destination=destination, from_on=from_on, to_on=to_on)
    db.session.add(period)
    db.session.flush()
    record(
        actor,
        "member.away",
        member,
        unit,
        f"Giới thiệu {member.full_name} sinh hoạt tạm thời tại {destination} từ {from_on:%d/%m/%Y}",
    )
    return period
