"""The resolution form: every text refused when too long, never cut."""

from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.web.forms import Form, VersionField

TEXT_LIMIT = 20_000


def _long(label: str, rows_required: str | None = None):
    validators = [InputRequired(rows_required)] if rows_required else [Optional()]
    validators.append(Length(max=TEXT_LIMIT, message=f"{label} dài quá {TEXT_LIMIT:,} ký tự.".replace(",", ".")))
    return TextAreaField(label, validators=validators, render_kw={"maxlength": TEXT_LIMIT})


class ResolutionForm(Form):
    version = VersionField()
    summary = StringField(
        "Trích yếu",
        validators=[
            InputRequired("Ghi trích yếu của nghị quyết."),
            Length(max=300, message="Trích yếu dài quá 300 ký tự."),
        ],
        render_kw={"maxlength": 300},
    )
    results = _long("I. Kết quả thực hiện nhiệm vụ trong tháng", "Ghi kết quả thực hiện nhiệm vụ trong tháng.")
    shortcomings = _long("II. Hạn chế, nguyên nhân")
    tasks = _long("III. Nhiệm vụ, giải pháp tháng tới", "Ghi nhiệm vụ, giải pháp tháng tới.")
    implementation = _long("IV. Tổ chức thực hiện", "Ghi cách tổ chức thực hiện nghị quyết.")
    recipients = _long("Nơi nhận (mỗi dòng một nơi)")
