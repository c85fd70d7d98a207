"""Idempotent creates: every create form carries a one-time token (the `once()` macro),
claimed in one table in the same transaction as what the form makes. A replayed token
(a double click, a resent form, two submits at once) answers with what the first made,
never a second record. Unique violations of known natural keys become a message."""

import json
import re
import secrets
from datetime import datetime, timedelta

from flask import has_request_context, request
from sqlalchemy import DateTime, ForeignKey, String, Text, delete, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow
from app.extensions import db
from app.rules import RuleError
from app.rules.record import ONE_REGULAR_A_MONTH

FIELD = "form_token"
TOKEN = re.compile(r"[0-9a-f]{32}")
MISSING = object()
# How long a used token answers a replay (a resent form, the back button). Tokens are
# technical, not records people made ("nothing hard-deleted" is about those): older
# ones are deleted by the next create, in its transaction.
KEEP_TOKENS = timedelta(days=30)

# Natural keys backed by a unique constraint (named by the naming convention): the
# message a lost race answers with.
UNIQUE_MESSAGES = {
    # The rule's own words (app/rules/record.py), for the race the rule's check lost.
    "uq_meetings_cell_id_month_key": f"Tháng này chi bộ đã có buổi sinh hoạt thường kỳ; {ONE_REGULAR_A_MONTH}",
    "uq_users_username": "Tên đăng nhập này đã có người dùng.",
    "uq_org_units_code": "Mã đơn vị này đã được dùng.",
    "uq_members_card_number": "Số thẻ đảng viên này đã có trong hệ thống.",
    "uq_delegate_attendance_meeting_id_user_id": "Đại biểu này đã được ghi cho cuộc họp.",
    "uq_attendance_records_meeting_id_member_id": "Đảng viên này đã được điểm danh ở cuộc họp.",
}


class FormToken(Base):
    """A used one-time token and what its form made (to answer a replay with it)."""

    __tablename__ = "form_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    result: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


def new_token() -> str:
    return secrets.token_hex(16)


def posted_token() -> str | None:
    """The token the form was sent with (anything else is no token at all)."""
    if not has_request_context() or request.method != "POST":
        return None
    token = request.form.get(FIELD) or ""
    return token if TOKEN.fullmatch(token) else None


def _dump(result) -> str:
    def one(value):
        identity = inspect(value).identity if isinstance(value, Base) else None
        if identity is not None:
            return {"model": type(value).__name__, "id": identity[0]}
        return {"value": value if isinstance(value, int | str | float | bool) else None}

    if isinstance(result, list | tuple):
        return json.dumps({"list": [one(v) for v in result]})
    return json.dumps(one(result))


def _models() -> dict[str, type]:
    return {mapper.class_.__name__: mapper.class_ for mapper in Base.registry.mappers}


def _load(text: str | None):
    data = json.loads(text or "{}")

    def one(item):
        if "model" in item:
            return db.session.get(_models()[item["model"]], item["id"])
        return item.get("value")

    if "list" in data:
        return [one(item) for item in data["list"]]
    return one(data)


def _replay(token: str):
    used = db.session.scalars(select(FormToken).where(FormToken.token == token)).first()
    return MISSING if used is None else _load(used.result)


def _user_id():
    from flask_login import current_user

    return getattr(current_user, "id", None)


def unique_message(error: IntegrityError) -> str | None:
    """The message of a known natural key's violation (PostgreSQL names the constraint;
    SQLite names the columns, from which the convention gives the same name)."""
    diag = getattr(error.orig, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name is None:
        found = re.search(r"UNIQUE constraint failed: ([\w.]+(?:, [\w.]+)*)", str(error.orig))
        if found:
            columns = [c.split(".") for c in found[1].split(", ")]
            name = f"uq_{columns[0][0]}_" + "_".join(column for _table, column in columns)
    return UNIQUE_MESSAGES.get(name)


def _prune() -> None:
    """Delete the tokens past the replay window; rows another create is deleting at the
    same moment are skipped (PostgreSQL), so concurrent creates never wait on each other."""
    old = select(FormToken.id).where(FormToken.created_at < utcnow() - KEEP_TOKENS).with_for_update(skip_locked=True)
    db.session.execute(delete(FormToken).where(FormToken.id.in_(old)))


def commit_once(write):
    """Run a write and commit it. A form sent with a token already used answers what the
    first made without writing; a lost race on a known natural key is a RuleError."""
    token = posted_token()
    if token and (done := _replay(token)) is not MISSING:
        return done
    try:
        if token:
            claim = FormToken(token=token, user_id=_user_id())
            db.session.add(claim)
            db.session.flush()  # two submits at once: the second waits here, then fails
            _prune()
        result = write()
        if token:
            claim.result = _dump(result)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if token and (done := _replay(token)) is not MISSING:
            return done
        message = unique_message(error)
        if message is None:
            raise
        raise RuleError(message) from error
    return result
