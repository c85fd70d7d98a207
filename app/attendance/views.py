"""Roll call: one click per member, everyone present, guests, and a live tally."""

from datetime import date, datetime

from flask import Blueprint, abort, flash, get_flashed_messages, redirect, request, url_for
from flask_login import current_user

from app.attendance import services
from app.attendance.forms import GuestForm
from app.attendance.models import AttendanceStatus, Guest
from app.meetings.models import Meeting
from app.org.access import Permission, can
from app.org.models import OrgUnit
from app.org.queries import breadcrumbs
from app.web.authz import loads
from app.web.forms import FAILED, attempt, form_status
from app.web.htmx import render, wants_fragment

bp = Blueprint("attendance", __name__)


def _context(
    meeting, error: str | None = None, error_member: int | None = None, guest_form: GuestForm | None = None
) -> dict:
    rows = services.attendance_sheet(meeting)
    return {
        "meeting": meeting,
        "rows": rows,
        "tally": services.tally(rows),
        "guests": services.guests(meeting),
        "guest_form": guest_form or GuestForm(formdata=None),
        "statuses": list(AttendanceStatus),
        "may_mark": can(current_user, Permission.run_meetings, meeting.cell)
        and meeting.is_changeable,
        "error": error,
        "error_member": error_member,
        "crumbs": breadcrumbs(meeting.cell) + [meeting.cell],
    }


@bp.get("/units/<int:unit_id>/absences")
@loads(OrgUnit, Permission.view)
def absences(unit):
    """A district's members at or near the removal limit, by commune."""
    if unit.kind != "district":
        abort(404)
    return render(
        "attendance/absences.html",
        unit=unit,
        communes=services.absence_by_commune(unit, date.today()),
        crumbs=breadcrumbs(unit) + [unit],
    )


@bp.get("/meetings/<int:meeting_id>/attendance")
@loads(Meeting, Permission.view_meetings)
def sheet(meeting):
    return render("attendance/sheet.html", **_context(meeting))


def _parse_time(text: str | None):
    try:
        return datetime.strptime(text.strip(), "%H:%M").time() if text and text.strip() else None
    except ValueError:
        return None


@bp.post("/meetings/<int:meeting_id>/attendance/<int:member_id>")
@loads(Meeting, Permission.run_meetings)
def mark(meeting, member_id: int):
    status = request.form.get("status", "")
    if status not in set(AttendanceStatus):
        abort(400)
    result = attempt(
        lambda: services.mark(
            current_user,
            meeting,
            member_id,
            status,
            _parse_time(request.form.get("at_time")),
            request.form.get("reason"),
        )
    )
    if wants_fragment():
        context = _context(meeting)
        if result is FAILED:
            # attempt() put the message in the flash queue; show it beside the row instead.
            # ... with the time and reason as typed.
            context.update(error=" ".join(get_flashed_messages()), error_member=member_id, posted=request.form)
        number, row = next(((n, r) for n, r in enumerate(context["rows"], 1) if r.member.id == member_id), (0, None))
        if row is None:
            abort(404)
        return render(
            "attendance/sheet.html",
            block="row_with_tally",
            row=row,
            row_number=number,
            oob=True,
            **context,
            status=422 if result is FAILED else 200,
        )
    return redirect(url_for("attendance.sheet", meeting_id=meeting.id) + f"#member-{member_id}", 303)


@bp.post("/meetings/<int:meeting_id>/attendance/all-present")
@loads(Meeting, Permission.run_meetings)
def all_present(meeting):
    count = attempt(lambda: services.mark_all_present(current_user, meeting))
    if count is not FAILED:
        flash(f"Đã ghi có mặt cho {count} đảng viên chưa điểm danh. Hãy đánh dấu các trường hợp vắng.", "success")
    return redirect(url_for("attendance.sheet", meeting_id=meeting.id), 303)


@bp.post("/meetings/<int:meeting_id>/guests")
@loads(Meeting, Permission.run_meetings)
def add_guest(meeting):
    form = GuestForm()
    if form.validate_on_submit() and (
        attempt(
            lambda: services.add_guest(
                current_user, meeting, form.name.data, form.position.data, form.unit_name.data
            ),
            form,
        )
        is not FAILED
    ):
        flash(f"Đã thêm khách mời {form.name.data.strip()}.", "success")
        return redirect(url_for("attendance.sheet", meeting_id=meeting.id) + "#guests", 303)
    # Refused: the sheet again, with what was typed and the message by its field.
    return render("attendance/sheet.html", **_context(meeting, guest_form=form), status=form_status())


@bp.post("/guests/<int:guest_id>/delete")
@loads(Guest, Permission.run_meetings)
def delete_guest(guest, meeting):
    if attempt(lambda: services.remove_guest(current_user, guest, meeting)) is not FAILED:
        flash(f"Đã bỏ khách mời {guest.name}.", "success")
    return redirect(url_for("attendance.sheet", meeting_id=meeting.id) + "#guests", 303)
