"""Unit pages: home, show, create, edit, move, retire."""

from datetime import date

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.attendance.services import ABSENCE_ALERTS_SHOWN, absence_alerts
from app.criticism.services import overdue_commitments
from app.extensions import db
from app.org import queries, services
from app.org.access import (
    Permission,
    can,
    can_change_unit,
    can_read_notes,
    get_unit_or_404,
    holds,
    home_unit,
    require,
)
from app.org.forms import MoveForm, RetireForm, UnitEditForm, UnitForm
from app.org.models import ALLOWED_PARENTS, OrgUnit, PlannedMeetings, UnitKind
from app.rules import RuleError
from app.web.authz import loads, signed_in
from app.web.forms import FAILED, attempt, form_status
from app.web.htmx import render

bp = Blueprint("org", __name__)


@bp.get("/")
@signed_in()
def home():
    unit = home_unit(current_user)
    if unit is None:
        if holds(current_user, Permission.attend):  # a supervising cadre: their meetings
            return redirect(url_for("supervision.schedule"))
        return render("org/no_unit.html")
    return redirect(url_for("org.show", unit_id=unit.id))


@bp.get("/units/<int:unit_id>")
@loads(OrgUnit, Permission.view)
def show(unit):
    show_retired = request.args.get("retired") == "1"
    overview = queries.unit_overview(unit, date.today(), include_retired=show_retired)
    return render(
        "org/show.html",
        unit=unit,
        overview=overview,
        crumbs=queries.breadcrumbs(unit),
        history=queries.unit_history(unit),
        show_retired=show_retired,
        can_change=can_change_unit(current_user, unit),
        absence_alerts=absence_alerts(unit, date.today()) if unit.kind in ("cell", "commune") else [],
        absence_limit=ABSENCE_ALERTS_SHOWN,
        overdue_commitments=overdue_commitments(unit) if unit.kind in ("cell", "commune") else [],
        current_year=date.today().year,
    )


def _child_kinds(parent) -> list[UnitKind]:
    return [k for k, parents in ALLOWED_PARENTS.items() if UnitKind(parent.kind) in parents]


@bp.route("/units/<int:unit_id>/children/new", methods=["GET", "POST"])
@loads(OrgUnit, Permission.manage_units)
def new_child(unit):
    parent = unit
    form = UnitForm()
    kinds = _child_kinds(parent)
    form.kind.choices = [(k.value, k.label) for k in kinds]
    if not kinds:
        flash("Không thể thêm đơn vị trực thuộc một chi bộ.", "warning")
        return redirect(url_for("org.show", unit_id=parent.id))
    if form.validate_on_submit():
        kind = UnitKind(form.kind.data)
        if kind is UnitKind.cell and not form.cell_type.data:
            form.cell_type.errors.append("Vui lòng chọn loại hình chi bộ.")
        else:
            unit = attempt(
                lambda: services.create_unit(
                    current_user,
                    parent,
                    kind=kind,
                    name=form.name.data,
                    place_name=form.place_name.data,
                    code=form.code.data,
                    cell_type=form.cell_type.data or None,
                    meeting_day=form.meeting_day.data,
                    valid_from=form.valid_from.data,
                ),
                form,
            )
            if unit is not FAILED:
                flash(f"Đã tạo {unit.name}.", "success")
                return redirect(url_for("org.show", unit_id=unit.id), 303)
    return render(
        "org/unit_form.html",
        form=form,
        parent=parent,
        crumbs=queries.breadcrumbs(parent) + [parent],
        status=form_status(),
    )


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@loads(OrgUnit, Permission.manage_units, on="parent")
def edit(unit):
    form = UnitEditForm(obj=unit)
    if request.method == "GET":
        form.effective_on.data = date.today()
    if form.validate_on_submit():
        try:
            services.update_unit(
                current_user,
                unit,
                name=form.name.data,
                place_name=form.place_name.data,
                code=form.code.data,
                cell_type=form.cell_type.data or None,
                meeting_day=form.meeting_day.data,
                on=form.effective_on.data,
            )
            db.session.commit()
        except RuleError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        except IntegrityError:
            db.session.rollback()
            form.code.errors.append("Mã đơn vị này đã được dùng.")
        else:
            flash("Đã lưu thông tin đơn vị.", "success")
            return redirect(url_for("org.show", unit_id=unit.id), 303)
    return render(
        "org/unit_form.html", form=form, unit=unit, crumbs=queries.breadcrumbs(unit) + [unit], status=form_status()
    )


