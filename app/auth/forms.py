from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    EqualTo,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from app.web.forms import DateField, Form

MIN_PASSWORD = 10
REQUIRED = "Vui lòng nhập thông tin này."


class LoginForm(Form):
    username = StringField("Tên đăng nhập", validators=[DataRequired(REQUIRED), Length(max=60)])
    password = PasswordField("Mật khẩu", validators=[DataRequired(REQUIRED), Length(max=200)])


def _new_password_field(label="Mật khẩu mới"):
    return PasswordField(
        label,
        validators=[
            DataRequired(REQUIRED),
            Length(min=MIN_PASSWORD, max=200, message=f"Mật khẩu phải có từ {MIN_PASSWORD} đến 200 ký tự."),
        ],
    )


class CodeForm(Form):
    code = StringField(
        "Mã xác thực (6 chữ số)",
        validators=[DataRequired(REQUIRED), Length(max=12)],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"},
    )


class PasswordChangeForm(Form):
    current_password = PasswordField("Mật khẩu hiện tại", validators=[DataRequired(REQUIRED)])
    new_password = _new_password_field()
    confirm = PasswordField(
        "Nhập lại mật khẩu mới",
        validators=[
            DataRequired(REQUIRED),
            EqualTo("new_password", "Hai lần nhập mật khẩu mới không khớp."),
        ],
    )


USERNAME = Regexp(
    r"^[a-z0-9_.-]{3,60}$", message="Tên đăng nhập gồm 3–60 ký tự: chữ thường không dấu, số, dấu chấm, gạch."
)


class AccountForm(Form):
    username = StringField("Tên đăng nhập", validators=[DataRequired(REQUIRED), USERNAME])
    full_name = StringField("Họ và tên", validators=[DataRequired(REQUIRED), Length(max=120)])
    password = _new_password_field("Mật khẩu ban đầu")
    role = SelectField("Vai trò", validators=[DataRequired(REQUIRED)])
    unit_id = SelectField("Đơn vị", coerce=int, validators=[DataRequired(REQUIRED)])
    from_on = DateField("Từ ngày", validators=[Optional()])


class AccountEditForm(Form):
    full_name = StringField("Họ và tên", validators=[DataRequired(REQUIRED), Length(max=120)])
    is_enabled = BooleanField("Tài khoản đang hoạt động")
    new_password = PasswordField(
        "Đặt lại mật khẩu (bỏ trống nếu không đổi)",
        validators=[
            Optional(),
            Length(min=MIN_PASSWORD, max=200, message=f"Mật khẩu phải có từ {MIN_PASSWORD} đến 200 ký tự."),
        ],
    )


class RoleForm(Form):
    role = SelectField("Vai trò", validators=[DataRequired(REQUIRED)])
    unit_id = SelectField("Đơn vị", coerce=int, validators=[DataRequired(REQUIRED)])
    from_on = DateField("Từ ngày", validators=[Optional()])

    def validate_role(self, field):
        if field.data == "admin":
            raise ValidationError("Không thể cấp quyền quản trị hệ thống tại đây.")
