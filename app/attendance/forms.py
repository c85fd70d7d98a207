"""The attendance sheet's guest form."""

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.web.forms import Form

REQUIRED = "Vui lòng nhập thông tin này."


class GuestForm(Form):
    # Spaces only is no name (DataRequired strips).
    name = StringField(
        "Họ tên",
        id="guest-name",
        validators=[DataRequired(REQUIRED), Length(max=120, message="Họ tên khách mời dài quá 120 ký tự.")],
    )
    position = StringField(
        "Chức vụ", id="guest-position", validators=[Length(max=200, message="Chức vụ dài quá 200 ký tự.")]
    )
    unit_name = StringField(
        "Đơn vị", id="guest-unit", validators=[Length(max=200, message="Đơn vị dài quá 200 ký tự.")]
    )
