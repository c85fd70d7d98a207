"""The minutes editor's fixed fields (item texts are named item-<id>-content/-conclusion)."""

from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.meetings.forms import optional_int
from app.web.forms import DateField, Form, VersionField

COUNT = [Optional(), NumberRange(0, 10000, "Số không hợp lệ.")]


class MinutesForm(Form):
    version = VersionField()
    held_on = DateField("Ngày họp", validators=[InputRequired("Ghi ngày họp.")])
    started_at = TimeField("Bắt đầu lúc", validators=[Optional()])
    ended_at = TimeField("Kết thúc lúc", validators=[Optional()])
    place = StringField("Địa điểm", validators=[Optional(), Length(max=200)])
    chair_id = SelectField("Chủ trì", coerce=optional_int, validate_choice=False)
    minute_taker_id = SelectField("Thư ký", coerce=optional_int, validate_choice=False)
    delegates = TextAreaField("Đại biểu cấp trên, khách mời dự (họ tên, chức vụ, đơn vị)", validators=[Optional()])
    superior_remarks = TextAreaField("Ý kiến của đại biểu cấp trên", validators=[Optional()])
    resolution = TextAreaField("Nghị quyết / kết luận", validators=[Optional()])
    proposals = TextAreaField("Kiến nghị của đảng viên", validators=[Optional()])
    votes_for = IntegerField("Tán thành", validators=COUNT)
    votes_against = IntegerField("Không tán thành", validators=COUNT)
    votes_other = IntegerField("Ý kiến khác", validators=COUNT)
    closing = TextAreaField("Kết thúc, đọc lại và thông qua biên bản", validators=[Optional()])
    paper_reference = StringField("Nhập lại từ biên bản giấy (sổ, trang)", validators=[Optional(), Length(max=300)])
    times_not_recorded = BooleanField("Biên bản giấy không ghi giờ bắt đầu, kết thúc")


class SpeakerForm(Form):
    member_id = SelectField("Đảng viên", coerce=optional_int, validate_choice=False)
    name = StringField("hoặc người khác (họ tên, chức vụ)", validators=[Optional(), Length(max=200)])
    said = TextAreaField("Nội dung phát biểu", validators=[InputRequired("Ghi nội dung phát biểu.")])

    def validate_member_id(self, field):
        if field.data is None and not (self.name.data or "").strip():
            raise ValidationError("Chọn đảng viên hoặc ghi tên người phát biểu.")


class TaskForm(Form):
    assignee_id = SelectField("Người thực hiện", coerce=optional_int, validate_choice=False)
    assignee_name = StringField("hoặc bộ phận/người khác", validators=[Optional(), Length(max=200)])
    description = TextAreaField("Nhiệm vụ", validators=[InputRequired("Ghi nội dung nhiệm vụ.")])
    due_on = DateField("Hạn hoàn thành", validators=[Optional()])

    def validate_assignee_id(self, field):
        if field.data is None and not (self.assignee_name.data or "").strip():
            raise ValidationError("Chọn người thực hiện hoặc ghi bộ phận, người khác.")


class ReasonForm(Form):
    text = TextAreaField("Nội dung", validators=[InputRequired("Vui lòng nhập nội dung."), Length(max=5000)])
