"""The minutes editor, speakers, tasks, adoption, errata, reopening and history."""

import difflib
from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.attendance.services import tally
from app.auth.models import User
from app.extensions import db
from app.meetings import queries as meeting_queries
from app.meetings.models import Meeting
from app.minutes import services
from app.minutes.forms import MinutesForm, ReasonForm, SpeakerForm, TaskForm
from app.minutes.models import Minutes, MinutesItem, MinutesRevision, Speaker, Task
from app.minutes.record import minutes_record
from app.minutes.text import minutes_text
from app.org.access import Permission, can
from app.org.models import Member
from app.org.queries import breadcrumbs
from app.records import services as records
from app.records.models import DocumentKind
from app.web.authz import loads
from app.web.forms import FAILED, attempt, attempt_edit, form_status
from app.web.htmx import render, wants_fragment

bp = Blueprint("minutes", __name__)

NO_MEMBER = [(None, "— Chọn —")]


def _editor(meeting, minutes, form=None, conflict_text=None, item_values=None, status=200, task_form=None):
    # What the print shows, read through the same builder (app/minutes/record.py).
    record = minutes_record(meeting, minutes)
    sheet = record.rows
    members = [(row.member.id, row.member.full_name) for row in sheet]
    if form is None:
        form = MinutesForm(formdata=None, obj=minutes)
        for name in ("held_on", "started_at", "ended_at", "place", "chair_id", "minute_taker_id"):
            getattr(form, name).data = getattr(meeting, name)
        form.held_on.data = meeting.on
        form.version.data = minutes.version
    # Chair and minute taker sign the minutes: only members not marked absent are offered.
    signers = [(row.member.id, row.member.full_name) for row in sheet if row.record is None or row.record.is_present]
    form.chair_id.choices = NO_MEMBER + signers
    form.minute_taker_id.choices = NO_MEMBER + signers
    speaker_form = SpeakerForm(formdata=None)
    speaker_form.member_id.choices = NO_MEMBER + members
    task_form = task_form or TaskForm(formdata=None)
    task_form.assignee_id.choices = NO_MEMBER + members
    sheet_tally = tally(sheet)
    return render(
        "minutes/edit.html",
        meeting=meeting,
        minutes=minutes,
        form=form,
        speaker_form=speaker_form,
        member_choices=members,
        task_form=task_form,
        tasks=record.tasks,
        tally=sheet_tally,
        record=record,
        vote=_vote(minutes, sheet_tally),
        missing=services.missing_for_adoption(minutes, meeting, sheet_tally) if not minutes.is_adopted else [],
        item_values=item_values
        or {i.id: {"content": i.content or "", "conclusion": i.conclusion or ""} for i in minutes.items},
        conflict_text=conflict_text,
        may_edit=can(current_user, Permission.run_meetings, meeting.cell) and not minutes.is_adopted,
        may_correct=can(current_user, Permission.run_meetings, meeting.cell) and minutes.is_adopted,
        may_reopen=can(current_user, Permission.reopen_minutes, meeting.cell) and minutes.is_adopted,
        seal=records.current_version(DocumentKind.minutes, minutes.id) if minutes.is_adopted else None,
        crumbs=meeting_queries.meeting_crumbs(meeting),
        status=status,
    )


def _vote(minutes, sheet_tally):
    if not minutes.has_vote:
        return None
    try:
        return services.check_vote(
            minutes.votes_for, minutes.votes_against, minutes.votes_other, sheet_tally.full_present
        )
    except services.RuleError:
        return None


@bp.get("/meetings/<int:meeting_id>/minutes")
@loads(Meeting, Permission.view_meetings, options=meeting_queries.WITH_COMMUNE)
def show(meeting):
    minutes = meeting_queries.minutes_of(meeting)
    if minutes is None:
        return render(
            "minutes/start.html",
            meeting=meeting,
            crumbs=breadcrumbs(meeting.cell) + [meeting.cell],
            may_open=can(current_user, Permission.run_meetings, meeting.cell) and meeting.status == "held",
        )
    return _editor(meeting, minutes)


@bp.post("/meetings/<int:meeting_id>/minutes")
@loads(Meeting, Permission.run_meetings)
def open_minutes(meeting):
    paper = request.form.get("paper_reference")
    if attempt(lambda: services.open_minutes(current_user, meeting, paper)) is not FAILED:
        flash("Đã mở biên bản từ chương trình và điểm danh của cuộc họp.", "success")
    return redirect(url_for("minutes.show", meeting_id=meeting.id), 303)


