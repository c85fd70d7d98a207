"""Form helpers shared by every domain: Vietnamese dates, and running a service call."""

from datetime import date, datetime

from flask import flash, request
from wtforms import DateField as _DateField

from app.extensions import db
from app.rules import RuleError, StaleEdit

FAILED = object()


def form_status() -> int:
    """A submitted form that reaches rendering has errors: 422, so htmx swaps it in."""
    return 422 if request.method == "POST" else 200


def attempt(action, form=None):
    """Run a service call and commit once. A RuleError rolls everything back and becomes
    the form's error (or a flash message when there is no form); returns FAILED then."""
    try:
        result = action()
        db.session.commit()
    except RuleError as error:
        db.session.rollback()
        if form is not None:
            form.form_errors.append(str(error))
        else:
            flash(str(error), "error")
        return FAILED
    return result


def form_date(name: str) -> date | None:
    """An ISO date posted by a date picker; None when empty or not a date."""
    raw = (request.form.get(name) or "").strip()
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


STALE_MESSAGE = "Bản này vừa được người khác lưu. Nội dung của bạn chưa được lưu; hãy so sánh rồi lưu lại."


def attempt_edit(write, done, refused):
    """Run a write and commit once, for pages that answer with themselves. A RuleError
    answers `refused(error=…, stale=None, status=422)`; a StaleEdit (someone saved in
    between) `refused(error=…, stale=<record as saved now>, status=409)`."""
    try:
        write()
        db.session.commit()
    except RuleError as refusal:
        db.session.rollback()
        return refused(error=str(refusal), stale=None, status=422)
    except StaleEdit as stale:
        db.session.rollback()
        return refused(error=STALE_MESSAGE, stale=stale.current, status=409)
    return done()


class DateField(_DateField):
    """Accepts 2026-02-05 (the browser's date picker) and 05/02/2026 (typed)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip()
        for fmt in self.format:
            try:
                self.data = datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            if not date(1900, 1, 1) <= self.data <= date(2100, 12, 31):
                self.data = None
                raise ValueError("Ngày nằm ngoài khoảng cho phép.")
            return
        self.data = None
        raise ValueError("Ngày không hợp lệ (nhập theo dạng ngày/tháng/năm).")

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.isoformat() if self.data else ""


def month_arg(name: str = "month") -> tuple[int, int]:
    """?month=2026-11 (this month when absent or not a month)."""
    today = date.today()
    try:
        year, month = (int(x) for x in request.args.get(name, f"{today.year}-{today.month}").split("-"))
        date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month


def adjacent_months(year: int, month: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The (year, month) before and after, for month navigation."""
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return previous, following
