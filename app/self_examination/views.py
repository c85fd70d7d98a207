"""“Tự soi, tự sửa” sessions: the overview, each member's self-review, the cell's
assessments, printing, and the reference list of the 27 signs. Texts open by POST
(app/web/private.py)."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.criticism.reading import commit_reads, open_one, open_texts
from app.criticism.services import may_change
from app.extensions import db
from app.meetings import queries as meeting_queries
from app.meetings.models import Meeting
from app.org.access import Permission, can, can_read_notes, may_edit_reference_data
from app.org.history import unit_as_of
from app.org.models import Member
from app.printing.pdf import private_print
from app.self_examination import services
from app.self_examination.models import SIGN_GROUPS, DegradationSign, SelfExamination
from app.web.authz import loads, signed_in
from app.web.forms import FAILED, attempt, attempt_edit
from app.web.private import private_render, refused_form

bp = Blueprint("self_examination", __name__)


def _roster_member(meeting: Meeting, member_id: int) -> Member:
    if member_id not in dict(meeting_queries.member_choices(meeting.cell, meeting.on)):
        abort(404)
    return db.session.get(Member, member_id)


@bp.post("/meetings/<int:meeting_id>/self-examination/start")
@loads(Meeting, Permission.record_notes, options=meeting_queries.WITH_COMMUNE)
def start(meeting):
    attempt(lambda: services.start(current_user, meeting))
    return redirect(url_for("self_examination.gate", meeting_id=meeting.id), 303)


@bp.get("/meetings/<int:meeting_id>/self-examination")
@loads(Meeting, Permission.view_meetings, options=meeting_queries.WITH_COMMUNE)
def gate(meeting):
    examination = services.examination_of(meeting) or abort(404)
    written = sum(1 for r in services.reviews_of(examination).values() if r.is_written)
    roster = meeting_queries.member_choices(meeting.cell, meeting.on)
    return render_template(
        "private/gate.html",
        title=f"Tự soi, tự sửa · {meeting.kind_label} {meeting.on:%d/%m/%Y}",
        kicker=meeting.cell.name,
        facts=[f"{written}/{len(roster)} đảng viên đã có bản tự kiểm điểm."],
        may_open=can_read_notes(current_user, meeting),
        action=url_for("self_examination.overview", meeting_id=meeting.id),
        back_url=url_for("meetings.show", meeting_id=meeting.id),
        crumbs=meeting_queries.meeting_crumbs(meeting),
    )


def _opened(meeting: Meeting, examination: SelfExamination, what: str):
    """The session and its reviews, opened (app/criticism/reading.py) and the read committed."""
    opened = open_one(current_user, what, examination, opened=meeting)
    reviews = {r.member_id: r for r in open_texts(current_user, what, services.reviews_of(examination).values())}
    commit_reads()
    return opened, reviews


def _overview(meeting: Meeting, examination: SelfExamination, *, notice="", compare=False):
    roster = meeting_queries.member_choices(meeting.cell, meeting.on)
    opened, reviews = _opened(meeting, examination, "phiên tự soi, tự sửa")
    return private_render(
        "self_examination/overview.html",
        meeting=meeting,
        examination=opened,
        roster=roster,
        reviews=reviews,
        may_record=can(current_user, Permission.record_notes, meeting.cell) and may_change(meeting),
        notice=notice,
        stale=opened if compare else None,
        crumbs=meeting_queries.meeting_crumbs(meeting),
    )


@bp.post("/meetings/<int:meeting_id>/self-examination")
@loads(Meeting, Permission.read_notes, options=meeting_queries.WITH_COMMUNE)
def overview(meeting):
    """The session opened; `compare` (after a stale save) puts what the user had typed
    in the form, beside the saved assessment."""
    examination = services.examination_of(meeting) or abort(404)
    return _overview(meeting, examination, compare="compare" in request.form)


def _refused(meeting: Meeting, fields: dict[str, str], compare_url: str):
    """A refused save answers with what the user typed and the message, no saved text."""

    def refused(error, stale, status):
        return refused_form(error, status, fields, compare_url if status == 409 else None, meeting.cell.name)

    return refused


@bp.post("/self-examinations/<int:examination_id>/assessment")
@loads(SelfExamination, Permission.record_notes, options=meeting_queries.WITH_COMMUNE)
def assess(examination, meeting):
    head_id = request.form.get("head_member_id", type=int)
    head = _roster_member(meeting, head_id) if head_id else None
    return attempt_edit(
        lambda: services.save_assessment(
            current_user,
            examination,
            version=request.form.get("version", type=int) or 0,
            collective=request.form.get("collective_assessment"),
            head_member=head,
            head=request.form.get("head_assessment"),
        ),
        lambda: _overview(meeting, examination, notice="Đã lưu đánh giá."),
        _refused(
            meeting,
            {"collective_assessment": "Đánh giá tập thể chi bộ (chi ủy)", "head_assessment": "Đánh giá người đứng đầu"},
            url_for("self_examination.overview", meeting_id=meeting.id),
        ),
    )


def _review_context(meeting: Meeting, examination: SelfExamination, member: Member, what: str) -> dict:
    """One member's self-review, opened, with the checklist, for the page and the print."""
    review = services.reviews_of(examination).get(member.id)
    opened = open_one(current_user, what, review, opened=meeting)
    commit_reads()
    return {
        "examination": examination,
        "member": member,
        "review": opened,
        "checked": {s.id for s in review.signs} if review else set(),
        "signs": services.active_signs(),
        "groups": SIGN_GROUPS,
    }


