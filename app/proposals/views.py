"""The proposals register of a cell and the inbox of the office that answers them."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.meetings.queries import member_choices
from app.org.access import Permission, can, get_meeting_or_404
from app.org.models import Member, OrgUnit
from app.org.queries import breadcrumbs
from app.proposals import services
from app.proposals.models import Proposal, ProposalStatus
from app.web.authz import Cell, loads
from app.web.forms import FAILED, attempt, form_date
from app.web.htmx import render

bp = Blueprint("proposals", __name__)


@bp.get("/cells/<int:cell_id>/proposals")
@loads(Cell, Permission.view)
def register(cell):
    proposals = db.session.scalars(
        select(Proposal)
        .where(Proposal.cell_id == cell.id, Proposal.is_deleted.is_(False))
        .order_by(Proposal.received_on.desc(), Proposal.id.desc())
    ).all()
    may_run = can(current_user, Permission.run_meetings, cell)
    return render(
        "proposals/register.html",
        cell=cell,
        proposals=proposals,
        may_run=may_run,
        members=member_choices(cell, date.today()) if may_run else [],
        levels=services.levels_above(cell),
        today=date.today(),
        crumbs=breadcrumbs(cell) + [cell],
    )


@bp.post("/cells/<int:cell_id>/proposals")
@loads(Cell, Permission.run_meetings)
def create(cell):
    addressed = db.session.get(OrgUnit, request.form.get("addressed_unit_id", type=int) or 0)
    member_id = request.form.get("member_id", type=int)
    member = db.session.get(Member, member_id) if member_id else None
    if member is not None and member_id not in dict(member_choices(cell, date.today())):
        abort(400)
    meeting_id = request.form.get("meeting_id", type=int)
    meeting = get_meeting_or_404(current_user, meeting_id, Permission.run_meetings) if meeting_id else None
    if addressed is None:
        flash("Chọn cấp nhận kiến nghị.", "error")
    elif (
        attempt(
            lambda: services.raise_proposal(
                current_user,
                cell,
                content=request.form.get("content", ""),
                addressed=addressed,
                member=member,
                meeting=meeting,
            )
        )
        is not FAILED
    ):
        flash("Đã ghi kiến nghị vào sổ.", "success")
    if meeting is not None:
        return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#proposals", 303)
    return redirect(url_for("proposals.register", cell_id=cell.id), 303)


@bp.post("/proposals/<int:proposal_id>/forward")
@loads(Proposal, Permission.run_meetings)
def forward(proposal):
    if (
        attempt(
            lambda: services.forward(
                current_user, proposal, form_date("forwarded_on") or date.today(), form_date("deadline_on")
            )
        )
        is not FAILED
    ):
        flash("Đã ghi việc chuyển kiến nghị.", "success")
    return redirect(url_for("proposals.register", cell_id=proposal.cell_id), 303)


@bp.post("/proposals/<int:proposal_id>/answer")
@loads(Proposal, Permission.answer_proposals, on="addressed_unit")
def answer(proposal):
    text = request.form.get("answer", "")
    if (
        attempt(lambda: services.answer(current_user, proposal, text, form_date("answered_on") or date.today()))
        is not FAILED
    ):
        flash("Đã ghi trả lời; chi bộ sẽ thấy trong mục kiểm điểm của cuộc họp tới.", "success")
    return redirect(url_for("proposals.inbox", unit_id=proposal.addressed_unit_id), 303)


@bp.post("/proposals/<int:proposal_id>/report")
@loads(Proposal, Permission.run_meetings)
def report(proposal):
    meeting = get_meeting_or_404(current_user, request.form.get("meeting_id", type=int) or 0, Permission.run_meetings)
    if attempt(lambda: services.report_back(current_user, proposal, meeting)) is not FAILED:
        flash("Đã thông báo trả lời kiến nghị tại cuộc họp.", "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#agenda", 303)


@bp.get("/units/<int:unit_id>/proposals")
@loads(OrgUnit, Permission.view)
def inbox(unit):
    if unit.is_cell:
        abort(404)
    show_done = request.args.get("done") == "1"
    statuses = list(ProposalStatus) if show_done else [ProposalStatus.received, ProposalStatus.forwarded]
    proposals = db.session.scalars(
        select(Proposal)
        .where(
            Proposal.addressed_unit_id == unit.id,
            Proposal.status.in_([s.value for s in statuses]),
            Proposal.is_deleted.is_(False),
        )
        .order_by(Proposal.deadline_on.is_(None), Proposal.deadline_on, Proposal.received_on)
    ).all()
    return render(
        "proposals/inbox.html",
        unit=unit,
        proposals=proposals,
        show_done=show_done,
        may_answer=can(current_user, Permission.answer_proposals, unit),
        today=date.today(),
        crumbs=breadcrumbs(unit) + [unit],
    )
