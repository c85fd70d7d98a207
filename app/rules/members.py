"""One validation of a member's record, shared by the member form and the import."""

import re
from datetime import date

CARD = re.compile(r"^[0-9A-Za-z.-]{1,20}$")
PHONE = re.compile(r"^[0-9 +.()-]{6,20}$")
LIMITS = {"full_name": 120, "ethnicity": 40, "card_number": 20, "phone": 20, "notes": 2000}
LABELS = {
    "full_name": "Họ và tên",
    "ethnicity": "Dân tộc",
    "card_number": "Số thẻ đảng viên",
    "phone": "Điện thoại",
    "notes": "Ghi chú",
}


def member_problems(data: dict) -> list[str]:
    """Every problem of a member's fields (already stripped), as Vietnamese sentences;
    empty when the record is valid. Uniqueness of the card is checked by the caller."""
    problems = []
    name = data.get("full_name") or ""
    if not name:
        problems.append("Thiếu họ và tên.")
    elif len(name.split()) < 2:
        problems.append("Họ và tên phải có ít nhất họ và tên, tối đa 120 ký tự.")
    for key, limit in LIMITS.items():
        if len(data.get(key) or "") > limit:
            problems.append(f"{LABELS[key]} dài quá {limit} ký tự.")
    card = data.get("card_number")
    if card and len(card) <= LIMITS["card_number"] and not CARD.match(card):
        problems.append(f"Số thẻ “{card}” không hợp lệ: chỉ gồm chữ số, chữ cái không dấu, dấu chấm, gạch.")
    phone = data.get("phone")
    if phone and not PHONE.match(phone):
        problems.append(f"Số điện thoại “{phone}” không hợp lệ: chỉ gồm chữ số (6 đến 20 ký tự).")
    birth, joined, official = data.get("birth_on"), data.get("joined_on"), data.get("official_on")
    if not joined:
        problems.append("Thiếu ngày vào Đảng.")
    if joined and official and official < joined:
        problems.append("Ngày chính thức phải sau ngày vào Đảng.")
    if birth and joined and joined < birth:
        problems.append("Ngày vào Đảng phải sau ngày sinh.")
    for key, label in (("birth_on", "Ngày sinh"), ("joined_on", "Ngày vào Đảng"), ("official_on", "Ngày chính thức")):
        value = data.get(key)
        if value and value > date.today():
            problems.append(f"{label} không thể ở tương lai.")
    return problems
