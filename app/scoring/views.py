"""Score sheets of a meeting, their comparison and the official grade."""

from datetime import date

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.db import month_bounds
from app.extensions import db
from app.meetings import queries as meeting_queries
from app.meetings.models import Meeting, MeetingKind
from app.org.access import Permission, can
from app.org.history import unit_as_of
from app.org.models import CellType, OrgUnit
from app.org.queries import breadcrumbs
from app.printing.pdf import pdf_response
from app.rules import RuleError
from app.scoring import report, report_xlsx, services, templates_admin
from app.scoring.defaults import GRADE_LABELS
from app.scoring.models import MeetingGrade, ScoreSheet
from app.web.authz import loads
from app.web.forms import FAILED, adjacent_months, attempt, month_arg
from app.web.htmx import render
from app.web.templating import vn_number

bp = Blueprint("scoring", __name__)


# Score sheets are filled by a supervising cadre or by the cell (either permission).
SCORERS = frozenset({Permission.attend, Permission.run_meetings})


def _may_score(meeting) -> bool:
    return any(can(current_user, perm, meeting.cell) for perm in SCORERS)


def _points(text: str) -> float:
    """A criterion's points as typed ("8,5"); ValueError beyond what any sheet allows."""
    value = float(text.replace(",", "."))
    if not 0 <= value <= 100:  # also refuses nan and inf
        raise ValueError(text)
    return value


@bp.route("/meetings/<int:meeting_id>/score", methods=["GET", "POST"])
@loads(Meeting, SCORERS, options=meeting_queries.WITH_COMMUNE)
def score(meeting):
    mine = db.session.scalars(
        select(ScoreSheet).where(ScoreSheet.meeting_id == meeting.id, ScoreSheet.scorer_id == current_user.id)
    ).first()
    try:
        template = mine.template if mine else services.template_for(meeting)
        kind = services.scorer_kind(current_user, meeting, can(current_user, Permission.run_meetings, meeting.cell))
    except RuleError as error:
        flash(str(error), "error")
        return redirect(url_for("meetings.show", meeting_id=meeting.id), 303)
    found = services.facts(meeting)
    suggested = services.prefill(template, found)
    values = {e.criterion_id: e.points for e in mine.entries} if mine else dict(suggested)
    reasons = {e.criterion_id: e.override_reason or "" for e in mine.entries} if mine else {}
    error = None
    status = 200
    if request.method == "POST":
        reasons = {c.id: request.form.get(f"reason-{c.id}", "") for c in template.criteria}
        try:
            values = {c.id: _points(request.form.get(f"points-{c.id}", "")) for c in template.criteria}
        except ValueError:
            error, status = "Điểm phải là số từ 0 đến 100.", 422
        else:
            saved = attempt(lambda: services.save_sheet(current_user, meeting, kind, template, values, reasons, found))
            if saved is not FAILED:
                flash(f"Đã lưu phiếu chấm: {vn_number(saved.total)} điểm, {saved.grade_label}.", "success")
                return redirect(url_for("scoring.compare", meeting_id=meeting.id), 303)
            status = 422
    total, grade = services.grade_of(template, {c.id: values.get(c.id, 0) for c in template.criteria})
    return render(
        "scoring/sheet.html",
        meeting=meeting,
        sheet_template=template,
        kind=kind,
        found=found,
        suggested=suggested,
        values=values,
        reasons=reasons,
        total=total,
        grade=GRADE_LABELS[grade],
        error=error,
        crumbs=meeting_queries.meeting_crumbs(meeting),
        status=status,
    )


@bp.get("/meetings/<int:meeting_id>/scores")
@loads(Meeting, Permission.view_meetings, options=meeting_queries.WITH_COMMUNE)
def compare(meeting):
    sheets = db.session.scalars(
        select(ScoreSheet).where(ScoreSheet.meeting_id == meeting.id).order_by(ScoreSheet.scorer_kind, ScoreSheet.id)
    ).all()
    templates = {s.template_id: s.template for s in sheets}
    criteria = [c for t in templates.values() for c in t.criteria]
    points = {s.id: {e.criterion_id: e.points for e in s.entries} for s in sheets}
    differing = {c.id for c in criteria if len({points[s.id].get(c.id) for s in sheets if c.id in points[s.id]}) > 1}
    return render(
        "scoring/compare.html",
        meeting=meeting,
        sheets=sheets,
        criteria=criteria,
        points=points,
        differing=differing,
        official=db.session.get(MeetingGrade, meeting.id),
        grades=GRADE_LABELS,
        may_score=_may_score(meeting) and meeting.is_held,
        may_set=can(current_user, Permission.set_grade, meeting.cell),
        crumbs=meeting_queries.meeting_crumbs(meeting),
    )


@bp.post("/meetings/<int:meeting_id>/grade")
@loads(Meeting, Permission.set_grade)
def set_grade(meeting):
    grade, reason = request.form.get("grade", ""), request.form.get("reason", "")
    if attempt(lambda: services.set_official(current_user, meeting, grade, reason)) is not FAILED:
        flash("Đã điều chỉnh xếp loại chính thức.", "success")
    return redirect(url_for("scoring.compare", meeting_id=meeting.id), 303)