@bp.route("/units/<int:unit_id>/move", methods=["GET", "POST"])
@loads(OrgUnit, Permission.manage_units, on="parent")
def move(unit):
    parents = [
        u
        for u in queries.units_for_select(current_user, Permission.manage_units, ALLOWED_PARENTS[UnitKind(unit.kind)])
        if u.id != unit.parent_id and not u.path.startswith(unit.path)
    ]
    labels = queries.unit_label_map(parents)
    form = MoveForm()
    form.parent_id.choices = [(u.id, labels[u.id]) for u in parents]
    if request.method == "GET":
        form.on.data = date.today()
    if form.validate_on_submit():
        target = get_unit_or_404(current_user, form.parent_id.data, Permission.manage_units)
        if attempt(lambda: services.move_unit(current_user, unit, target, form.on.data), form) is not FAILED:
            flash(f"Đã chuyển {unit.name} về {target.name}.", "success")
            return redirect(url_for("org.show", unit_id=unit.id), 303)
    return render(
        "org/move.html", form=form, unit=unit, crumbs=queries.breadcrumbs(unit) + [unit], status=form_status()
    )


@bp.route("/units/<int:unit_id>/retire", methods=["GET", "POST"])
@loads(OrgUnit, Permission.manage_units, on="parent")
def retire(unit):
    """Two steps: the form, then a confirmation that says which members and planned
    meetings go where; only the confirmed post retires the unit."""
    require(can_change_unit(current_user, unit) and not unit.is_retired)
    siblings = [
        u
        for u in queries.units_for_select(current_user, Permission.manage_units, (UnitKind(unit.kind),))
        if u.id != unit.id
    ]
    labels = queries.unit_label_map(siblings)
    form = RetireForm()
    form.successor_id.choices = [(0, "— Không có —")] + [(u.id, labels[u.id]) for u in siblings]
    preview = None
    if request.method == "GET":
        form.on.data = date.today()
    if form.validate_on_submit():
        successor = (
            get_unit_or_404(current_user, form.successor_id.data, Permission.manage_units)
            if form.successor_id.data
            else None
        )
        planned = PlannedMeetings(form.planned.data) if form.planned.data else None
        if form.confirmed.data == "1":
            done = attempt(
                lambda: services.retire_unit(
                    current_user,
                    unit,
                    on=form.on.data,
                    successor=successor,
                    reason=form.reason.data,
                    planned=planned,
                ),
                form,
            )
            if done is not FAILED:
                message = f"Đã ghi nhận giải thể/sáp nhập {unit.name}."
                if done.members:
                    message += f" {len(done.members)} đảng viên đã chuyển sang {successor.name}."
                if done.planned and planned is PlannedMeetings.cancel:
                    message += f" Đã hủy {len(done.planned)} buổi sinh hoạt đã lên lịch."
                elif done.planned:
                    message += (
                        f" {len(done.planned)} buổi sinh hoạt đã lên lịch đã được chuyển sang {successor.name}"
                        " hoặc hủy nếu không thể chuyển (lý do ghi ở từng buổi)."
                    )
                flash(message, "success")
                return redirect(url_for("org.show", unit_id=unit.id), 303)
        else:
            try:
                preview = services.check_retirement(unit, on=form.on.data, successor=successor, planned=planned)
            except RuleError as error:
                form.form_errors.append(str(error))
            else:
                form.confirmed.data = "1"
    if preview is None:
        form.confirmed.data = ""  # a refused confirmation starts again from the form
    return render(
        "org/retire.html",
        form=form,
        unit=unit,
        preview=preview,
        successor_label=labels.get(form.successor_id.data),
        planned_label=PlannedMeetings(form.planned.data).label if form.planned.data else "",
        planned_soon=services.retirement(unit, date.today()).planned if unit.is_cell else [],
        crumbs=queries.breadcrumbs(unit) + [unit],
        status=200 if preview is not None else form_status(),
    )


@bp.app_context_processor
def permission_helpers():
    return {
        "can": lambda perm, unit: can(current_user, Permission[perm], unit),
        "can_read_notes": lambda meeting: can_read_notes(current_user, meeting),
        "Permission": Permission,
    }
