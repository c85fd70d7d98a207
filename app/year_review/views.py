"""The year-end review pages of a cell: the summary, each member's page, the print.
Texts open by POST (app/web/private.py)."""

from datetime import date

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user

from app.criticism.reading import CellYear, commit_reads, open_texts
from app.org.access import Permission, can, can_read_year_notes
from app.org.history import unit_as_of
from app.org.models import Member, OrgUnit
from app.org.queries import breadcrumbs
from app.printing.pdf import private_print
from app.web.authz import Cell, loads
from app.web.forms import attempt_edit
from app.web.private import private_render, refused_form
from app.year_review import services
from app.year_review.models import Rating

bp = Blueprint("year_review", __name__)


def _year_or_404(year: int) -> None:
    if not 2000 <= year <= date.today().year + 1:
        abort(404)


def _opened_facts(cell: OrgUnit, year: int, what: str, member_ids=None) -> list:
    """The year's facts with each review opened (app/criticism/reading.py), the read committed."""
    facts = services.year_facts(cell, year, member_ids=member_ids)
    opened = open_texts(current_user, what, [f.review for f in facts if f.review], opened=CellYear(cell, year))
    by_member = {r.member_id: r for r in opened}
    for f in facts:
        f.review = by_member.get(f.member.id)
    return facts


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
        may_open=can_read_year_notes(current_user, cell, year),
        action=url_for("year_review.summary", cell_id=cell.id, year=year),
        back_url=url_for("org.show", unit_id=cell.id),
        crumbs=breadcrumbs(cell) + [cell],
    )


@bp.post("/cells/<int:cell_id>/year-review/<int:year>")
@loads(Cell, Permission.read_notes)
def summary(cell, year: int):
    _year_or_404(year)
    facts = _opened_facts(cell, year, "kiểm điểm đảng viên")
    commit_reads()
    return private_render(
        "year_review/summary.html",
        cell=cell,
        year=year,
        facts=facts,
        ratings=Rating,
        crumbs=breadcrumbs(cell) + [cell],
    )


def _member(cell: OrgUnit, year: int, member_id: int) -> Member:
    member = next((m for m in services.members_of_year(cell, year) if m.id == member_id), None)
    if member is None:
        abort(404)
    return member


def _member_page(cell, year, member, *, notice="", mine=None):
    what = f"kiểm điểm của {member.full_name}"
    (facts,) = _opened_facts(cell, year, what, member_ids=[member.id])
    notes = open_texts(current_user, what, services.received_notes(cell, member, year))
    commit_reads()
    return private_render(
        "year_review/member.html",
        cell=cell,
        year=year,
        member=member,
        facts=facts,
        notes=notes,
        tasks=services.tasks_of_member(cell, member, year),
        ratings=Rating,
        may_record=can(current_user, Permission.record_notes, cell),
        notice=notice,
        mine=mine,
        today=date.today(),
        crumbs=breadcrumbs(cell) + [cell],
    )


@bp.post("/cells/<int:cell_id>/year-review/<int:year>/members/<int:member_id>")
@loads(Cell, Permission.read_notes)
def member(cell, year: int, member_id: int):
    _year_or_404(year)
    person = _member(cell, year, member_id)
    # `compare` (after a stale save): what the user had typed, beside the saved review.
    return _member_page(cell, year, person, mine=request.form if "compare" in request.form else None)


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
        lambda error, stale, status: refused_form(
            error,
            status,
            {"self_assessment": "Đảng viên tự đánh giá", "cell_comment": "Nhận xét của chi bộ"},
            url_for("year_review.member", cell_id=cell.id, year=year, member_id=person.id) if status == 409 else None,
            cell.name,
        ),
    )


@bp.post("/cells/<int:cell_id>/year-review/<int:year>/print")
@loads(Cell, Permission.read_notes)
def print_summary(cell, year: int):
    _year_or_404(year)
    facts = _opened_facts(cell, year, "bản in tổng hợp kiểm điểm")
    commit_reads()
    on = date(year, 12, 31) if year < date.today().year else date.today()
    return private_print(
        "year_review/print.html",
        f"tong-hop-kiem-diem-{year}-{cell.id}.pdf",
        cell=unit_as_of(cell, on),
        year=year,
        on=on,
        facts=facts,
        ratings=Rating,
        back_url=url_for("year_review.gate", cell_id=cell.id, year=year),
    )