def _report_args(unit):
    if unit.is_cell:
        abort(404)
    year, month = month_arg()
    if unit.kind == "commune":
        return unit, year, month, report.rows(unit, year, month), []
    return unit, year, month, [], report.rollup_for(unit, year, month)


@bp.get("/units/<int:unit_id>/score-report")
@loads(OrgUnit, Permission.view)
def monthly_report(unit):
    unit, year, month, report_rows, summaries = _report_args(unit)
    previous, following = adjacent_months(year, month)
    return render(
        "scoring/report.html",
        unit=unit,
        year=year,
        month=month,
        rows=report_rows,
        summaries=summaries,
        grades=GRADE_LABELS,
        previous=previous,
        following=following,
        crumbs=breadcrumbs(unit) + [unit],
    )


def _report_print(unit) -> dict:
    unit, year, month, report_rows, summaries = _report_args(unit)
    return {
        "unit": unit_as_of(unit, month_bounds(year, month)[1]),  # the issuer as it was that month
        "on": date.today(),
        "year": year,
        "month": month,
        "rows": report_rows,
        "summaries": summaries,
        "grades": GRADE_LABELS,
        "back_url": url_for("scoring.monthly_report", unit_id=unit.id, month=f"{year}-{month}"),
        "pdf_url": url_for("scoring.monthly_report_pdf", unit_id=unit.id, month=f"{year}-{month}"),
    }


@bp.get("/units/<int:unit_id>/score-report/print")
@loads(OrgUnit, Permission.view)
def monthly_report_print(unit):
    return render_template("printing/score_report.html", pdf=False, **_report_print(unit))


@bp.get("/units/<int:unit_id>/score-report/print.pdf")
@loads(OrgUnit, Permission.view)
def monthly_report_pdf(unit):
    context = _report_print(unit)
    name = f"tong-hop-cham-diem-{context['year']}-{context['month']:02d}-{unit.id}.pdf"
    return pdf_response("printing/score_report.html", name, **context)


@bp.get("/units/<int:unit_id>/score-report.xlsx")
@loads(OrgUnit, Permission.view)
def monthly_report_xlsx(unit):
    unit, year, month, report_rows, summaries = _report_args(unit)
    data = report_xlsx.workbook(unit_as_of(unit, month_bounds(year, month)[1]), year, month, report_rows, summaries)
    response = make_response(data)
    response.headers["Content-Type"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="tong-hop-cham-diem-{year}-{month:02d}-{unit.id}.xlsx"'
    )
    return response


def _template_unit(unit):
    if unit.kind not in ("province", "district"):
        abort(404)  # score sheets are set by a province or a district


@bp.get("/units/<int:unit_id>/score-templates")
@loads(OrgUnit, Permission.manage_templates)
def templates(unit):
    _template_unit(unit)
    return render(
        "scoring/templates.html",
        unit=unit,
        templates=templates_admin.visible_templates(unit, date.today()),
        crumbs=breadcrumbs(unit) + [unit],
    )


@bp.route("/units/<int:unit_id>/score-templates/<int:template_id>/edit", methods=["GET", "POST"])
@loads(OrgUnit, Permission.manage_templates)
def edit_template(unit, template_id: int):
    _template_unit(unit)
    base = next((t for t in templates_admin.visible_templates(unit, date.today()) if t.id == template_id), None)
    if base is None:
        abort(404)
    values = {
        "name": base.name,
        "legal_basis": base.legal_basis or "",
        "cell_types": [t for t in base.cell_types.split(",") if t],
        "kinds": base.meeting_kinds.split(","),
        "criteria": templates_admin.criteria_text(base),
        "bands": templates_admin.band_minimums(base),
    }
    error, status = None, 200
    if request.method == "POST":
        values = {
            "name": request.form.get("name", ""),
            "legal_basis": request.form.get("legal_basis", ""),
            "cell_types": [t for t in request.form.getlist("cell_types") if t in set(CellType)],
            "kinds": [k for k in request.form.getlist("kinds") if k in set(MeetingKind)],
            "criteria": request.form.get("criteria", ""),
            "bands": {g: request.form.get(f"band-{g}", "") for g in templates_admin.BANDED_GRADES},
        }
        try:
            templates_admin.new_version(
                current_user,
                unit,
                base,
                name=values["name"],
                legal_basis=values["legal_basis"],
                cell_types=values["cell_types"],
                kinds=values["kinds"],
                criteria_lines=values["criteria"],
                band_minimums=values["bands"],
            )
            db.session.commit()
        except RuleError as rule:
            db.session.rollback()
            error, status = str(rule), 422
        else:
            flash("Đã lưu phiên bản mới của phiếu chấm; các phiếu đã chấm giữ nguyên mẫu cũ.", "success")
            return redirect(url_for("scoring.templates", unit_id=unit.id), 303)
    return render(
        "scoring/template_form.html",
        unit=unit,
        base=base,
        values=values,
        error=error,
        cell_types=list(CellType),
        kinds=list(MeetingKind),
        facts=templates_admin.FACTS,
        grade_labels=GRADE_LABELS,
        crumbs=breadcrumbs(unit) + [unit],
        status=status,
    )
