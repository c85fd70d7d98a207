"""Form helpers shared by every domain: the base form, Vietnamese dates, and running a
service call."""

from datetime import date, datetime

from flask import flash, g, request
from flask_wtf import FlaskForm
from sqlalchemy.orm.exc import StaleDataError
from wtforms import DateField as _DateField
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.validators import StopValidation

from app.extensions import db
from app.rules import RuleError, StaleEdit
from app.web.inputs import has_control_characters, in_int_range
from app.web.once import commit_once

FAILED = object()

# WTForms' own messages (validators and fields used without an explicit message).
VIETNAMESE = {
    "This field is required.": "Vui lòng nhập thông tin này.",
    "Invalid input.": "Giá trị không hợp lệ.",
    "Field must be equal to %(other_name)s.": "Giá trị phải trùng với ô %(other_name)s.",
    "Field must be at least %(min)d character long.": "Cần ít nhất %(min)d ký tự.",
    "Field must be at least %(min)d characters long.": "Cần ít nhất %(min)d ký tự.",
    "Field cannot be longer than %(max)d character.": "Tối đa %(max)d ký tự.",
    "Field cannot be longer than %(max)d characters.": "Tối đa %(max)d ký tự.",
    "Field must be exactly %(max)d character long.": "Cần đúng %(max)d ký tự.",
    "Field must be exactly %(max)d characters long.": "Cần đúng %(max)d ký tự.",
    "Field must be between %(min)d and %(max)d characters long.": "Cần từ %(min)d đến %(max)d ký tự.",
    "Number must be at least %(min)s.": "Số phải từ %(min)s trở lên.",
    "Number must be at most %(max)s.": "Số phải không quá %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Số phải từ %(min)s đến %(max)s.",
    "Date must be at least %(min)s.": "Ngày phải từ %(min)s trở đi.",
    "Date must be at most %(max)s.": "Ngày phải không sau %(max)s.",
    "Date must be between %(min)s and %(max)s.": "Ngày phải từ %(min)s đến %(max)s.",
    "Invalid email address.": "Địa chỉ thư điện tử không hợp lệ.",
    "Invalid value, must be one of: %(values)s.": "Giá trị phải là một trong: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Giá trị không được là: %(values)s.",
    "Invalid Choice: could not coerce.": "Lựa chọn không hợp lệ.",
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Có lựa chọn không hợp lệ.",
    "'%(value)s' is not a valid choice for this field.": "“%(value)s” không phải là lựa chọn hợp lệ.",
    "'%(value)s' are not valid choices for this field.": "“%(value)s” không phải là lựa chọn hợp lệ.",
    "Not a valid datetime value.": "Ngày giờ không hợp lệ.",
    "Not a valid date value.": "Ngày không hợp lệ.",
    "Not a valid time value.": "Giờ không hợp lệ (nhập theo dạng giờ:phút).",
    "Not a valid week value.": "Tuần không hợp lệ.",
    "Not a valid integer value.": "Cần nhập một số nguyên.",
    "Not a valid decimal value.": "Cần nhập một số.",
    "Not a valid float value.": "Cần nhập một số.",
    "Invalid CSRF Token.": "Phiên biểu mẫu không hợp lệ; hãy tải lại trang.",
    "CSRF token missing.": "Phiên biểu mẫu không hợp lệ; hãy tải lại trang.",
    "CSRF failed.": "Phiên biểu mẫu không hợp lệ; hãy tải lại trang.",
    "CSRF token expired.": "Phiên biểu mẫu đã hết hạn; hãy tải lại trang.",
}


class VietnameseTranslations:
    def gettext(self, string):
        return VIETNAMESE.get(string, string)

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


TRANSLATIONS = VietnameseTranslations()
NUMBER_RANGE_MESSAGE = "Số quá lớn hoặc quá nhỏ."


def _refuse_control_characters(form, field):
    """First in every text field's chain (before Optional, which would let it through)."""
    multiline = isinstance(field, TextAreaField)
    if any(isinstance(v, str) and has_control_characters(v, multiline) for v in field.raw_data or ()):
        message = "Không được có ký tự điều khiển" + ("." if multiline else " hay xuống dòng.")
        raise StopValidation(message)


