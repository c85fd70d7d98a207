"""The cadre's schedule and check-in; the offices' assignments and visit quotas."""

from datetime import UTC, date, datetime

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField, TimeField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from app.db import month_bounds, utcnow
from app.extensions import db
from app.meetings.models import Meeting
from app.meetings.queries import calendar_weeks
from app.org.access import Permission, assignable_kinds, can
from app.org.models import OrgUnit
from app.org.queries import breadcrumbs
from app.supervision import queries, services
from app.supervision.models import (
    DEFAULT_QUOTAS,
    AssignmentKind,
    CadreLevel,
    DelegateAttendance,
    SupervisionAssignment,
    VisitQuota,
)
from app.web.authz import loads, signed_in
from app.web.forms import FAILED, DateField, Form, adjacent_months, attempt, form_status, month_arg
from app.web.htmx import render

bp = Blueprint("supervision", __name__)


@bp.get("/schedule")
@signed_in(Permission.attend)
def schedule():
    today = date.today()
    first, last = queries.window(today)
    rows = queries.schedule(current_user, first, last)
    year, month = month_arg()
    in_month = [r.meeting for r in queries.schedule(current_user, *month_bounds(year, month))]
    return render(
        "supervision/schedule.html",
        rows=rows,
        weeks=calendar_weeks(in_month, year, month),
        year=year,
        month=month,
        previous=adjacent_months(year, month)[0],
        following=adjacent_months(year, month)[1],
        today=today,
        tracking=queries.seen_at(current_user) is not None,
        shown_at=utcnow().isoformat(timespec="seconds"),
    )


@bp.post("/schedule/seen")
@signed_in(Permission.attend)
def mark_seen():
    """The "Đánh dấu đã xem" button; changes made after the page was shown stay marked.
    (GET /schedule used to write this: "database is locked" under concurrent requests.)"""
    now = utcnow()
    try:
        shown = datetime.fromisoformat(request.form.get("shown_at", ""))
    except ValueError:
        shown = now
    if shown.tzinfo is not None:
        shown = shown.astimezone(UTC).replace(tzinfo=None)
    queries.mark_seen(current_user, min(shown, now))
    db.session.commit()
    return redirect(url_for("supervision.schedule"), 303)


def _back(meeting: Meeting):
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#delegates", 303)


def _attend(meeting, action, success: str):
    """A cadre's own step at a meeting of a cell they follow."""
    if attempt(lambda: action(current_user, meeting)) is not FAILED:
        flash(success, "success")
    return _back(meeting)


@bp.post("/meetings/<int:meeting_id>/check-in")
@loads(Meeting, Permission.attend)
def check_in(meeting):
    return _attend(meeting, services.check_in, "Đã ghi đồng chí có mặt tại buổi sinh hoạt.")


@bp.post("/meetings/<int:meeting_id>/check-out")
@loads(Meeting, Permission.attend)
def check_out(meeting):
    return _attend(meeting, services.check_out, "Đã ghi giờ về.")


@bp.post("/meetings/<int:meeting_id>/apologies")
@loads(Meeting, Permission.attend)
def apologize(meeting):
    reason = request.form.get("reason", "")
    return _attend(
        meeting, lambda user, meeting: services.apologize(user, meeting, reason), "Đã báo vắng với chi bộ."
    )


@bp.post("/meetings/<int:meeting_id>/remarks")
@loads(Meeting, Permission.attend)
def remarks(meeting):
    text = request.form.get("remarks", "")
    return _attend(
        meeting,
        lambda user, meeting: services.save_remarks(user, meeting, text),
        "Đã lưu ý kiến chỉ đạo; ý kiến được đưa vào biên bản.",
    )


@bp.post("/delegates/<int:entry_id>/remove")
@loads(DelegateAttendance, Permission.run_meetings)
def remove_delegate(entry, meeting):
    """The office takes off a delegate recorded by mistake, before adoption."""
    if attempt(lambda: services.remove_delegate(current_user, entry, meeting)) is not FAILED:
        flash(f"Đã bỏ đại biểu {entry.name} khỏi cuộc họp.", "success")
    return _back(meeting)


class OnBehalfForm(Form):
    user_id = SelectField(
        "Cán bộ được phân công", coerce=lambda v: int(v) if v not in (None, "", "None") else None, validate_choice=False
    )
    name = StringField("hoặc họ tên đại biểu khác", validators=[Optional(), Length(max=120)])
    position = StringField("Chức vụ, đơn vị", validators=[Optional(), Length(max=200)])
    arrived_at = TimeField("Giờ đến", validators=[Optional()])
    left_at = TimeField("Giờ về", validators=[Optional()])
    remarks = TextAreaField("Ý kiến chỉ đạo", validators=[Optional(), Length(max=services.REMARKS_LIMIT)])


@bp.route("/meetings/<int:meeting_id>/delegates/new", methods=["GET", "POST"])
@loads(Meeting, Permission.run_meetings)
def record_delegate(meeting):
    """The office enters a delegate's presence from the paper record."""
    form = OnBehalfForm()
    cadres = queries.assigned_cadres(meeting)
    form.user_id.choices = [(None, "— Đại biểu khác (ghi họ tên) —")] + [(u.id, u.full_name) for u in cadres]
    if form.validate_on_submit():
        user = None
        if form.user_id.data is not None:
            user = next((u for u in cadres if u.id == form.user_id.data), None)
            if user is None:
                abort(400)
        done = attempt(
            lambda: services.record_on_behalf(
                current_user,
                meeting,
                user=user,
                name=form.name.data or "",
                position=form.position.data or "",
                arrived_at=form.arrived_at.data,
                left_at=form.left_at.data,
                remarks=form.remarks.data or "",
            ),
            form,
        )
        if done is not FAILED:
            flash("Đã ghi đại biểu dự họp (ghi thay).", "success")
            return _back(meeting)
    return render(
        "supervision/delegate_form.html",
        form=form,
        meeting=meeting,
        crumbs=breadcrumbs(meeting.cell) + [meeting.cell],
        status=form_status(),
    )


