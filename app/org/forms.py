from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.org.models import CellType, Gender, MembershipKind, PlannedMeetings, PositionTitle, UnitKind
from app.web.forms import DateField, Form, VersionField

REQUIRED = "Vui lòng nhập thông tin này."
CHOOSE = "Vui lòng chọn."


class UnitForm(Form):
    kind = SelectField("Cấp đơn vị", choices=UnitKind.choices(), validators=[DataRequired(CHOOSE)])
    name = StringField("Tên đơn vị", validators=[DataRequired(REQUIRED), Length(max=200, message="Tối đa 200 ký tự.")])
    place_name = StringField(
        "Địa danh ghi trên văn bản", validators=[Optional(), Length(max=200, message="Tối đa 200 ký tự.")]
    )
    code = StringField(
        "Mã đơn vị",
        validators=[
            Optional(),
            Length(max=30, message="Tối đa 30 ký tự."),
            Regexp(r"^[A-Za-z0-9._-]+$", message="Mã chỉ gồm chữ không dấu, số, dấu chấm, gạch."),
        ],
    )
    cell_type = SelectField("Loại hình chi bộ", choices=[("", "—")] + CellType.choices(), validators=[Optional()])
    meeting_day = IntegerField(
        "Ngày sinh hoạt cố định hằng tháng",
        validators=[Optional(), NumberRange(1, 28, "Ngày sinh hoạt phải từ 1 đến 28.")],
    )
    valid_from = DateField("Thành lập từ ngày", validators=[Optional()])


class UnitEditForm(UnitForm):
    kind = None
    valid_from = None
    effective_on = DateField("Tên và địa danh mới áp dụng từ ngày", validators=[Optional()])


class MoveForm(Form):
    parent_id = SelectField("Chuyển về trực thuộc", coerce=int, validators=[DataRequired(CHOOSE)])
    on = DateField("Từ ngày", validators=[DataRequired(REQUIRED)])


class RetireForm(Form):
    on = DateField("Từ ngày", validators=[DataRequired(REQUIRED)])
    successor_id = SelectField("Đơn vị kế thừa (nếu sáp nhập)", coerce=int, validators=[Optional()])
    reason = StringField("Lý do", validators=[DataRequired(REQUIRED), Length(max=200, message="Tối đa 200 ký tự.")])
    planned = RadioField(
        "Các buổi sinh hoạt đã lên lịch từ ngày giải thể/sáp nhập",
        choices=PlannedMeetings.choices(),
        validators=[Optional()],
    )
    # Set by the confirmation step: the first submit only shows what will happen.
    confirmed = HiddenField()


class MemberForm(Form):
    full_name = StringField(
        "Họ và tên", validators=[DataRequired(REQUIRED), Length(min=2, max=120, message="Họ tên từ 2 đến 120 ký tự.")]
    )
    gender = SelectField("Giới tính", choices=Gender.choices(), validators=[DataRequired(CHOOSE)])
    birth_on = DateField("Ngày sinh", validators=[Optional()])
    ethnicity = StringField(
        "Dân tộc", default="Kinh", validators=[Optional(), Length(max=40, message="Tối đa 40 ký tự.")]
    )
    joined_on = DateField("Ngày vào Đảng", validators=[DataRequired(REQUIRED)])
    official_on = DateField("Ngày chính thức (bỏ trống nếu đang dự bị)", validators=[Optional()])
    card_number = StringField(
        "Số thẻ đảng viên",
        validators=[
            Optional(),
            Length(max=20, message="Tối đa 20 ký tự."),
        ],
    )
    # Card and phone formats are checked by app/rules/members.py (shared with the import).
    phone = StringField("Điện thoại", validators=[Optional(), Length(max=20, message="Tối đa 20 ký tự.")])
    notes = TextAreaField("Ghi chú", validators=[Optional(), Length(max=2000, message="Tối đa 2000 ký tự.")])
    version = VersionField()


class EditMemberForm(MemberForm):
    # The stored card number and phone are not sent to the form (personal data, shown
    # masked): a blank field keeps them, these boxes clear them.
    clear_card_number = BooleanField("Xóa số thẻ đang lưu")
    clear_phone = BooleanField("Xóa số điện thoại đang lưu")


class NewMemberForm(MemberForm):
    version = None  # a new member has none (an edit form without one is refused)
    from_on = DateField("Sinh hoạt tại chi bộ từ ngày", validators=[DataRequired(REQUIRED)])
    membership_kind = SelectField("Hình thức", choices=MembershipKind.choices(), validators=[DataRequired(CHOOSE)])


class TransferForm(Form):
    target_id = SelectField("Chuyển đến chi bộ", coerce=int, validators=[DataRequired(CHOOSE)])
    on = DateField("Từ ngày", validators=[DataRequired(REQUIRED)])
    kind = SelectField("Hình thức", choices=MembershipKind.choices(), validators=[DataRequired(CHOOSE)])
    reason = StringField("Lý do", validators=[Optional(), Length(max=150, message="Tối đa 150 ký tự.")])


END_REASONS = [
    ("Chuyển sinh hoạt ra ngoài đảng bộ", "Chuyển sinh hoạt ra ngoài đảng bộ"),
    ("Từ trần", "Từ trần"),
    ("Xóa tên", "Xóa tên"),
    ("Khai trừ", "Khai trừ"),
    ("Xin ra khỏi Đảng", "Xin ra khỏi Đảng"),
    ("Hết thời gian sinh hoạt tạm thời", "Hết thời gian sinh hoạt tạm thời"),
]


class EndMembershipForm(Form):
    on = DateField("Từ ngày", validators=[DataRequired(REQUIRED)])
    reason = SelectField("Lý do", choices=END_REASONS, validators=[DataRequired(CHOOSE)])


class PositionForm(Form):
    title = SelectField("Chức vụ", choices=PositionTitle.choices(), validators=[DataRequired(CHOOSE)])
    from_on = DateField("Từ ngày", validators=[DataRequired(REQUIRED)])


class EndPositionForm(Form):
    on = DateField("Thôi giữ chức từ ngày", validators=[DataRequired(REQUIRED)])


class ExemptionForm(Form):
    reason = StringField(
        "Lý do miễn sinh hoạt", validators=[DataRequired(REQUIRED), Length(max=200, message="Tối đa 200 ký tự.")]
    )
    from_on = DateField("Từ ngày", validators=[DataRequired(REQUIRED)])
    to_on = DateField("Đến ngày (bỏ trống nếu chưa xác định)", validators=[Optional()])


class AwayForm(Form):
    destination = StringField(
        "Nơi sinh hoạt tạm thời", validators=[DataRequired(REQUIRED), Length(max=200, message="Tối đa 200 ký tự.")]
    )
    from_on = DateField("Từ ngày", validators=[DataRequired(REQUIRED)])
    to_on = DateField("Đến ngày (bỏ trống nếu chưa xác định)", validators=[Optional()])


class ImportUploadForm(Form):
    file = FileField("Tệp danh sách (CSV hoặc XLSX)", validators=[FileRequired("Vui lòng chọn tệp.")])


class ImportConfirmForm(Form):
    payload = HiddenField(validators=[DataRequired()])