def _member_page(meeting, examination, member, *, notice="", mine=None):
    return private_render(
        "self_examination/member.html",
        meeting=meeting,
        **_review_context(meeting, examination, member, f"bản tự kiểm điểm của {member.full_name}"),
        may_record=can(current_user, Permission.record_notes, meeting.cell) and may_change(meeting),
        notice=notice,
        mine=mine,
        crumbs=meeting_queries.meeting_crumbs(meeting),
    )


@bp.post("/self-examinations/<int:examination_id>/members/<int:member_id>")
@loads(SelfExamination, Permission.read_notes, options=meeting_queries.WITH_COMMUNE)
def member(examination, meeting, member_id: int):
    person = _roster_member(meeting, member_id)
    return _member_page(meeting, examination, person, mine=request.form if "compare" in request.form else None)


@bp.post("/self-examinations/<int:examination_id>/members/<int:member_id>/save")
@loads(SelfExamination, Permission.record_notes, options=meeting_queries.WITH_COMMUNE)
def save_member(examination, meeting, member_id: int):
    person = _roster_member(meeting, member_id)
    return attempt_edit(
        lambda: services.save_review(
            current_user,
            examination,
            person,
            version=request.form.get("version", type=int) or 0,
            self_text=request.form.get("self_text"),
            cell_assessment=request.form.get("cell_assessment"),
            correction_plan=request.form.get("correction_plan"),
            sign_ids=request.form.getlist("sign", type=int),
        ),
        lambda: _member_page(meeting, examination, person, notice="Đã lưu bản tự kiểm điểm."),
        _refused(
            meeting,
            {
                "self_text": "Bản tự kiểm điểm",
                "cell_assessment": "Chi bộ đánh giá, góp ý",
                "correction_plan": "Kế hoạch sửa chữa, khắc phục",
            },
            url_for("self_examination.member", examination_id=examination.id, member_id=person.id),
        ),
    )


def _print_context(meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        "cell": unit_as_of(meeting.cell, meeting.on),
        "back_url": url_for("self_examination.gate", meeting_id=meeting.id),
    }


@bp.post("/self-examinations/<int:examination_id>/print")
@loads(SelfExamination, Permission.read_notes, options=meeting_queries.WITH_COMMUNE)
def print_summary(examination, meeting):
    opened, reviews = _opened(meeting, examination, "bản in tổng hợp tự soi, tự sửa")
    return private_print(
        "self_examination/print_summary.html",
        f"tong-hop-tu-soi-tu-sua-{meeting.on:%Y%m%d}-{meeting.id}.pdf",
        examination=opened,
        roster=meeting_queries.member_choices(meeting.cell, meeting.on),
        reviews=reviews,
        **_print_context(meeting),
    )


@bp.post("/self-examinations/<int:examination_id>/members/<int:member_id>/print")
@loads(SelfExamination, Permission.read_notes, options=meeting_queries.WITH_COMMUNE)
def print_member(examination, meeting, member_id: int):
    person = _roster_member(meeting, member_id)
    return private_print(
        "self_examination/print_member.html",
        f"tu-kiem-diem-{meeting.on:%Y%m%d}-{meeting.id}-{person.id}.pdf",
        **_review_context(meeting, examination, person, f"bản in tự kiểm điểm của {person.full_name}"),
        **_print_context(meeting),
    )


@bp.route("/reference/degradation-signs", methods=["GET", "POST"])
@signed_in(post=Permission.edit_reference_data)
def signs():
    """The 27 signs, as reference data an administrator corrects; everyone signed in reads them."""
    may_edit = may_edit_reference_data(current_user)
    if request.method == "POST":
        if not may_edit:
            abort(403)
        sign = db.session.get(DegradationSign, request.form.get("sign_id", type=int) or 0) or abort(404)
        if (
            attempt(
                lambda: services.save_sign(current_user, sign, request.form.get("text", ""), "active" in request.form)
            )
            is not FAILED
        ):
            return redirect(url_for("self_examination.signs") + f"#sign-{sign.id}", 303)
    all_signs = db.session.scalars(select(DegradationSign).order_by(DegradationSign.group, DegradationSign.number))
    return render_template("self_examination/signs.html", signs=list(all_signs), groups=SIGN_GROUPS, may_edit=may_edit)