def _within_int_range(form, field):
    if not field.errors and field.data is not None and not in_int_range(field.data):
        raise StopValidation(NUMBER_RANGE_MESSAGE)


def _bounded(coerce):
    """A choice's coerce whose integers stay in the database's range (ids included)."""

    def bounded(value):
        result = coerce(value)
        if isinstance(result, int) and not isinstance(result, bool) and not in_int_range(result):
            raise ValueError(NUMBER_RANGE_MESSAGE)
        return result

    return bounded


class VersionField(HiddenField):
    """The version an edit form was opened at (compare-and-set). Missing or not a number
    means the page is not one this app made: a form error (422), never a crash nor a
    compare with version 0. A create form that shares the fields deletes this one."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
            raise ValueError("Biểu mẫu thiếu phiên bản; hãy tải lại trang rồi sửa lại.")
        if text.isascii() and text.isdigit() and len(text) < 10:
            self.data = int(text)
        else:
            self.data = None
            raise ValueError("Phiên bản của biểu mẫu không hợp lệ; hãy tải lại trang rồi sửa lại.")


class Form(FlaskForm):
    """The base of every form: Vietnamese messages, texts without control characters,
    integers and chosen ids within the INTEGER range."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS

        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            args, kwargs = list(unbound_field.args), dict(unbound_field.kwargs)
            positional = len(args) > 1  # Field(label, validators, …)
            validators = list((args[1] if positional else kwargs.get("validators")) or ())
            if issubclass(field_class, StringField):
                validators.insert(0, _refuse_control_characters)
            elif issubclass(field_class, IntegerField):
                validators.append(_within_int_range)
            if positional:
                args[1] = validators
            else:
                kwargs["validators"] = validators
            if "coerce" in kwargs:
                kwargs["coerce"] = _bounded(kwargs["coerce"])
            return UnboundField(field_class, *args, **kwargs).bind(form=form, **options)


def form_status() -> int:
    """A submitted form that reaches rendering has errors: 422, so htmx swaps it in
    (409 when `attempt` found someone saved the record in between)."""
    if request.method != "POST":
        return 200
    return 409 if g.get("stale_edit") else 422


def attempt(action, form=None):
    """Run a service call and commit once (a create form's replayed token answers what
    it made the first time). A RuleError, or a lost race on a natural key, rolls
    everything back and becomes the form's error (or a flash message when there is no
    form); returns FAILED then. A stale edit does the same with the stale message, and
    `form_status` answers 409."""
    try:
        result = commit_once(action)
    except RuleError as error:
        db.session.rollback()
        _tell(str(error), form)
        return FAILED
    except (StaleEdit, StaleDataError):
        db.session.rollback()
        g.stale_edit = True
        _tell(STALE_MESSAGE, form)
        return FAILED
    return result


def stale_record(form, record):
    """After `attempt` met a stale edit: the record as saved now (shown beside the user's
    input) with the form moved to its version, so saving again is deliberate; else None."""
    if not g.get("stale_edit"):
        return None
    form.version.data = record.version
    return record


def _tell(message: str, form) -> None:
    if form is not None:
        form.form_errors.append(message)
    else:
        flash(message, "error")


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
        commit_once(write)
    except RuleError as refusal:
        db.session.rollback()
        return refused(error=str(refusal), stale=None, status=422)
    except (StaleEdit, StaleDataError) as stale:  # the helper's check, or SQLAlchemy's on the UPDATE
        db.session.rollback()
        return refused(error=STALE_MESSAGE, stale=getattr(stale, "current", None), status=409)
    return done()


class DateField(_DateField):
    """Accepts 2026-02-05 (the browser's date picker) and 05/02/2026 (typed)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            self.raw_data = [""]  # spaces only: InputRequired sees nothing was given
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
        if not 1900 <= year <= 2100:
            raise ValueError
        date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month


def adjacent_months(year: int, month: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The (year, month) before and after, for month navigation."""
    previous = (year - 1, 12) if month == 1 else (year, month - 1)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return previous, following
