"""The year-end review pages of a cell: the summary, each member's page, the print.
Texts open by POST (app/web/private.py)."""

from datetime import date

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user

from app.criticism.services import record_read
from app.extensions import db
from app.org.access import Permission, can
from app.org.history import unit_as_of
from app.org.models import Member, OrgUnit
from app.org.queries import breadcrumbs
from app.printing.pdf import private_print
from app.web.authz import Cell, loads
from app.web.forms import attempt_edit
from app.web.private import private_render
from app.year_review import services
from app.year_review.models import Rating

bp = Blueprint("year_review", __name__)


def _year_or_404(year: int) -> None:
    if not 2000 <= year <= date.today().year + 1:
        abort(404)


def _read(cell: OrgUnit, year: int, what: str) -> None:
    record_read(current_user, cell, f"{what} năm {year}")
    db.session.commit()


@bp.get("/cells/<int:cell_id>/year-review/<int:year>")
@loads(Cell, Permission.view_meetings)
def gate(cell, year: int):
    _year_or_404(year)
    members, proposed = services.progress(cell, year)
    return render_template(
        "private/gate.html",
        title=f"Kiểm điểm, đánh giá đảng viên năm {year}",
        kicker=cell.name,
        facts=[f"{members} đảng viên sinh hoạt trong năm; chi bộ đã đề xuất xếp loại {proposed}."],
        may_open=can(current_user, Permission.read_notes, cell),
        action=url_for("year_review.summary", cell_id=cell.id, year=year),
        back_url=url_for("org.show", unit_id=cell.id),
        crumbs=breadcrumbs(cell) + [cell],
    )


@bp.post("/cells/<int:cell_id>/year-review/<int:year>")
@loads(Cell, Permission.read_notes)
def summary(cell, year: int):
    _year_or_404(year)
    _read(cell, year, "kiểm điểm đảng viên")
    return private_render(
        "year_review/summary.html",
        cell=cell,
        year=year,
        facts=services.year_facts(cell, year),
        ratings=Rating,
        crumbs=breadcrumbs(cell) + [cell],
    )


def _member(cell: OrgUnit, year: int, member_id: int) -> Member:
    member = next((m for m in services.members_of_year(cell, year) if m.id == member_id), None)
    if member is None:
        abort(404)
    return member


def _member_page(cell, year, member, *, notice="", error="", mine=None, status=200):
    (facts,) = services.year_facts(cell, year, member_ids=[member.id])
    return private_render(
        "year_review/member.html",
        status=status,
        cell=cell,
        year=year,
        member=member,
        facts=facts,
        notes=services.received_notes(cell, member, year),
        tasks=services.tasks_of_member(cell, member, year),
        ratings=Rating,
        may_record=can(current_user, Permission.record_notes, cell),
        notice=notice,
        error=error,
        mine=mine,
        today=date.today(),
        crumbs=breadcrumbs(cell) + [cell],
    )


@bp.post("/cells/<int:cell_id>/year-review/<int:year>/members/<int:member_id>")
@loads(Cell, Permission.read_notes)
def member(cell, year: int, member_id: int):
    _year_or_404(year)
    person = _member(cell, year, member_id)
    _read(cell, year, f"kiểm điểm của {person.full_name}")
    return _member_page(cell, year, person)


@bp.post("/cells/<int:cell_id>/year-review/<int:year>/members/<int:member_id>/save")
@loads(Cell, Permission.record_notes)
def save(cell, year: int, member_id: int):
    _year_or_404(year)
    person = _member(cell, year, member_id)
    form = request.form
    return attempt_edit(
        lambda: services.save_review(
            current_user,
            cell,
            person,
            year,
            version=form.get("version", type=int) or 0,
            self_assessment=form.get("self_assessment"),
            proposed_rating=form.get("proposed_rating"),
            cell_rating=form.get("cell_rating"),
            cell_comment=form.get("cell_comment"),
        ),
        lambda: _member_page(cell, year, person, notice="Đã lưu bản kiểm điểm."),
        lambda error, stale, status: _member_page(cell, year, person, error=error, mine=form, status=status),
    )


@bp.post("/cells/<int:cell_id>/year-review/<int:year>/print")
@loads(Cell, Permission.read_notes)
def print_summary(cell, year: int):
    _year_or_404(year)
    _read(cell, year, "bản in tổng hợp kiểm điểm")
    on = date(year, 12, 31) if year < date.today().year else date.today()
    return private_print(
        "year_review/print.html",
        f"tong-hop-kiem-diem-{year}-{cell.id}.pdf",
        cell=unit_as_of(cell, on),
        year=year,
        on=on,
        facts=services.year_facts(cell, year),
        ratings=Rating,
        back_url=url_for("year_review.gate", cell_id=cell.id, year=year),
    )
