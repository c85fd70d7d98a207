"""The month's resolution of a cell: draft from the meeting, edit, issue. Its print and
PDF are the printing package's ("resolution" there)."""

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user

from app.meetings import queries as meeting_queries
from app.meetings.models import Meeting
from app.org.access import Permission, can
from app.records import services as records
from app.records.models import DocumentKind
from app.resolutions import services
from app.resolutions.forms import ResolutionForm
from app.resolutions.models import Resolution
from app.web.authz import loads
from app.web.forms import FAILED, attempt, attempt_edit
from app.web.htmx import render

bp = Blueprint("resolutions", __name__, template_folder="templates")


def _page(meeting, resolution, form=None, stale=None, error=None, status=200):
    minutes = meeting_queries.minutes_of(meeting)
    may_edit = can(current_user, Permission.run_meetings, meeting.cell)
    if resolution is not None and form is None:
        form = ResolutionForm(formdata=None, obj=resolution)
        form.version.data = resolution.version
    return render(
        "resolutions/show.html",
        meeting=meeting,
        minutes=minutes,
        resolution=resolution,
        form=form,
        stale=stale,
        error=error,
        next_month_label=services.next_month_label(meeting),
        seal=records.current_version(DocumentKind.resolution, resolution.id)
        if resolution and resolution.is_issued
        else None,
        missing=services.missing_for_issue(resolution, minutes) if resolution and not resolution.is_issued else [],
        may_draft=may_edit and meeting.kind in services.MONTHLY_KINDS and minutes is not None,
        may_edit=may_edit and resolution is not None and not resolution.is_issued,
        crumbs=meeting_queries.meeting_crumbs(meeting),
        status=status,
    )


@bp.get("/meetings/<int:meeting_id>/resolution")
@loads(Meeting, Permission.view_meetings, options=meeting_queries.WITH_COMMUNE)
def show(meeting):
    return _page(meeting, services.resolution_of(meeting))


@bp.post("/meetings/<int:meeting_id>/resolution")
@loads(Meeting, Permission.run_meetings)
def create(meeting):
    if attempt(lambda: services.draft_resolution(current_user, meeting)) is not FAILED:
        flash("Đã lập dự thảo nghị quyết; nhiệm vụ được lấy từ phần phân công trong biên bản.", "success")
    return redirect(url_for("resolutions.show", meeting_id=meeting.id), 303)


@bp.post("/resolutions/<int:resolution_id>")
@loads(Resolution, Permission.run_meetings, options=meeting_queries.WITH_COMMUNE)
def update(resolution, meeting):
    form = ResolutionForm()
    if not form.validate_on_submit():
        return _page(meeting, resolution, form, status=422)
    seen = form.version.data  # validated: the form's version is a number

    def done():
        flash("Đã lưu dự thảo nghị quyết.", "success")
        return redirect(url_for("resolutions.show", meeting_id=meeting.id), 303)

    def refused(error, stale, status):
        if stale is not None:
            form.version.data = stale.version
        return _page(meeting, resolution if stale is None else stale, form, stale=stale, error=error, status=status)

    return attempt_edit(lambda: services.save_resolution(current_user, resolution, seen, form.data), done, refused)


@bp.post("/resolutions/<int:resolution_id>/issue")
@loads(Resolution, Permission.run_meetings, options=meeting_queries.WITH_COMMUNE)
def issue(resolution, meeting):
    if attempt(lambda: services.issue(current_user, resolution)) is not FAILED:
        flash(f"Đã ban hành Nghị quyết số {resolution.number}.", "success")
    return redirect(url_for("resolutions.show", meeting_id=meeting.id), 303)
