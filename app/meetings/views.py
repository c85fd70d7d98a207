"""Meeting pages: a cell's year, the commune calendar, one meeting with its agenda,
documents and notifications, and the commune's agenda templates."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, request, send_file, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from app.criticism import services as criticism
from app.extensions import db
from app.meetings import documents as docs
from app.meetings import queries, services
from app.meetings.forms import (
    AgendaItemForm,
    AvailabilityForm,
    CancelForm,
    DocumentForm,
    HeldForm,
    MeetingForm,
    NotificationForm,
    PlanYearForm,
    PostponeForm,
    ScheduleTopicForm,
    TemplateForm,
    TopicForm,
    parse_template_lines,
)
from app.meetings.models import AgendaItem, Document, Meeting, MeetingKind, ThematicTopic
from app.meetings.standard_agenda import STANDARD_AGENDA
from app.org.access import Permission, can
from app.org.models import OrgUnit
from app.org.queries import breadcrumbs
from app.proposals import services as proposals
from app.proposals.services import answered_to_report
from app.self_examination.services import SESSION_KINDS
from app.self_examination.services import examination_of as self_examination_of
from app.supervision import queries as delegate_queries
from app.web.authz import Cell, loads
from app.web.forms import FAILED, adjacent_months, attempt, form_status, month_arg, stale_record
from app.web.htmx import render, wants_fragment

bp = Blueprint("meetings", __name__)

NO_MEMBER = [(None, "— Không chọn —")]


def _year_arg() -> int:
    try:
        return max(2000, min(2100, int(request.args.get("year", date.today().year))))
    except ValueError:
        return date.today().year


# A cell's year -------------------------------------------------------------


@bp.get("/cells/<int:cell_id>/meetings")
@loads(Cell, Permission.view_meetings)
def index(cell):
    year = _year_arg()
    topic_list = queries.topics(cell, year)
    topic_form = TopicForm()
    topic_form.drafter_id.choices = NO_MEMBER + queries.member_choices(cell, date.today())
    return render(
        "meetings/index.html",
        cell=cell,
        year=year,
        years=queries.meeting_years(cell),
        rows=queries.year_list(cell, year),
        topics=topic_list,
        missing_quarters=queries.quarters_without_topic(topic_list),
        plan_form=PlanYearForm(year=year),
        topic_form=topic_form,
        fixed_day=services.fixed_day(cell),
        crumbs=breadcrumbs(cell) + [cell],
    )


@bp.post("/cells/<int:cell_id>/meetings/plan")
@loads(Cell, Permission.run_meetings)
def plan(cell):
    form = PlanYearForm()
    if not form.validate_on_submit():
        flash("Năm không hợp lệ.", "error")
        return redirect(url_for("meetings.index", cell_id=cell.id), 303)
    year = form.year.data
    created = attempt(
        lambda: services.plan_year(current_user, cell, year, form.planned_time.data, form.place.data or None)
    )
    if created is not FAILED:
        flash(
            f"Đã lập kế hoạch năm {year}: thêm {created} buổi sinh hoạt thường kỳ."
            if created
            else f"Năm {year} đã đủ 12 buổi sinh hoạt thường kỳ; không thêm buổi nào.",
            "success",
        )
    return redirect(url_for("meetings.index", cell_id=cell.id, year=year), 303)


@bp.post("/cells/<int:cell_id>/topics")
@loads(Cell, Permission.run_meetings)
def add_topic(cell):
    year = _year_arg()
    form = TopicForm()
    form.drafter_id.choices = NO_MEMBER + queries.member_choices(cell, date.today())
    if form.validate_on_submit():
        if (
            attempt(
                lambda: services.add_topic(
                    current_user, cell, year, form.planned_month.data, form.title.data, form.drafter_id.data
                )
            )
            is not FAILED
        ):
            flash("Đã thêm chuyên đề vào kế hoạch.", "success")
    else:
        flash("Vui lòng nhập tên chuyên đề.", "error")
    return redirect(url_for("meetings.index", cell_id=cell.id, year=year) + "#topics", 303)


@bp.route("/topics/<int:topic_id>/schedule", methods=["GET", "POST"])
@loads(ThematicTopic, Permission.run_meetings)
def schedule_topic(topic, cell):
    form = ScheduleTopicForm()
    if form.validate_on_submit():
        meeting = attempt(
            lambda: services.schedule_topic(current_user, topic, cell, form.mode.data == "combined", form.on.data), form
        )
        if meeting is not FAILED:
            flash("Đã đưa chuyên đề vào lịch sinh hoạt.", "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id), 303)
    return render(
        "meetings/schedule_topic.html",
        form=form,
        topic=topic,
        cell=cell,
        crumbs=breadcrumbs(cell) + [cell],
        status=form_status(),
    )


@bp.post("/topics/<int:topic_id>/delete")
@loads(ThematicTopic, Permission.run_meetings)
def delete_topic(topic, cell):
    if attempt(lambda: services.remove_topic(current_user, topic, cell)) is not FAILED:
        flash("Đã bỏ chuyên đề khỏi kế hoạch.", "success")
    return redirect(url_for("meetings.index", cell_id=cell.id, year=topic.year) + "#topics", 303)


@bp.get("/units/<int:unit_id>/calendar")
@loads(OrgUnit, Permission.view)
def calendar(unit):
    today = date.today()
    year, month = month_arg()
    weeks = queries.month_calendar(current_user, unit, year, month)
    previous, following = adjacent_months(year, month)
    return render(
        "meetings/calendar.html",
        unit=unit,
        year=year,
        month=month,
        weeks=weeks,
        has_meetings=any(day.meetings for week in weeks for day in week),
        previous=previous,
        following=following,
        today=today,
        crumbs=breadcrumbs(unit) + [unit],
    )


# One meeting ---------------------------------------------------------------


def _meeting_form(cell, meeting=None) -> MeetingForm:
    form = MeetingForm(obj=meeting)
    if meeting is None:
        del form.version  # a new meeting has none
    if not can(current_user, Permission.confirm_extraordinary, cell):
        del form.confirm_extraordinary  # only an office confirms; a posted value is ignored
    options = queries.preparable_meetings(cell, meeting.planned_on if meeting else date.today())
    form.prepares_id.choices = [(None, "— Không —")] + [
        (m.id, f"{m.kind_label} {m.planned_on:%d/%m/%Y}") for m in options
    ]
    return form


def _confirmed(form: MeetingForm) -> bool:
    return bool(form.confirm_extraordinary and form.confirm_extraordinary.data)


@bp.route("/cells/<int:cell_id>/meetings/new", methods=["GET", "POST"])
@loads(Cell, Permission.run_meetings)
def new(cell):
    form = _meeting_form(cell)
    if request.method == "GET":
        form.kind.data = request.args.get("kind", MeetingKind.regular.value)
        form.prepares_id.data = request.args.get("prepares", type=int)
    if form.validate_on_submit():
        prepares = db.session.get(Meeting, form.prepares_id.data) if form.prepares_id.data else None
        meeting = attempt(
            lambda: services.schedule_meeting(
                current_user,
                cell,
                kind=form.kind.data,
                planned_on=form.planned_on.data,
                planned_time=form.planned_time.data,
                place=form.place.data or None,
                topic=form.topic.data,
                prepares=prepares,
                confirmed_extraordinary=_confirmed(form),
            ),
            form,
        )
        if meeting is not FAILED:
            flash("Đã lập lịch cuộc họp; chương trình theo thứ tự chuẩn đã được tạo sẵn.", "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id), 303)
    return render(
        "meetings/form.html",
        form=form,
        cell=cell,
        meeting=None,
        crumbs=breadcrumbs(cell) + [cell],
        status=form_status(),
    )


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@loads(Meeting, Permission.run_meetings)
def edit(meeting):
    form = _meeting_form(meeting.cell, meeting)
    if request.method == "GET":
        form.version.data = meeting.version
    conflict = None
    if form.validate_on_submit():
        prepares = db.session.get(Meeting, form.prepares_id.data) if form.prepares_id.data else None
        if prepares is not None and prepares.cell_id != meeting.cell_id:
            abort(404)
        done = attempt(
            lambda: services.update_meeting(
                current_user,
                meeting,
                version=form.version.data,
                kind=form.kind.data,
                planned_on=form.planned_on.data,
                planned_time=form.planned_time.data,
                place=form.place.data or None,
                topic=(form.topic.data or "").strip() or None,
                prepares_id=prepares.id if prepares and form.kind.data == MeetingKind.committee else None,
                confirmed_extraordinary=_confirmed(form),
            ),
            form,
        )
        if done is not FAILED:
            flash("Đã lưu thông tin cuộc họp.", "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id), 303)
        conflict = stale_record(form, meeting)
    return render(
        "meetings/form.html",
        form=form,
        cell=meeting.cell,
        meeting=meeting,
        conflict=conflict,
        crumbs=breadcrumbs(meeting.cell) + [meeting.cell],
        status=form_status(),
    )


def _agenda_context(meeting: Meeting, form: AgendaItemForm | None = None) -> dict:
    may_run = (
        can(current_user, Permission.run_meetings, meeting.cell)
        and meeting.is_changeable
    )
    if form is None:
        form = AgendaItemForm(formdata=None)
    # The presenter picker is only drawn for those who may change the agenda.
    form.presenter_id.choices = NO_MEMBER + (queries.member_choices(meeting.cell, meeting.on) if may_run else [])
    items = meeting.agenda_items
    has_review = any(i.is_review for i in items)
    return {
        "meeting": meeting,
        "items": items,
        "agenda_form": form,
        "total_minutes": sum(i.planned_minutes for i in items),
        "open_tasks": queries.open_tasks_before(meeting) if has_review else [],
        # to report back at a meeting still open
        "answered_proposals": answered_to_report(meeting.cell_id) if may_run and has_review else [],
        # Names and dates only: the texts open from the notes section, with a POST.
        "review_commitments": criticism.commitments_to_review(meeting, with_reviews=False) if has_review else [],
        "may_run": may_run,
    }


@bp.get("/meetings/<int:meeting_id>")
# The commune and the preparing committee meetings come with the meeting itself.
@loads(Meeting, Permission.view_meetings, options=queries.WITH_COMMUNE + (joinedload(Meeting.prepared_by),))
def show(meeting):
    return _meeting_page(meeting)


def _meeting_page(
    meeting: Meeting, notification_form: NotificationForm | None = None, availability: AvailabilityForm | None = None
):
    """The meeting's page; a refused notification or availability form comes back on it
    (422) as typed, `availability.document_id` naming its document."""
    document_form = DocumentForm(formdata=None)
    items = meeting.agenda_items
    document_form.agenda_item_id.choices = [(None, "Cả cuộc họp")] + [
        (i.id, f"{i.position}. {i.title[:60]}") for i in items
    ]
    upcoming = meeting.status in ("planned", "prepared")
    agenda = _agenda_context(meeting)
    may_run_here = agenda["may_run"]  # proposals are raised while the meeting is open
    return render(
        "meetings/show.html",
        **agenda,
        documents=queries.documents(meeting),
        notifications=queries.notifications(meeting),
        committee_meetings=[m for m in meeting.prepared_by if m.status != "cancelled"]
        if upcoming and meeting.kind != MeetingKind.committee
        else [],
        minutes=queries.minutes_of(meeting) if meeting.is_held else None,  # only a held meeting has minutes
        document_form=document_form,
        notification_form=notification_form or NotificationForm(formdata=None),
        availability=availability,
        is_late=docs.is_late,
        download_name=docs.download_name,
        delegates=delegate_queries.delegates(meeting),
        may_attend=can(current_user, Permission.attend, meeting.cell),
        note_counts=criticism.note_counts(meeting),
        proposals=proposals.raised_at(meeting),
        proposal_levels=proposals.levels_above(meeting.cell) if may_run_here else [],
        # The roster the agenda's presenter picker has loaded already.
        proposal_members=[c for c in agenda["agenda_form"].presenter_id.choices if c[0]] if may_run_here else [],
        self_examination=self_examination_of(meeting) if meeting.kind in SESSION_KINDS else None,
        session_kinds=SESSION_KINDS,
        crumbs=queries.meeting_crumbs(meeting),
        status=form_status() if notification_form or availability else 200,
    )


def _back(meeting: Meeting, anchor: str = ""):
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + anchor, 303)


@bp.post("/meetings/<int:meeting_id>/prepared")
@loads(Meeting, Permission.run_meetings)
def mark_prepared(meeting):
    if attempt(lambda: services.mark_prepared(current_user, meeting)) is not FAILED:
        flash("Đã đánh dấu cuộc họp đã chuẩn bị xong.", "success")
    return _back(meeting)


def _status_form_page(meeting, form, action, success):
    if form.validate_on_submit():
        result = attempt(lambda: action(form), form)
        if result is not FAILED:
            flash(success, "success")
            return _back(meeting)
    return render(
        "meetings/status_form.html",
        form=form,
        meeting=meeting,
        crumbs=breadcrumbs(meeting.cell) + [meeting.cell],
        status=form_status(),
    )


@bp.route("/meetings/<int:meeting_id>/held", methods=["GET", "POST"])
@loads(Meeting, Permission.run_meetings)
def mark_held(meeting):
    form = HeldForm(held_on=min(meeting.planned_on, date.today()), started_at=meeting.planned_time)
    return _status_form_page(
        meeting,
        form,
        lambda f: services.mark_held(current_user, meeting, f.held_on.data, f.started_at.data),
        "Đã ghi nhận cuộc họp đã diễn ra. Hãy điểm danh và lập biên bản.",
    )


@bp.route("/meetings/<int:meeting_id>/postpone", methods=["GET", "POST"])
@loads(Meeting, Permission.run_meetings)
def postpone(meeting):
    form = PostponeForm()
    return _status_form_page(
        meeting,
        form,
        lambda f: services.postpone(current_user, meeting, f.new_on.data, f.reason.data),
        "Đã hoãn cuộc họp và lập lịch ngày họp mới.",
    )


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@loads(Meeting, Permission.run_meetings)
def cancel(meeting):
    form = CancelForm()
    return _status_form_page(
        meeting,
        form,
        lambda f: services.cancel(current_user, meeting, f.reason.data),
        "Đã hủy cuộc họp.",
    )


# Agenda (in place with htmx; plain forms without JavaScript) --------------


def _agenda_response(meeting: Meeting, form: AgendaItemForm | None = None, status: int = 200):
    if wants_fragment():
        return render("meetings/show.html", block="agenda", status=status, **_agenda_context(meeting, form))
    return _back(meeting, "#agenda")


@bp.post("/meetings/<int:meeting_id>/agenda")
@loads(Meeting, Permission.run_meetings)
def add_agenda_item(meeting):
    form = AgendaItemForm()
    del form.version  # a new item has none
    form.presenter_id.choices = NO_MEMBER + queries.member_choices(meeting.cell, meeting.on)
    if form.validate_on_submit():
        result = attempt(
            lambda: services.add_agenda_item(
                current_user,
                meeting,
                form.title.data,
                form.planned_minutes.data,
                form.presenter_id.data,
                form.presenter_name.data,
            ),
            form,
        )
        if result is not FAILED:
            return _agenda_response(meeting)
    if not wants_fragment():
        flash(
            "Chưa thêm được nội dung: " + "; ".join(form.form_errors or [e for es in form.errors.values() for e in es]),
            "error",
        )
    return _agenda_response(meeting, form, 422)


@bp.route("/agenda-items/<int:item_id>/edit", methods=["GET", "POST"])
@loads(AgendaItem, Permission.run_meetings)
def edit_agenda_item(item, meeting):
    form = AgendaItemForm(obj=item)
    form.presenter_id.choices = NO_MEMBER + queries.member_choices(meeting.cell, meeting.on)
    if form.validate_on_submit():
        result = attempt(
            lambda: services.update_agenda_item(
                current_user,
                item,
                version=form.version.data,
                title=form.title.data.strip(),
                planned_minutes=form.planned_minutes.data,
                presenter_id=form.presenter_id.data,
                presenter_name=(form.presenter_name.data or "").strip() or None,
            ),
            form,
        )
        if result is not FAILED:
            return _agenda_response(meeting)
    body, status = render(
        "meetings/agenda_item.html",
        block="item_form",
        form=form,
        item=item,
        conflict=stale_record(form, item),
        meeting=meeting,
        crumbs=breadcrumbs(meeting.cell) + [meeting.cell],
        status=form_status(),
    )
    # The form posts to replace the whole agenda; its errors go back into the item's row.
    retarget = {"HX-Retarget": f"#agenda-item-{item.id}", "HX-Reswap": "innerHTML"} if wants_fragment() else {}
    return body, status, retarget


@bp.post("/agenda-items/<int:item_id>/move")
@loads(AgendaItem, Permission.run_meetings)
def move_agenda_item(item, meeting):
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    attempt(lambda: services.move_agenda_item(current_user, item, direction))
    return _agenda_response(meeting)


@bp.post("/agenda-items/<int:item_id>/delete")
@loads(AgendaItem, Permission.run_meetings)
def delete_agenda_item(item, meeting):
    attempt(lambda: services.remove_agenda_item(current_user, item))
    return _agenda_response(meeting)


@bp.route("/units/<int:unit_id>/agenda-templates", methods=["GET", "POST"])
@loads(OrgUnit, Permission.manage_templates)
def templates(unit):
    if unit.is_cell:
        abort(404)
    form = TemplateForm()
    kind = request.values.get("kind", MeetingKind.regular.value)
    if kind not in set(MeetingKind):
        abort(404)
    if form.validate_on_submit():
        items, errors = (
            ([(t, m, r) for t, m, r in STANDARD_AGENDA[MeetingKind(kind)]], [])
            if form.reset.data
            else parse_template_lines(form.lines.data)
        )
        form.lines.errors = list(form.lines.errors) + errors
        if (
            not errors
            and attempt(lambda: services.save_agenda_template(current_user, unit, kind, items), form) is not FAILED
        ):
            flash(f"Đã lưu chương trình mẫu cho {MeetingKind(kind).label.lower()}.", "success")
            return redirect(url_for("meetings.templates", unit_id=unit.id, kind=kind), 303)
    elif request.method == "GET":
        form.kind.data = kind
        current = services.agenda_template(unit, kind)
        form.lines.data = "\n".join(f"{'* ' if r else ''}{t} | {m}" for t, m, r in current)
    return render(
        "meetings/templates.html",
        form=form,
        unit=unit,
        kind=kind,
        kinds=list(MeetingKind),
        crumbs=breadcrumbs(unit) + [unit],
        status=form_status(),
    )


# Documents and notifications ----------------------------------------------


@bp.post("/meetings/<int:meeting_id>/documents")
@loads(Meeting, Permission.run_meetings)
def upload_document(meeting):
    form = DocumentForm()
    form.agenda_item_id.choices = [(None, "")] + [(i.id, "") for i in meeting.agenda_items]
    if form.validate_on_submit():
        item = next((i for i in meeting.agenda_items if i.id == form.agenda_item_id.data), None)
        upload = request.files.get("file")
        if upload is None:
            flash("Chưa chọn tệp.", "error")
        elif attempt(lambda: docs.store_document(current_user, meeting, upload, form.title.data, item)) is not FAILED:
            flash("Đã tải lên tài liệu.", "success")
    return _back(meeting, "#documents")


@bp.get("/documents/<int:document_id>")
@loads(Document, Permission.view_meetings)
def download_document(document):
    # The type detected on upload, never the uploader's name or word for it.
    response = send_file(docs.stored_path(document), mimetype=docs.MEDIA_TYPES[document.kind], conditional=True)
    response.headers["Content-Disposition"] = docs.attachment(docs.download_name(document.title, document.kind))
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@bp.post("/documents/<int:document_id>/availability")
@loads(Document, Permission.run_meetings)
def document_availability(document, meeting):
    form = AvailabilityForm()
    form.document_id = document.id
    if form.validate_on_submit() and (
        attempt(
            lambda: docs.update_availability(
                current_user, document, meeting, form.available_at.data, form.posted_on_app_at.data
            ),
            form,
        )
        is not FAILED
    ):
        if docs.is_late(form.posted_on_app_at.data or form.available_at.data, meeting):
            flash("Lưu ý: tài liệu được gửi/đăng chưa đủ 1 ngày trước cuộc họp.", "warning")
        else:
            flash("Đã lưu thời điểm gửi tài liệu.", "success")
        return _back(meeting, "#documents")
    return _meeting_page(meeting, availability=form)


@bp.post("/documents/<int:document_id>/delete")
@loads(Document, Permission.run_meetings)
def delete_document(document, meeting):
    if attempt(lambda: docs.remove_document(current_user, document, meeting)) is not FAILED:
        flash("Đã gỡ tài liệu khỏi cuộc họp.", "success")
    return _back(meeting, "#documents")


@bp.post("/meetings/<int:meeting_id>/notifications")
@loads(Meeting, Permission.run_meetings)
def notify(meeting):
    form = NotificationForm()
    if form.validate_on_submit() and (
        attempt(
            lambda: services.record_notification(
                current_user, meeting, form.audience.data, form.notified_at.data, form.method.data
            ),
            form,
        )
        is not FAILED
    ):
        flash("Đã ghi nhận việc thông báo.", "success")
        return _back(meeting, "#notifications")
    return _meeting_page(meeting, notification_form=form)
