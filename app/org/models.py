"""The organisation tree, members and their dated memberships, positions, exemptions
and role assignments."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.db import Base, LabeledEnum, utcnow


class UnitKind(LabeledEnum):
    province = "province", "Đảng bộ tỉnh/thành phố"
    district = "district", "Đảng bộ huyện/quận"
    commune = "commune", "Đảng bộ xã/phường/cơ sở"
    cell = "cell", "Chi bộ"


class CellType(LabeledEnum):
    residential = "residential", "Thôn, tổ dân phố"
    agency = "agency", "Cơ quan hành chính, đơn vị sự nghiệp"
    state_enterprise = "state_enterprise", "Doanh nghiệp nhà nước"
    other_enterprise = "other_enterprise", "Doanh nghiệp khác, hợp tác xã"
    armed_forces = "armed_forces", "Lực lượng vũ trang"
    school = "school", "Trường học"


class PlannedMeetings(LabeledEnum):
    """What becomes of a retired cell's planned meetings."""

    cancel = "cancel", "Hủy các buổi sinh hoạt đã lên lịch"
    move = "move", "Chuyển các buổi sinh hoạt đã lên lịch sang chi bộ kế thừa"


# Which kinds may hang under which (a cell may sit directly under a district, and
# after the 2025 reform a commune directly under a province).
ALLOWED_PARENTS = {
    UnitKind.province: (),
    UnitKind.district: (UnitKind.province,),
    UnitKind.commune: (UnitKind.province, UnitKind.district),
    UnitKind.cell: (UnitKind.district, UnitKind.commune),
}


class OrgUnit(Base):
    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    # The place in a document's date line when it is not the name without its prefix
    # ("Đảng bộ Cơ quan Huyện ủy" writes "Hoa Lư"); empty: derived from the name.
    place_name: Mapped[str | None] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(30), unique=True)
    cell_type: Mapped[str | None] = mapped_column(String(30))
    meeting_day: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    # Materialised path of ids, "/1/7/42/": a subtree is one indexed prefix query.
    path: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    parent: Mapped["OrgUnit | None"] = relationship(remote_side=[id], foreign_keys=[parent_id])
    successor: Mapped["OrgUnit | None"] = relationship(remote_side=[id], foreign_keys=[successor_id])

    __table_args__ = (
        Index("ix_org_units_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
        CheckConstraint("meeting_day IS NULL OR (meeting_day BETWEEN 1 AND 28)", name="meeting_day_range"),
    )

    @property
    def kind_enum(self) -> UnitKind:
        return UnitKind(self.kind)

    @property
    def kind_label(self) -> str:
        return UnitKind(self.kind).label

    @property
    def cell_type_label(self) -> str:
        return CellType(self.cell_type).label if self.cell_type else ""

    @property
    def is_cell(self) -> bool:
        return self.kind == UnitKind.cell

    @property
    def is_retired(self) -> bool:
        return self.valid_to is not None

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p][:-1]


class UnitVersion(Base):
    """A unit's name, kind, place and parent (and so its path) from `valid_from` up to
    (not including) `valid_to`. Documents print the version of their date, so renaming,
    moving or retiring a unit never changes an earlier print. Versions of one unit never
    overlap; the open one (valid_to empty) mirrors the OrgUnit row."""

    __tablename__ = "unit_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    place_name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    path: Mapped[str] = mapped_column(String(400))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("unit_id", "valid_from"),
        Index("ix_unit_versions_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
    )


class Gender(LabeledEnum):
    male = "male", "Nam"
    female = "female", "Nữ"


