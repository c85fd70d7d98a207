"""What a client sends is bounded in one place (app/web/inputs.py, the base form in
app/web/forms.py, clean_text): each case the fuzz found, with its message."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from wtforms import FileField, SelectFieldBase

from app.attendance.models import Guest
from app.extensions import db
from app.rules import RuleError, clean_text
from app.scoring.templates_admin import parse_criteria
from app.web.forms import Form
from app.web.security import is_safe_next

ENGLISH = re.compile(r"\b(not|valid|invalid|field|must|this|required|choice|characters?|number|date|value)\b", re.I)


def _forms():
    import app.auth.forms  # noqa: F401  (every module that declares forms)
    import app.meetings.forms  # noqa: F401
    import app.minutes.forms  # noqa: F401
    import app.org.forms  # noqa: F401
    import app.supervision.views  # noqa: F401

    found, todo = [], [Form]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        found.append(cls)
    return [cls for cls in found if cls is not Form]


def test_every_form_of_the_app_is_built_on_the_base_form():
    from flask_wtf import FlaskForm

    def all_subclasses(cls):
        return {cls} | {s for c in cls.__subclasses__() for s in all_subclasses(c)}

    app_forms = {c for c in all_subclasses(FlaskForm) if c.__module__.startswith("app.")}
    assert app_forms and app_forms <= set(_forms()) | {Form}


BAD = {
    "IntegerField": ["abc", "9" * 300, "-" + "9" * 300, str(2**63)],
    "DateField": ["31/02/2026", "0000-00-00", "99/99/99999"],
    "TimeField": ["25:61", "abc"],
    "DateTimeLocalField": ["2026-13-45T99:99"],
    "VersionField": ["abc", "1e9"],
}


def _bad_values(field) -> list[str]:
    kind = type(field).__name__
    if kind in BAD:
        return BAD[kind]
    if isinstance(field, SelectFieldBase):
        return ["không-có-lựa-chọn-này", "9" * 300, "²"]
    return ["x\x01y", "x" * 10_000, "một\tdòng" if "TextArea" not in kind else "\x0b"]


@pytest.mark.parametrize("form_class", _forms(), ids=lambda c: c.__name__)
def test_every_message_a_form_can_show_is_vietnamese(app, form_class):
    messages = []
    for round_ in range(3):
        with app.test_request_context(method="POST", data={}):
            empty = form_class()
            _give_choices(empty)
            names = [f.name for f in empty if not isinstance(f, FileField) and f.name != "csrf_token"]
            data = {}
            for field in empty:
                if field.name in names:
                    values = _bad_values(field)
                    data[field.name] = values[round_ % len(values)]
        for formdata in (data, {}):  # hostile values, then nothing at all
            with app.test_request_context(method="POST", data=formdata):
                form = form_class()
                _give_choices(form)
                form.validate()
                messages += [m for errors in form.errors.values() for m in errors]
    english = sorted({m for m in messages if ENGLISH.search(m) or m.isascii()})
    assert not english, english


def _give_choices(form):
    for field in form:
        if isinstance(field, SelectFieldBase) and field.choices is None:
            field.choices = [("1", "Một")]


def test_a_single_line_field_refuses_tab_and_line_breaks_a_text_area_keeps_them(app):
    from app.minutes.forms import SpeakerForm

    with app.test_request_context(method="POST", data={"name": "Lê\tVăn", "said": "Dòng một\r\n\tdòng hai"}):
        form = SpeakerForm()
        form.member_id.choices = [("", "—")]
        assert not form.validate()
        assert form.errors == {"name": ["Không được có ký tự điều khiển hay xuống dòng."]}


def test_a_control_character_anywhere_is_refused_with_a_message_and_nothing_is_stored(
    app, client, login_as, held_meeting
):
    login_as("xa")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Guest))
    url = f"/meetings/{held_meeting}/guests"
    refused = client.post(url, data={"name": "Nguyễn\x00Văn Khách", "position": "Bí thư"})
    assert refused.status_code == 422
    assert "ký tự điều khiển" in refused.get_data(as_text=True)
    # htmx: the message goes on top of the page, which keeps what the user typed.
    refused = client.post(url, data={"name": "Khách", "unit_name": "Xã\x1b[2J"}, headers={"HX-Request": "true"})
    assert refused.status_code == 422
    assert refused.headers["HX-Retarget"] == "#main" and refused.headers["HX-Reswap"] == "afterbegin"
    assert "ký tự điều khiển" in refused.get_data(as_text=True)
    assert client.get("/members/search?q=an%00").status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Guest)) == before


def test_clean_text_refuses_control_characters_but_keeps_line_breaks():
    assert clean_text(" Dòng một\r\n\tdòng hai ") == "Dòng một\r\n\tdòng hai"
    for text in ("a\x00b", "a\x07", "\x7f", "a\x85b"):
        with pytest.raises(RuleError, match="ký tự điều khiển"):
            clean_text(text)


def test_ids_beyond_the_integer_column_are_404(client, login_as):
    login_as("quantri")
    assert client.get(f"/meetings/{2**31}").status_code == 404
    assert client.get(f"/members/{2**63}").status_code == 404
    assert client.post(f"/minutes/{10**200}").status_code == 404
    assert client.get(f"/cells/1/year-review/{2**40}").status_code == 404
    assert client.get(f"/meetings/{2**31 - 1}").status_code == 404  # in range, not there


def test_integers_in_queries_and_forms_out_of_range_count_as_absent(app, client, login_as, world):
    login_as("xa")
    assert client.get(f"/members/search?q=an&unit={2**63}").status_code == 200
    assert client.get("/members/search?q=an&unit=²").status_code == 200
    assert client.get(f"/cells/{world['cell']}/meetings/new?prepares={2**63}").status_code == 200
    assert client.get(f"/units/{world['commune']}/calendar?month={'9' * 30}-1").status_code == 200
    with app.test_request_context(query_string={"a": str(2**31), "b": "7", "c": ["1", str(-(2**40)), "2"]}):
        from flask import request

        assert request.args.get("a", type=int) is None and request.args.get("b", type=int) == 7
        assert request.args.getlist("c", type=int) == [1, 2]


def test_a_version_that_is_not_a_number_is_a_form_error_not_a_crash(app, client, login_as, cell):
    from app.org.models import Membership

    with app.app_context():
        member_id = db.session.scalar(select(Membership.member_id).where(Membership.unit_id == cell))
    login_as("xa")
    page = client.post(f"/members/{member_id}/edit", data={"full_name": "Nguyễn Văn Thử", "version": "abc"})
    assert page.status_code == 422
    assert "Phiên bản của biểu mẫu không hợp lệ" in page.get_data(as_text=True)


def test_next_with_a_line_break_is_not_followed():
    assert is_safe_next("/units/3?tab=members")
    for target in ("/x\r\nSet-Cookie: a=b", "/x\nLocation: //evil", "/x\t", "//evil", "/\\evil", "http://evil/"):
        assert not is_safe_next(target), target


def test_login_with_a_line_break_in_next_lands_home(app):
    client = app.test_client()
    response = client.post(
        "/login?next=/units/1%0d%0aSet-Cookie:%20a=b", data={"username": "xem", "password": "demo-chibo-2026"}
    )
    assert response.status_code == 303
    assert "\n" not in response.headers["Location"] and "Set-Cookie" not in response.headers["Location"]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("Nhóm | Tiêu chí | 60\nchỉ một cột", "Dòng 2: cần 3 đến 5 cột"),
        ("Nhóm | Tiêu chí", "Dòng 1: cần 3 đến 5 cột"),
        ("Nhóm | Tiêu chí | 60\n\nNhóm | Tiêu chí | mười", "Dòng 3: điểm tối đa là số từ 1 đến 100"),
        ("Nhóm | Tiêu chí | ²", "Dòng 1: điểm tối đa"),
        ("Nhóm | Tiêu chí | " + "9" * 400, "Dòng 1: điểm tối đa"),
        ("Nhóm | Tiêu chí | 100 | x", "Dòng 1: cột thứ tư"),
        ("Nhóm | Tiêu chí | 100 | * | không_có", "Dòng 1: số liệu “không_có” không có"),
        ("a | b | 50 | * | x | y", "Dòng 1: cần 3 đến 5 cột"),
    ],
)
def test_each_criteria_line_is_checked_and_named(lines, message):
    with pytest.raises(RuleError, match=re.escape(message)):
        parse_criteria(lines)


def test_audit_list_asked_by_htmx_is_a_fragment(app, client, login_as, cell):
    login_as("quantri")
    response = client.get("/audit", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="audit-entries"' in response.get_data(as_text=True)
    assert "<html" not in response.get_data(as_text=True)


def test_marking_the_schedule_seen_takes_any_shown_at_and_never_a_future_one(app, client, login_as):
    from app.supervision.models import ScheduleSeen
    from tests.conftest import user_by_name

    login_as("giamsat")
    for shown_at in ("", "abc", "9999-12-31T23:59:59", "2026-01-01T10:00:00+07:00", "1-1-1", "2026-02-30T00:00"):
        assert client.post("/schedule/seen", data={"shown_at": shown_at}).status_code == 303
    with app.app_context():
        seen = db.session.get(ScheduleSeen, user_by_name("giamsat").id)
        assert seen.seen_at <= datetime.now(UTC).replace(tzinfo=None)
