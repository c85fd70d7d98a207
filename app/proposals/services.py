"""Writes for the proposals register: raise, forward, answer, report back."""

from datetime import date

from sqlalchemy import select

from app.audit.services import record
from app.extensions import db
from app.meetings.models import Meeting
from app.org.models import OrgUnit
from app.proposals.models import Proposal, ProposalStatus
from app.rules import RuleError, clean_text

# Proposals and answers are letters between committees, not essays: a page at most.
PROPOSAL_TEXT_LIMIT = 5000


def raise_proposal(
    actor,
    cell: OrgUnit,
    *,
    content: str,
    addressed: OrgUnit,
    member=None,
    meeting: Meeting | None = None,
    received_on: date | None = None,
) -> Proposal:
    content = clean_text(content, required="Ghi nội dung kiến nghị.", limit=PROPOSAL_TEXT_LIMIT)
    if addressed.id not in cell.ancestor_ids:
        raise RuleError("Kiến nghị gửi đến một cấp ủy cấp trên của chi bộ.")
    if meeting is not None and meeting.cell_id != cell.id:
        raise RuleError("Cuộc họp không thuộc chi bộ này.")
    proposal = Proposal(
        cell_id=cell.id,
        meeting_id=meeting.id if meeting else None,
        raised_by_member_id=member.id if member else None,
        raised_by=member.full_name if member else "Chi bộ",
        content=content,
        addressed_unit_id=addressed.id,
        received_on=received_on or (meeting.on if meeting else date.today()),
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(proposal)
    db.session.flush()
    record(actor, "proposal.raise", proposal, cell, f"Kiến nghị gửi {addressed.name}")
    return proposal


def forward(actor, proposal: Proposal, forwarded_on: date, deadline_on: date | None) -> None:
    if proposal.status != ProposalStatus.received:
        raise RuleError("Kiến nghị đã được chuyển.")
    if deadline_on is not None and deadline_on < forwarded_on:
        raise RuleError("Hạn trả lời phải sau ngày chuyển.")
    proposal.status = ProposalStatus.forwarded.value
    proposal.forwarded_on, proposal.deadline_on = forwarded_on, deadline_on
    record(actor, "proposal.forward", proposal, proposal.cell, f"Chuyển {proposal.addressed_unit.name}")


def answer(actor, proposal: Proposal, text: str, answered_on: date) -> None:
    if proposal.status not in (ProposalStatus.received, ProposalStatus.forwarded):
        raise RuleError("Kiến nghị đã được trả lời.")
    text = clean_text(text, required="Ghi nội dung trả lời.", limit=PROPOSAL_TEXT_LIMIT)
    proposal.status = ProposalStatus.answered.value
    proposal.answer, proposal.answered_on = text, answered_on
    proposal.answered_by_id = getattr(actor, "id", None)
    record(actor, "proposal.answer", proposal, proposal.cell, f"{proposal.addressed_unit.name} trả lời")


def report_back(actor, proposal: Proposal, meeting: Meeting) -> None:
    if proposal.status != ProposalStatus.answered:
        raise RuleError("Chỉ thông báo lại kiến nghị đã có trả lời.")
    if meeting.cell_id != proposal.cell_id:
        raise RuleError("Cuộc họp không thuộc chi bộ này.")
    proposal.status = ProposalStatus.reported.value
    proposal.reported_meeting_id = meeting.id
    record(actor, "proposal.report", proposal, proposal.cell, f"Thông báo tại cuộc họp ngày {meeting.on:%d/%m/%Y}")


def answered_to_report(cell_id: int) -> list[Proposal]:
    """Answers the cell has not heard yet: the next meeting's review item lists them."""
    return list(
        db.session.scalars(
            select(Proposal)
            .where(
                Proposal.cell_id == cell_id,
                Proposal.status == ProposalStatus.answered.value,
                Proposal.is_deleted.is_(False),
            )
            .order_by(Proposal.answered_on)
        )
    )


def raised_at(meeting: Meeting) -> list[Proposal]:
    """The proposals raised at a meeting, for its page."""
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.meeting_id == meeting.id, Proposal.is_deleted.is_(False))
            .order_by(Proposal.id)
        )
    )


def levels_above(cell: OrgUnit) -> list[OrgUnit]:
    """The committees a cell's proposal may be addressed to, nearest first."""
    return list(
        db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(cell.ancestor_ids)).order_by(OrgUnit.path.desc()))
    )