class AssignmentForm(Form):
    user_id = SelectField("Cán bộ (cấp ủy viên)", coerce=int, validate_choice=False)
    cell_ids = SelectMultipleField("Chi bộ", coerce=int, validate_choice=False)
    kind = SelectField(
        "Hình thức",
        validators=[AnyOf([k.value for k in AssignmentKind], message="Hình thức không hợp lệ.")],
        validate_choice=False,
    )
    level = SelectField("Cấp ủy", choices=CadreLevel.choices())
    from_on = DateField("Từ ngày", validators=[InputRequired("Ghi ngày bắt đầu.")])
    to_on = DateField("Đến ngày (không bắt buộc)", validators=[Optional()])


@bp.route("/units/<int:unit_id>/supervision", methods=["GET", "POST"])
@loads(OrgUnit, Permission.view, post=Permission.assign_supervisors)
def assignments(unit):
    may_assign = can(current_user, Permission.assign_supervisors, unit)
    form = AssignmentForm()
    users = queries.assignable_users(unit) if may_assign else []
    cells = queries.cells_under(unit) if may_assign else []
    form.user_id.choices = [(u.id, u.full_name) for u in users]
    form.cell_ids.choices = [(c.id, c.name) for c in cells]
    # Only the kinds this office may give here; the service refuses any other (403).
    form.kind.choices = [(k.value, k.label) for k in assignable_kinds(current_user, unit)]
    if request.method == "POST":
        if not may_assign:
            abort(403)
        if form.validate_on_submit():
            user = next((u for u in users if u.id == form.user_id.data), None)
            chosen = [c for c in cells if c.id in set(form.cell_ids.data or [])]
            if user is None:
                form.user_id.errors.append("Chọn một cán bộ của cấp ủy này.")
            else:
                made = attempt(
                    lambda: services.assign(
                        current_user, user, chosen, form.kind.data, form.level.data, form.from_on.data, form.to_on.data
                    ),
                    form,
                )
                if made is not FAILED:
                    flash(f"Đã phân công {user.full_name} ở {len(made)} chi bộ.", "success")
                    return redirect(url_for("supervision.assignments", unit_id=unit.id), 303)
    elif not form.from_on.data:
        form.from_on.data = date.today()
    show_ended = request.args.get("ended") == "1"
    return render(
        "supervision/assignments.html",
        unit=unit,
        form=form,
        may_assign=may_assign,
        rows=queries.assignments_under(current_user, unit, include_ended=show_ended),
        show_ended=show_ended,
        crumbs=breadcrumbs(unit) + [unit],
        status=form_status() if request.method == "POST" else 200,
    )


@bp.post("/assignments/<int:assignment_id>/end")
@loads(SupervisionAssignment, Permission.assign_supervisors)
def end_assignment(assignment, cell, office):
    try:
        to_on = date.fromisoformat(request.form.get("to_on") or date.today().isoformat())
    except ValueError:
        to_on = date.today()
    if attempt(lambda: services.end_assignment(current_user, assignment, to_on)) is not FAILED:
        flash(f"Đã kết thúc phân công của {assignment.user.full_name} ở {cell.name}.", "success")
    back = request.form.get("unit", type=int) or office.id
    return redirect(url_for("supervision.assignments", unit_id=back), 303)


@bp.route("/units/<int:unit_id>/visit-quotas", methods=["GET", "POST"])
@loads(OrgUnit, Permission.assign_supervisors)
def quotas(unit):
    if unit.parent_id is not None:
        abort(404)  # quotas are set for a province (the top of a tree)
    stored = {q.level: q.visits for q in db.session.scalars(select(VisitQuota).where(VisitQuota.unit_id == unit.id))}
    if request.method == "POST":
        visits = {level: request.form.get(level.value, type=int) for level in CadreLevel}
        for level in CadreLevel:
            if visits[level] is None:
                flash(f"{level.label}: ghi số lần (0–100).", "error")
                break
        else:
            if (
                attempt(
                    lambda: [services.set_quota(current_user, unit, level.value, visits[level]) for level in CadreLevel]
                )
                is not FAILED
            ):
                flash("Đã lưu chỉ tiêu dự sinh hoạt.", "success")
                return redirect(url_for("supervision.quotas", unit_id=unit.id), 303)
    values = {level: stored.get(level.value, DEFAULT_QUOTAS[level]) for level in CadreLevel}
    return render("supervision/quotas.html", unit=unit, values=values, crumbs=breadcrumbs(unit) + [unit])


@bp.get("/units/<int:unit_id>/oversight")
@loads(OrgUnit, Permission.view)
def oversight(unit):
    from app.supervision import oversight as data

    if unit.is_cell:
        abort(404)
    today = date.today()
    year = request.args.get("year", today.year, type=int)
    if not 2000 <= year <= 2100:
        year = today.year
    rows, pagination = data.matrix(unit, year, request.args.get("page", 1, type=int))
    unattended, unattended_total = data.unattended(unit, today)
    return render(
        "supervision/oversight.html",
        unit=unit,
        year=year,
        today=today,
        cadres=data.cadres(unit, year, today),
        unattended=unattended,
        unattended_total=unattended_total,
        rows=rows,
        pagination=pagination,
        short_grades={"good": "T", "fair": "K", "average": "TB", "poor": "Kém"},
        crumbs=breadcrumbs(unit) + [unit],
    )