def _write_editor(minutes, meeting, then=None):
    """Save the editor's fields as posted, then run `then` (adoption) in the same
    transaction. None when written; else the editor again with the input and why
    (422, or 409 with the other version beside it when someone saved in between)."""
    form = MinutesForm()
    item_values = {
        i.id: {
            "content": request.form.get(f"item-{i.id}-content", ""),
            "conclusion": request.form.get(f"item-{i.id}-conclusion", ""),
        }
        for i in minutes.items
    }
    members = {mid for mid, _ in meeting_queries.member_choices(meeting.cell, meeting.on)}
    if form.validate_on_submit():
        for field in (form.chair_id, form.minute_taker_id):
            if field.data is not None and field.data not in members:
                field.errors.append("Chọn một đảng viên của chi bộ.")
    if form.errors:
        return _editor(meeting, minutes, form, None, item_values, 422)
    fields = {
        name: getattr(form, name).data
        for name in services.MEETING_FIELDS + services.MINUTES_FIELDS
        if name != "is_read_back"
    }
    for name in (
        "place",
        "delegates",
        "superior_remarks",
        "resolution",
        "proposals",
        "closing",
        "paper_reference",
    ):
        fields[name] = (fields[name] or "").strip() or None
    seen = form.version.data  # validated: the form's version is a number

    def write():
        services.save_minutes(current_user, minutes, meeting, seen, fields, item_values)
        if then is not None:
            then()

    def refused(error, stale, status):
        if stale is None:
            form.form_errors.append(error)
            return _editor(meeting, minutes, form, None, item_values, status)
        form.version.data = minutes.version
        flash(
            "Người khác vừa lưu biên bản này. Nội dung bạn nhập vẫn còn bên dưới; bản đã lưu của họ ở khung "
            "bên cạnh. Đối chiếu rồi bấm Lưu để ghi bản của bạn.",
            "warning",
        )
        return _editor(meeting, minutes, form, minutes_text(minutes, meeting), item_values, status)

    return attempt_edit(write, lambda: None, refused)


@bp.post("/minutes/<int:minutes_id>")
@loads(Minutes, Permission.run_meetings)
def save(minutes, meeting):
    refused = _write_editor(minutes, meeting)
    if refused is not None:
        return refused
    flash("Đã lưu biên bản.", "success")
    return redirect(url_for("minutes.show", meeting_id=meeting.id), 303)


def _speakers_response(item, meeting, form=None, status=200):
    if wants_fragment():
        members = meeting_queries.member_choices(meeting.cell, meeting.on)
        form = form or SpeakerForm(formdata=None)
        form.member_id.choices = NO_MEMBER + members
        return render(
            "minutes/_speakers.html",
            block="speakers",
            item=item,
            meeting=meeting,
            speaker_form=form,
            member_choices=members,
            may_edit=True,
            open_form=True,
            status=status,
        )
    return redirect(url_for("minutes.show", meeting_id=meeting.id) + f"#item-{item.id}", 303)


@bp.post("/minutes-items/<int:item_id>/speakers")
@loads(MinutesItem, Permission.run_meetings)
def add_speaker(item, minutes, meeting):
    form = SpeakerForm()
    members = dict(meeting_queries.member_choices(meeting.cell, meeting.on))
    form.member_id.choices = NO_MEMBER + list(members.items())
    if form.validate_on_submit():
        member = None
        if form.member_id.data is not None:
            if form.member_id.data not in members:
                abort(400)
            member = db.session.get(Member, form.member_id.data)
        if (
            attempt(
                lambda: services.add_speaker(current_user, item, meeting, member, form.name.data, form.said.data), form
            )
            is not FAILED
        ):
            return _speakers_response(item, meeting)
    if not wants_fragment():
        flash("Chưa thêm được ý kiến: ghi người phát biểu và nội dung.", "error")
    return _speakers_response(item, meeting, form, 422)


@bp.post("/speakers/<int:speaker_id>/delete")
@loads(Speaker, Permission.run_meetings)
def delete_speaker(speaker, item, minutes, meeting):
    attempt(lambda: services.remove_speaker(current_user, speaker, item, meeting))
    return _speakers_response(item, meeting)


@bp.post("/minutes/<int:minutes_id>/tasks")
@loads(Minutes, Permission.run_meetings)
def add_task(minutes, meeting):
    form = TaskForm()
    members = dict(meeting_queries.member_choices(meeting.cell, meeting.on))
    form.assignee_id.choices = NO_MEMBER + list(members.items())
    if form.validate_on_submit():
        assignee = db.session.get(Member, form.assignee_id.data) if form.assignee_id.data in members else None
        if (
            attempt(
                lambda: services.add_task(
                    current_user,
                    minutes,
                    meeting,
                    assignee,
                    form.assignee_name.data,
                    form.description.data,
                    form.due_on.data,
                ),
                form,
            )
            is not FAILED
        ):
            flash("Đã giao nhiệm vụ.", "success")
            return redirect(url_for("minutes.show", meeting_id=meeting.id) + "#tasks", 303)
    # The editor again, the task form with what was typed and its messages by the fields.
    return _editor(meeting, minutes, status=422, task_form=form)


