"""Writes to the organisation tree and the member records. Services validate the
rules, flush and audit; the view commits once."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, literal, select, update

from app.audit.services import record
from app.db import active_on, under
from app.extensions import db
from app.org.history import derive_place, place_of
from app.org.models import (
    ALLOWED_PARENTS,
    AwayPeriod,
    Exemption,
    Member,
    Membership,
    MembershipKind,
    OrgUnit,
    PlannedMeetings,
    Position,
    PositionTitle,
    UnitKind,
    UnitVersion,
)
from app.org.vietnamese import fold, sort_key
from app.rules import RuleError, changes_version, save_version
from app.rules.members import member_problems

# ---- units -------------------------------------------------------------------------


def _add_version(unit: OrgUnit, on: date) -> None:
    db.session.add(
        UnitVersion(
            unit_id=unit.id,
            name=unit.name,
            kind=unit.kind,
            place_name=place_of(unit),
            parent_id=unit.parent_id,
            path=unit.path,
            valid_from=on,
        )
    )


def _open_versions(path: str) -> list[UnitVersion]:
    """The open versions of a unit and everything under it."""
    return list(
        db.session.scalars(select(UnitVersion).where(under(UnitVersion.path, path), UnitVersion.valid_to.is_(None)))
    )


def _next_version(version: UnitVersion, on: date, **changes) -> None:
    """From `on` the unit is as `changes` say: the open version ends there, or is
    corrected in place when it starts that very day (no version lasts zero days)."""
    if version.valid_from == on:
        for attr, value in changes.items():
            setattr(version, attr, value)
        return
    version.valid_to = on
    fields = ("unit_id", "name", "kind", "place_name", "parent_id", "path")
    db.session.add(UnitVersion(**{f: getattr(version, f) for f in fields} | changes, valid_from=on))


def _check_effective(unit: OrgUnit, version: UnitVersion, on: date, *, subtree: bool) -> None:
    """A change takes effect no earlier than the unit's last change, not in the future,
    and never before an adopted minutes it would print differently."""
    from app.meetings.models import Meeting, MeetingStatus

    if on > date.today():
        raise RuleError("Ngày áp dụng không được sau ngày hôm nay.")
    if on < version.valid_from:
        raise RuleError(f"Ngày áp dụng phải từ ngày {version.valid_from:%d/%m/%Y} (lần thay đổi trước) trở đi.")
    adopted = select(func.max(Meeting.held_on)).where(
        Meeting.status == MeetingStatus.adopted.value, Meeting.held_on >= on
    )
    if subtree:
        adopted = adopted.join(OrgUnit, Meeting.cell_id == OrgUnit.id).where(under(OrgUnit.path, unit.path))
    else:
        adopted = adopted.where(Meeting.cell_id == unit.id)
    last = db.session.scalar(adopted)
    if last is not None:
        raise RuleError(
            f"Đã có biên bản được thông qua ngày {last:%d/%m/%Y}, sau ngày áp dụng. Biên bản đã thông qua "
            f"không được in khác đi: hãy chọn ngày áp dụng từ sau ngày {last:%d/%m/%Y}."
        )


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
    place_name: str | None = None,
    code: str | None = None,
    cell_type: str | None = None,
    meeting_day: int | None = None,
    valid_from: date | None = None,
) -> OrgUnit:
    """The unit and its first version, from `valid_from` (today by default)."""
    _check_parent(kind, parent)
    unit = OrgUnit(
        parent_id=parent.id if parent else None,
        kind=kind.value,
        name=name.strip(),
        place_name=(place_name or "").strip() or None,
        code=code or None,
        cell_type=cell_type if kind is UnitKind.cell else None,
        meeting_day=meeting_day,
        valid_from=valid_from or date.today(),
    )
    db.session.add(unit)
    db.session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    _add_version(unit, unit.valid_from)
    record(actor, "unit.create", unit, unit, f"Tạo {kind.label.lower()} {unit.name}")
    return unit


def update_unit(
    actor,
    unit: OrgUnit,
    *,
    name: str,
    code: str | None,
    cell_type: str | None,
    meeting_day: int | None,
    place_name: str | None = None,
    on: date | None = None,
) -> None:
    """Name and place (empty: derived from the name) are dated: they change from `on`
    (today by default) and documents dated earlier keep the old ones. Code, type and
    meeting day are not printed history."""
    on = on or date.today()
    changes = []
    name, place_name = name.strip(), (place_name or "").strip() or None
    new_place = place_name or derive_place(name)
    if unit.name != name or place_of(unit) != new_place:
        if unit.is_retired:
            raise RuleError("Đơn vị đã giải thể/sáp nhập: không đổi tên hay địa danh được nữa.")
        version = db.session.scalars(
            select(UnitVersion).where(UnitVersion.unit_id == unit.id, UnitVersion.valid_to.is_(None))
        ).one()
        _check_effective(unit, version, on, subtree=True)
        if unit.name != name:
            changes.append(f"đổi tên từ “{unit.name}” thành “{name}” từ ngày {on:%d/%m/%Y}")
        if place_of(unit) != new_place:
            changes.append(f"địa danh: {place_of(unit)} → {new_place} từ ngày {on:%d/%m/%Y}")
        unit.name = name
        _next_version(version, on, name=name, place_name=new_place)
    unit.place_name = place_name  # whether it was typed or derived; the versions hold what printed
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


def move_unit(actor, unit: OrgUnit, new_parent: OrgUnit, on: date | None = None) -> None:
    """From `on` (today by default) the unit and its subtree hang under `new_parent`;
    each of them gets a new version with its new path, so documents and reports dated
    earlier keep the old parent."""
    on = on or date.today()
    if unit.is_retired:
        raise RuleError("Đơn vị đã giải thể/sáp nhập: không chuyển được nữa.")
    if new_parent.path.startswith(unit.path):
        raise RuleError("Không thể chuyển một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.")
    _check_parent(UnitKind(unit.kind), new_parent)
    if new_parent.id == unit.parent_id:
        raise RuleError("Đơn vị đã trực thuộc đơn vị này.")
    old_parent_name = unit.parent.name if unit.parent else "—"
    old_path, new_path = unit.path, f"{new_parent.path}{unit.id}/"
    versions = _open_versions(old_path)
    own = next(v for v in versions if v.unit_id == unit.id)
    _check_effective(unit, own, on, subtree=False)
    if on < max(v.valid_from for v in versions):
        raise RuleError("Ngày áp dụng phải sau lần thay đổi gần nhất của các đơn vị trực thuộc.")
    for version in versions:
        changes = {"path": new_path + version.path[len(old_path) :]}
        if version is own:
            changes["parent_id"] = new_parent.id
        _next_version(version, on, **changes)
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
    record(
        actor,
        "unit.move",
        unit,
        new_parent,
        f"Chuyển {unit.name} từ {old_parent_name} sang {new_parent.name} từ ngày {on:%d/%m/%Y}",
    )


@dataclass
class Retirement:
    """What retiring a unit on a day takes with it: the members still active move to
    the successor; the meetings planned from that day on are cancelled or move too."""

    members: list[Membership]
    planned: list  # Meeting, planned or prepared, from the retirement day on


def retirement(unit: OrgUnit, on: date) -> Retirement:
    """What `retire_unit` would touch (two queries): for the confirmation page and the
    service alike."""
    from app.meetings.models import Meeting, MeetingStatus

    members = db.session.scalars(
        select(Membership).where(Membership.unit_id == unit.id, active_on(Membership, on))
    ).all()
    planned = db.session.scalars(
        select(Meeting)
        .where(
            Meeting.cell_id == unit.id,
            Meeting.status.in_((MeetingStatus.planned.value, MeetingStatus.prepared.value)),
            Meeting.planned_on >= on,
        )
        .order_by(Meeting.planned_on)
    ).all()
    return Retirement(list(members), list(planned))


def check_retirement(
    unit: OrgUnit, *, on: date, successor: OrgUnit | None, planned: PlannedMeetings | None
) -> Retirement:
    """Every rule of retiring a unit, checked before anything changes (the confirmation
    step asks this too); returns what retiring would touch."""
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
    last_change = db.session.scalar(select(func.max(UnitVersion.valid_from)).where(UnitVersion.unit_id == unit.id))
    if on < last_change:
        raise RuleError(f"Ngày giải thể/sáp nhập phải từ ngày {last_change:%d/%m/%Y} (lần thay đổi gần nhất) trở đi.")
    found = retirement(unit, on)
    if found.members and successor is None:
        raise RuleError(
            f"Chi bộ còn {len(found.members)} đảng viên đang sinh hoạt; hãy chọn đơn vị kế thừa "
            "để chuyển họ sang, hoặc chuyển sinh hoạt cho từng người trước."
        )
    if found.planned and planned is None:
        raise RuleError(
            f"Chi bộ còn {len(found.planned)} buổi sinh hoạt đã lên lịch từ ngày {on:%d/%m/%Y}; "
            "hãy chọn hủy các buổi đó hay chuyển sang đơn vị kế thừa."
        )
    if found.planned and planned is PlannedMeetings.move and successor is None:
        raise RuleError("Muốn chuyển các buổi sinh hoạt đã lên lịch, hãy chọn đơn vị kế thừa.")
    return found


def retire_unit(
    actor,
    unit: OrgUnit,
    *,
    on: date,
    successor: OrgUnit | None,
    reason: str,
    planned: PlannedMeetings | None = None,
) -> Retirement:
    """Giải thể / sáp nhập from `on`. Members still active move to the successor; the
    meetings planned from `on` are cancelled or moved to it, as `planned` says (asked
    whenever there are any). Its open version ends on `on`: documents dated earlier keep
    printing it as it was."""
    found = check_retirement(unit, on=on, successor=successor, planned=planned)
    version = db.session.scalars(
        select(UnitVersion).where(UnitVersion.unit_id == unit.id, UnitVersion.valid_to.is_(None))
    ).one()
    for membership in found.members:
        membership.to_on = on
        membership.end_reason = f"Sáp nhập vào {successor.name}"
        db.session.add(
            Membership(member_id=membership.member_id, unit_id=successor.id, kind=membership.kind, from_on=on)
        )
    handled = _hand_over_meetings(actor, unit, successor, on, found.planned, planned) if found.planned else ""
    version.valid_to = on
    unit.valid_to = on
    unit.successor_id = successor.id if successor else None
    summary = f"Giải thể/sáp nhập {unit.name} từ {on:%d/%m/%Y}"
    if successor:
        summary += f", kế thừa: {successor.name} ({len(found.members)} đảng viên chuyển sang)"
    record(actor, "unit.retire", unit, unit, f"{summary}{handled}. Lý do: {reason}")
    return found


def _hand_over_meetings(actor, unit, successor, on: date, planned: list, choice: PlannedMeetings) -> str:
    """Cancel the retired cell's planned meetings, or move them to the successor. Even
    when moving, a chi ủy meeting is cancelled (that committee is gone) and so is a
    meeting in a month the successor already holds one of its kind (regular and
    combined count as one). Returns the audit clause."""
    from app.meetings import services as meeting_services
    from app.meetings.models import Meeting, MeetingStatus

    def slot(kind: str, on: date) -> tuple:
        return ("monthly" if kind in ("regular", "combined") else kind, on.year, on.month)

    when = f"{unit.name} giải thể/sáp nhập từ {on:%d/%m/%Y}"
    taken = set()
    if choice is PlannedMeetings.move:
        taken = {
            slot(kind, planned_on)
            for kind, planned_on in db.session.execute(
                select(Meeting.kind, Meeting.planned_on).where(
                    Meeting.cell_id == successor.id,
                    Meeting.status.not_in((MeetingStatus.cancelled.value, MeetingStatus.postponed.value)),
                    Meeting.planned_on >= on.replace(day=1),
                )
            )
        }
    moved = cancelled = 0
    for meeting in planned:
        if choice is PlannedMeetings.cancel:
            reason = f"{when}: hủy theo quyết định khi giải thể/sáp nhập"
        elif meeting.kind == "committee":
            reason = f"{when}: chi ủy của chi bộ không còn"
        elif slot(meeting.kind, meeting.planned_on) in taken:
            reason = f"{when}: {successor.name} đã có lịch sinh hoạt tháng này"
        else:
            meeting_services.move_to_cell(actor, meeting, successor, f"Chuyển từ {unit.name} ({when})")
            taken.add(slot(meeting.kind, meeting.planned_on))
            moved += 1
            continue
        meeting_services.cancel(actor, meeting, reason)
        cancelled += 1
    clause = f"; {len(planned)} buổi sinh hoạt đã lên lịch: "
    if choice is PlannedMeetings.cancel:
        return clause + "hủy"
    return clause + f"chuyển sang {successor.name} ({moved} buổi" + (f", hủy {cancelled} buổi)" if cancelled else ")")


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


def _clean_member_fields(data: dict, own_id: int | None = None) -> dict:
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
        if taken and taken != own_id:
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
    cleaned = _clean_member_fields(data, own_id=member.id)
    changed = [k for k, v in cleaned.items() if getattr(member, k) != v]
    if not changes_version(
        member, expected_version, [getattr(member, k) for k in changed], [cleaned[k] for k in changed]
    ):
        return
    for key in changed:
        setattr(member, key, cleaned[key])
    _apply_names(member)
    save_version(member)
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
