"""The rules of the record: one function per rule. Services, views, the member import,
the demo builders and `flask check-records` all call these, so a rule has one wording
and one outcome wherever the record is made. They take plain values (ids, dates,
titles) so that the demo builder, which works on rows in memory, uses them too."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from app.rules import RuleError

PRESENT = frozenset({"present", "late", "left_early"})
MONTHLY_KINDS = frozenset({"regular", "combined"})


# A meeting can still be changed -------------------------------------------------


def lock_reason(meeting) -> str | None:
    """Why nothing more can be written on this meeting (its agenda, attendance, minutes,
    delegates, notes), or None while it can still be changed."""
    if meeting.status == "adopted":
        return (
            "Biên bản cuộc họp đã được thông qua và khóa; không thể sửa. "
            "Muốn sửa, hãy ghi đính chính hoặc đề nghị mở lại."
        )
    if meeting.status in ("postponed", "cancelled"):
        return f"Cuộc họp đã {meeting.status_label.lower()}; không thể sửa."
    return None


def ensure_changeable(meeting) -> None:
    reason = lock_reason(meeting)
    if reason:
        raise RuleError(reason)


# Chair and minute taker --------------------------------------------------------


def check_chair_and_taker(chair_id, minute_taker_id, statuses: Mapping[int, str], final: bool) -> None:
    """The chair and the minute taker sign the minutes, so they were there: refused when
    the roll call marks them absent; once `final` (adoption, check-records) they must be
    marked present."""
    for member_id, role in ((chair_id, "chủ trì"), (minute_taker_id, "thư ký")):
        if member_id is None:
            continue
        status = statuses.get(member_id)
        if status is None and not final:
            continue
        if status not in PRESENT:
            raise RuleError(
                f"Đồng chí {role} phải có mặt tại cuộc họp; điểm danh ghi đồng chí này "
                + ("chưa có mặt." if status is None else "vắng.")
                + f" Hãy chọn {role} khác hoặc sửa điểm danh."
            )


def check_absence_of_signer(member_id: int, status: str, chair_id, minute_taker_id) -> None:
    """The other side of the same rule, from the roll call: the chair or minute taker
    cannot be marked absent while they hold that role."""
    if status in PRESENT:
        return
    for holder, role in ((chair_id, "chủ trì"), (minute_taker_id, "thư ký")):
        if holder == member_id:
            raise RuleError(f"Đồng chí này đang là {role} cuộc họp; hãy chọn {role} khác trước khi ghi vắng.")


# The vote -----------------------------------------------------------------------


@dataclass
class VoteCheck:
    entitled: int
    cast: int
    passed: bool


def check_vote(votes_for, votes_against, votes_other, entitled: int) -> VoteCheck | None:
    """Full members present vote; the counts can't exceed them; passed with more than half."""
    if votes_for is None and votes_against is None and votes_other is None:
        return None
    votes = [v or 0 for v in (votes_for, votes_against, votes_other)]
    if any(v < 0 for v in votes):
        raise RuleError("Số phiếu biểu quyết không được âm.")
    if sum(votes) > entitled:
        raise RuleError(f"Tổng số biểu quyết ({sum(votes)}) vượt quá số đảng viên chính thức có mặt ({entitled}).")
    return VoteCheck(entitled, sum(votes), votes[0] * 2 > entitled)


# Chi ủy meeting before the meeting it prepares ---------------------------------


def check_preparation(committee_on: date, prepared_on: date) -> None:
    if committee_on >= prepared_on:
        raise RuleError(
            f"Cuộc họp chi ủy (ngày {committee_on:%d/%m/%Y}) phải diễn ra trước buổi sinh hoạt mà nó chuẩn bị "
            f"(ngày {prepared_on:%d/%m/%Y})."
        )


# The closing item stays last ---------------------------------------------------


def is_closing(title: str) -> bool:
    """The closing item ("Đọc lại và thông qua biên bản; bế mạc") or a commune's own wording of it."""
    from app.org.vietnamese import fold

    folded = fold(title)
    return "be mac" in folded or "thong qua bien ban" in folded


def insert_position(titles: list[str]) -> int:
    """Where a new item goes (0-based): before the closing item when the agenda ends with it."""
    return len(titles) - 1 if titles and is_closing(titles[-1]) else len(titles)


def check_closing_last(titles: list[str]) -> None:
    closing = [i for i, title in enumerate(titles) if is_closing(title)]
    if closing and closing[-1] != len(titles) - 1:
        raise RuleError(f"Mục “{titles[closing[-1]]}” phải ở cuối chương trình; các nội dung khác đặt trước mục này.")


# One regular meeting a month -----------------------------------------------------


ONE_REGULAR_A_MONTH = (
    "mỗi tháng chỉ một buổi thường kỳ. Buổi sinh hoạt bất thường do văn phòng Đảng ủy xác nhận "
    "(ô “Xác nhận sinh hoạt bất thường”)."
)


def check_one_monthly(kind: str, on: date, others: Iterable[date], confirmed_extraordinary: bool) -> str:
    """One regular (or combined) meeting per cell per month. `others` are the dates of
    the cell's other monthly meetings still on (not postponed or cancelled). A second one
    is refused unless the office confirms it as extraordinary; returns the kind to record."""
    if kind not in MONTHLY_KINDS:
        return kind
    clash = next((d for d in others if (d.year, d.month) == (on.year, on.month)), None)
    if clash is None:
        return kind
    if confirmed_extraordinary:
        return "extraordinary"
    raise RuleError(
        f"Tháng {on:%m/%Y} chi bộ đã có buổi sinh hoạt thường kỳ ngày {clash:%d/%m/%Y}; {ONE_REGULAR_A_MONTH}"
    )


# A delegate recorded once ------------------------------------------------------


def check_delegate_once(user_id, name: str, recorded: Iterable[tuple[int | None, str]]) -> None:
    """`recorded`: (user id, name) of the delegates already recorded at the meeting."""
    from app.org.vietnamese import fold

    for other_id, other_name in recorded:
        if (user_id is not None and other_id == user_id) or fold(other_name) == fold(name):
            raise RuleError(f"Đại biểu {name} đã được ghi ở cuộc họp này; sửa hoặc bỏ bản ghi đó thay vì ghi lần nữa.")


# Times of paper minutes ---------------------------------------------------------


def check_times(started_at, ended_at, paper_reference, times_not_recorded: bool) -> None:
    if started_at and ended_at and ended_at <= started_at:
        raise RuleError("Giờ kết thúc phải sau giờ bắt đầu.")
    if times_not_recorded and not paper_reference:
        raise RuleError("Chỉ biên bản nhập lại từ biên bản giấy mới được ghi “không ghi giờ”; hãy ghi số sổ, trang.")


def times_missing(started_at, ended_at, times_not_recorded: bool) -> bool:
    """Adoption needs the start and end times unless the paper record did not note them."""
    return not times_not_recorded and (started_at is None or ended_at is None)