@bp.post("/tasks/<int:task_id>/done")
@loads(Task, Permission.run_meetings)
def complete_task(task, meeting):
    if attempt(lambda: services.complete_task(current_user, task, meeting, date.today())) is not FAILED:
        flash(f"Đã ghi hoàn thành: {task.description[:80]}", "success")
    back = request.form.get("back", type=int)
    if back is not None and back > 0:
        return redirect(url_for("meetings.show", meeting_id=back) + "#agenda", 303)
    return redirect(url_for("minutes.show", meeting_id=meeting.id) + "#tasks", 303)


@bp.post("/minutes/<int:minutes_id>/adopt")
@loads(Minutes, Permission.run_meetings)
def adopt(minutes, meeting):
    """The adopt form brings the editor's fields along (hx-include): what was typed and
    not yet saved is saved first, compare-and-set on the version, then adopted; on any
    refusal nothing is written and the editor comes back with the text. Without them
    (no script) it adopts what is saved."""
    if "version" in request.form:
        refused = _write_editor(minutes, meeting, then=lambda: services.adopt(current_user, minutes, meeting))
        if refused is not None:
            return refused
        flash("Biên bản đã được thông qua và khóa.", "success")
    elif attempt(lambda: services.adopt(current_user, minutes, meeting)) is not FAILED:
        flash("Biên bản đã được thông qua và khóa.", "success")
    return redirect(url_for("minutes.show", meeting_id=meeting.id), 303)


def _reason_page(minutes, meeting, label, action, success):
    form = ReasonForm()
    form.text.label.text = label
    if form.validate_on_submit():
        if attempt(lambda: action(minutes, meeting, form.text.data), form) is not FAILED:
            flash(success, "success")
            return redirect(url_for("minutes.show", meeting_id=meeting.id), 303)
    return render(
        "minutes/reason.html",
        form=form,
        minutes=minutes,
        meeting=meeting,
        crumbs=breadcrumbs(meeting.cell) + [meeting.cell],
        status=form_status(),
    )


@bp.route("/minutes/<int:minutes_id>/erratum", methods=["GET", "POST"])
@loads(Minutes, Permission.run_meetings)
def erratum(minutes, meeting):
    return _reason_page(
        minutes,
        meeting,
        "Nội dung đính chính",
        lambda m, mt, text: services.add_erratum(current_user, m, mt, text),
        "Đã ghi đính chính; đính chính được in kèm biên bản.",
    )


@bp.route("/minutes/<int:minutes_id>/reopen", methods=["GET", "POST"])
@loads(Minutes, Permission.reopen_minutes)
def reopen(minutes, meeting):
    return _reason_page(
        minutes,
        meeting,
        "Lý do mở lại",
        lambda m, mt, text: services.reopen(current_user, m, mt, text),
        "Đã mở lại biên bản để sửa; việc mở lại đã được ghi nhật ký.",
    )


@bp.get("/minutes/<int:minutes_id>/history")
@loads(Minutes, Permission.view_meetings)
def history(minutes, meeting):
    rows = db.session.execute(
        select(MinutesRevision.id, MinutesRevision.created_at, MinutesRevision.note, User.full_name)
        .outerjoin(User, MinutesRevision.author_id == User.id)
        .where(MinutesRevision.minutes_id == minutes.id)
        .order_by(MinutesRevision.id.desc())
    ).all()
    ids = [r.id for r in rows]
    a = request.args.get("a", type=int) or (ids[1] if len(ids) > 1 else None)
    b = request.args.get("b", type=int) or (ids[0] if ids else None)
    diff = None
    if a in ids and b in ids:
        texts = dict(
            db.session.execute(
                select(MinutesRevision.id, MinutesRevision.text).where(MinutesRevision.id.in_([a, b]))
            ).all()
        )
        diff = [
            (line[:1], line[2:])
            for line in difflib.ndiff(texts[a].splitlines(), texts[b].splitlines())
            if not line.startswith("?")
        ]
    return render(
        "minutes/history.html",
        minutes=minutes,
        meeting=meeting,
        revisions=rows,
        a=a,
        b=b,
        diff=diff,
        crumbs=breadcrumbs(meeting.cell) + [meeting.cell],
    )
