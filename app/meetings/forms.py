"""Forms for planning and preparing meetings."""

from datetime import date

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.files import MAX_UPLOAD_MB
from app.meetings.models import MeetingKind, NotificationAudience
from app.web.forms import DateField, Form, VersionField

REQUIRED = "Vui lòng nhập thông tin này."


def optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class MeetingForm(Form):
    kind = SelectField("Loại cuộc họp", choices=MeetingKind.choices(), validators=[InputRequired(REQUIRED)])
    planned_on = DateField("Ngày họp dự kiến", validators=[InputRequired(REQUIRED)])
    planned_time = TimeField("Giờ bắt đầu", validators=[Optional()])
    place = StringField("Địa điểm", validators=[Optional(), Length(max=200)])
    topic = StringField("Chuyên đề (với sinh hoạt chuyên đề)", validators=[Optional(), Length(max=300)])
    prepares_id = SelectField("Chuẩn bị cho buổi sinh hoạt (họp chi ủy)", coerce=optional_int, validate_choice=False)
    confirm_extraordinary = BooleanField("Xác nhận sinh hoạt bất thường (tháng này chi bộ đã có buổi thường kỳ)")
    version = VersionField()  # editing only


class PlanYearForm(Form):
    year = IntegerField("Năm", validators=[InputRequired(REQUIRED), NumberRange(2000, 2100, "Năm không hợp lệ.")])
    planned_time = TimeField("Giờ bắt đầu", validators=[Optional()])
    place = StringField("Địa điểm", validators=[Optional(), Length(max=200)])


class HeldForm(Form):
    held_on = DateField("Ngày họp", validators=[InputRequired(REQUIRED)])
    started_at = TimeField("Giờ bắt đầu", validators=[Optional()])


class PostponeForm(Form):
    new_on = DateField("Ngày họp mới", validators=[InputRequired(REQUIRED)])
    reason = TextAreaField("Lý do hoãn", validators=[InputRequired(REQUIRED), Length(max=500)])


class CancelForm(Form):
    reason = TextAreaField("Lý do hủy", validators=[InputRequired(REQUIRED), Length(max=500)])


class AgendaItemForm(Form):
    title = StringField("Nội dung", validators=[InputRequired(REQUIRED), Length(max=300)])
    presenter_id = SelectField("Người trình bày (đảng viên)", coerce=optional_int, validate_choice=False)
    presenter_name = StringField("hoặc đại biểu (họ tên, chức vụ)", validators=[Optional(), Length(max=200)])
    planned_minutes = IntegerField(
        "Số phút", default=10, validators=[InputRequired(REQUIRED), NumberRange(1, 240, "Từ 1 đến 240 phút.")]
    )
    version = VersionField()  # editing only


class TopicForm(Form):
    planned_month = SelectField("Tháng dự kiến", coerce=int, choices=[(m, f"Tháng {m}") for m in range(1, 13)])
    title = StringField("Tên chuyên đề", validators=[InputRequired(REQUIRED), Length(max=300)])
    drafter_id = SelectField("Người chuẩn bị dự thảo", coerce=optional_int, validate_choice=False)


class ScheduleTopicForm(Form):
    mode = RadioField(
        "Hình thức",
        choices=[
            ("separate", "Buổi sinh hoạt chuyên đề riêng"),
            ("combined", "Kết hợp với sinh hoạt thường kỳ tháng đó"),
        ],
        default="combined",
    )
    on = DateField("Ngày (nếu họp riêng)", validators=[Optional()])


class DocumentForm(Form):
    file = FileField(f"Tệp (PDF, DOCX, XLSX, ODT, ảnh; tối đa {MAX_UPLOAD_MB} MB)")
    title = StringField("Tên tài liệu", validators=[Optional(), Length(max=300)])
    agenda_item_id = SelectField("Thuộc nội dung", coerce=optional_int, validate_choice=False)


class AvailabilityForm(Form):
    available_at = DateTimeLocalField("Gửi cho đảng viên lúc", validators=[Optional()])
    posted_on_app_at = DateTimeLocalField("Đăng trên Sổ tay đảng viên điện tử lúc", validators=[Optional()])


class NotificationForm(Form):
    audience = SelectField("Thông báo cho", choices=NotificationAudience.choices())
    notified_at = DateTimeLocalField("Thời điểm", validators=[InputRequired(REQUIRED)])
    method = StringField(
        "Hình thức",
        validators=[InputRequired(REQUIRED), Length(max=200)],
        description="Ví dụ: giấy mời, tin nhắn Zalo nhóm chi bộ, gọi điện",
    )


class TemplateForm(Form):
    kind = SelectField("Loại cuộc họp", choices=MeetingKind.choices())
    lines = TextAreaField(
        "Các nội dung, mỗi dòng một mục: tên nội dung | số phút", validators=[InputRequired(REQUIRED)]
    )
    reset = BooleanField("Trở về chương trình chuẩn")


def parse_template_lines(text: str) -> tuple[list[tuple[str, int, bool]], list[str]]:
    """Lines "title | minutes"; a line starting with "*" is the review item."""
    items, errors = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        is_review = line.startswith("*")
        title, _, minutes = line.lstrip("* ").rpartition("|") if "|" in line else (line.lstrip("* "), "", "10")
        try:
            minutes_value = int(minutes.strip())
            if not 1 <= minutes_value <= 240:
                raise ValueError
        except ValueError:
            errors.append(f"Dòng {number}: số phút phải là số từ 1 đến 240.")
            continue
        if not title.strip():
            errors.append(f"Dòng {number}: thiếu tên nội dung.")
            continue
        if len(title.strip()) > 300:
            errors.append(f"Dòng {number}: tên nội dung dài quá 300 ký tự.")
            continue
        items.append((title.strip(), minutes_value, is_review))
    return items, errors


def this_year() -> int:
    return date.today().year