class Member(Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    # Lower-case, without diacritics ("nguyen van an"): what search matches (through
    # app.org.name_search's index).
    search_name: Mapped[str] = mapped_column(String(120))
    # Vietnamese collation key (given, middle, family name; a ă â b c d đ …).
    sort_key: Mapped[str] = mapped_column(String(400))
    gender: Mapped[str] = mapped_column(String(10))
    birth_on: Mapped[date | None] = mapped_column(Date)
    ethnicity: Mapped[str] = mapped_column(String(40), default="Kinh")
    joined_on: Mapped[date] = mapped_column(Date)
    official_on: Mapped[date | None] = mapped_column(Date)
    card_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    memberships: Mapped[list["Membership"]] = relationship(back_populates="member", order_by="Membership.from_on")

    __table_args__ = (
        # PostgreSQL: a trigram index `LIKE '%…%'` uses (migration 0017); SQLite has FTS5 beside.
        Index(
            "ix_members_search_name",
            "search_name",
            postgresql_using="gin",
            postgresql_ops={"search_name": "gin_trgm_ops"},
        ),
    )
    __mapper_args__ = {"version_id_col": version}

    def is_full_on(self, on: date) -> bool:
        return self.official_on is not None and self.official_on <= on

    @property
    def gender_label(self) -> str:
        return Gender(self.gender).label


class MembershipKind(LabeledEnum):
    regular = "regular", "Chính thức tại chi bộ"
    temporary = "temporary", "Sinh hoạt tạm thời"


class Membership(Base):
    """A member belongs to a cell from `from_on` up to (not including) `to_on`."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    kind: Mapped[str] = mapped_column(String(20), default=MembershipKind.regular.value)
    from_on: Mapped[date] = mapped_column(Date)
    to_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(200))

    member: Mapped[Member] = relationship(back_populates="memberships")
    unit: Mapped[OrgUnit] = relationship()

    __table_args__ = (Index("ix_memberships_unit_dates", "unit_id", "from_on", "to_on"),)

    @property
    def kind_label(self) -> str:
        return MembershipKind(self.kind).label


class PositionTitle(LabeledEnum):
    secretary = "secretary", "Bí thư"
    deputy = "deputy", "Phó Bí thư"
    committee = "committee", "Chi ủy viên"


class Position(Base):
    __tablename__ = "positions"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    title: Mapped[str] = mapped_column(String(20))
    from_on: Mapped[date] = mapped_column(Date)
    to_on: Mapped[date | None] = mapped_column(Date)

    member: Mapped[Member] = relationship()
    unit: Mapped[OrgUnit] = relationship()

    @property
    def title_label(self) -> str:
        return PositionTitle(self.title).label


class MemberPeriod:
    """A dated period on a member's record (from_on ≤ day < to_on, to_on open)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    from_on: Mapped[date] = mapped_column(Date)
    to_on: Mapped[date | None] = mapped_column(Date)

    @declared_attr
    def member(cls) -> Mapped[Member]:
        return relationship(Member)


class Exemption(MemberPeriod, Base):
    """Miễn sinh hoạt: excused from party activities for a reason and a period."""

    __tablename__ = "exemptions"

    reason: Mapped[str] = mapped_column(String(200))


class AwayPeriod(MemberPeriod, Base):
    """Giới thiệu sinh hoạt tạm thời nơi khác: a member introduced to attend temporarily
    at another party organisation (work, study) stays on the cell's roll but is not
    expected at its meetings for the period."""

    __tablename__ = "away_periods"

    destination: Mapped[str] = mapped_column(String(200))


class Role(LabeledEnum):
    admin = "admin", "Quản trị hệ thống"
    district_office = "district_office", "Văn phòng Đảng ủy huyện"
    commune_office = "commune_office", "Văn phòng Đảng ủy xã"
    cell_secretary = "cell_secretary", "Bí thư chi bộ"
    cell_deputy = "cell_deputy", "Phó Bí thư chi bộ"
    supervisor = "supervisor", "Cấp ủy viên phụ trách"
    viewer = "viewer", "Chỉ xem"


class RoleAssignment(Base):
    __tablename__ = "role_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    role: Mapped[str] = mapped_column(String(30))
    from_on: Mapped[date] = mapped_column(Date)
    to_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    unit: Mapped[OrgUnit] = relationship()

    @property
    def role_label(self) -> str:
        return Role(self.role).label
