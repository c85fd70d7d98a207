"""Province and district offices edit score templates. An edit is a new version owned by
the office's unit (valid from today); sheets keep the version they were scored with."""

from datetime import date

from sqlalchemy import select

from app.audit.services import record
from app.extensions import db
from app.org.models import OrgUnit
from app.rules import RuleError, clean_text
from app.scoring.defaults import GRADE_LABELS
from app.scoring.models import ScoreCriterion, ScoreTemplate

# The facts a criterion may be derived from (app.scoring.services.facts), explained.
FACTS = {
    "attendance_rate": "đảng viên dự họp trên 85% (trừ người được miễn)",
    "no_unexcused": "không có đảng viên vắng không lý do",
    "committee_met": "chi ủy đã họp trước để chuẩn bị",
    "documents_ahead": "tài liệu được gửi trước ít nhất 1 ngày",
    "duration": "thời lượng đủ theo quy định",
    "speakers": "có từ 3 ý kiến phát biểu",
    "minutes_complete": "biên bản ghi đủ các phần bắt buộc",
}


def visible_templates(unit: OrgUnit, on: date) -> list[ScoreTemplate]:
    """Templates in force for the unit's tree: shipped ones and its ancestors' own."""
    owners = [int(p) for p in unit.path.strip("/").split("/")]
    return list(
        db.session.scalars(
            select(ScoreTemplate)
            .where(
                (ScoreTemplate.unit_id.is_(None)) | (ScoreTemplate.unit_id.in_(owners)),
                ScoreTemplate.valid_from <= on,
                (ScoreTemplate.valid_to.is_(None)) | (ScoreTemplate.valid_to > on),
            )
            .order_by(ScoreTemplate.unit_id.is_not(None), ScoreTemplate.id)
        )
    )


def criteria_text(template: ScoreTemplate) -> str:
    return "\n".join(
        " | ".join([c.group, c.text, str(c.max_points), "*" if c.needed_for_top else "", c.fact or ""]).rstrip(" |")
        for c in template.criteria
    )


def _small_number(text: str) -> bool:
    """ASCII digits, at most three: int() then neither fails ("²") nor takes hundreds of digits."""
    return text.isascii() and text.isdigit() and len(text) <= 3


def parse_criteria(text: str) -> list[tuple[str, str, int, bool, str | None]]:
    """Lines "group | criterion | points | * | fact"; the points must add up to 100."""
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if not 3 <= len(parts) <= 5:
            raise RuleError(
                f"Dòng {number}: cần 3 đến 5 cột cách nhau bởi dấu |: nhóm | tiêu chí | điểm tối đa | * | số liệu."
            )
        group, text_, points, star, fact = parts + [""] * (5 - len(parts))
        if not group or not text_:
            raise RuleError(f"Dòng {number}: cần nhóm và nội dung tiêu chí.")
        if not _small_number(points) or not 1 <= int(points) <= 100:
            raise RuleError(f"Dòng {number}: điểm tối đa là số từ 1 đến 100.")
        if star not in ("", "*"):
            raise RuleError(f"Dòng {number}: cột thứ tư chỉ ghi * (cần đạt tối đa để xếp loại Tốt) hoặc để trống.")
        if fact and fact not in FACTS:
            raise RuleError(f"Dòng {number}: số liệu “{fact}” không có; dùng một trong: {', '.join(FACTS)}.")
        if len(group) > 100 or len(text_) > 300:
            raise RuleError(f"Dòng {number}: nhóm tối đa 100 ký tự, nội dung tiêu chí tối đa 300 ký tự.")
        items.append((group, text_, int(points), star == "*", fact or None))
    if not items:
        raise RuleError("Phiếu cần ít nhất một tiêu chí.")
    if sum(i[2] for i in items) != 100:
        raise RuleError(f"Tổng điểm các tiêu chí là {sum(i[2] for i in items)}, phải bằng 100.")
    return items


BANDED_GRADES = ("good", "fair", "average")  # "poor" is everything below "average"


def band_minimums(template: ScoreTemplate) -> dict[str, int]:
    return {grade: minimum for minimum, grade in template.bands if grade in BANDED_GRADES}


def parse_bands(minimums: dict[str, str]) -> list:
    """The lowest total for Tốt, Khá and Trung bình, strictly falling; Kém below them."""
    numbers = []
    for grade in BANDED_GRADES:
        value = str(minimums.get(grade, "")).strip()
        if not _small_number(value) or not 1 <= int(value) <= 100:
            raise RuleError(f"Ngưỡng điểm xếp loại {GRADE_LABELS[grade]} là số từ 1 đến 100.")
        numbers.append(int(value))
    if not numbers[0] > numbers[1] > numbers[2]:
        raise RuleError("Ngưỡng điểm phải giảm dần: Tốt cao hơn Khá, Khá cao hơn Trung bình.")
    return [[n, g] for n, g in zip(numbers, BANDED_GRADES, strict=True)] + [[0, "poor"]]


def new_version(
    actor,
    unit: OrgUnit,
    base: ScoreTemplate,
    *,
    name: str,
    legal_basis: str,
    cell_types: list[str],
    kinds: list[str],
    criteria_lines: str,
    band_minimums: dict[str, str],
) -> ScoreTemplate:
    items = parse_criteria(criteria_lines)
    bands = parse_bands(band_minimums)
    if not kinds:
        raise RuleError("Chọn ít nhất một loại cuộc họp.")
    today = date.today()
    if base.unit_id == unit.id:
        base.valid_to = today  # the office's own earlier version ends; others' stay as they are
    template = ScoreTemplate(
        unit_id=unit.id,
        name=clean_text(name, limit=200, label="Tên phiếu") or base.name,
        legal_basis=clean_text(legal_basis, limit=200, label="Căn cứ"),
        cell_types=",".join(cell_types),
        meeting_kinds=",".join(kinds),
        bands=bands,
        valid_from=today,
        version=base.version + 1,
        previous_id=base.id,
    )
    db.session.add(template)
    db.session.flush()
    for position, (group, text_, points, needed, fact) in enumerate(items, start=1):
        db.session.add(
            ScoreCriterion(
                template_id=template.id,
                position=position,
                group=group,
                text=text_,
                max_points=points,
                needed_for_top=needed,
                fact=fact,
            )
        )
    record(actor, "score_template.version", template, unit, f"{template.name}, phiên bản {template.version}")
    return template
