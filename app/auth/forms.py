from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    EqualTo,
    Length,
    Optional,
    Regexp,
)

from app.org.models import Role
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


def _role_field():
    # The choices are the roles the manager may grant; a known role outside them is
    # refused by the service with its reason (403), not as a mistyped field.
    return SelectField(
        "Vai trò",
        validators=[DataRequired(REQUIRED), AnyOf([r.value for r in Role], message="Vai trò không hợp lệ.")],
        validate_choice=False,
    )


USERNAME = Regexp(
    r"^[a-z0-9_.-]{3,60}$", message="Tên đăng nhập gồm 3–60 ký tự: chữ thường không dấu, số, dấu chấm, gạch."
)


class AccountForm(Form):
    username = StringField("Tên đăng nhập", validators=[DataRequired(REQUIRED), USERNAME])
    full_name = StringField("Họ và tên", validators=[DataRequired(REQUIRED), Length(max=120)])
    password = _new_password_field("Mật khẩu ban đầu")
    role = _role_field()
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
    role = _role_field()
    unit_id = SelectField("Đơn vị", coerce=int, validators=[DataRequired(REQUIRED)])
    from_on = DateField("Từ ngày", validators=[Optional()])
