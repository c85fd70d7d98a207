"""Member pages: roster, profile, add/edit/transfer/end, positions, exemptions,
active search and import."""

import json
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import maintenance
from app.extensions import db
from app.org import importer, name_search, personal, queries, services
from app.org.access import (
    Permission,
    can,
    can_reveal_contact,
    current_membership,
    get_unit_or_404,
    member_access_or_404,
    require,
)
from app.org.forms import (
    AwayForm,
    EditMemberForm,
    EndMembershipForm,
    EndPositionForm,
    ExemptionForm,
    ImportConfirmForm,
    ImportUploadForm,
    NewMemberForm,
    PositionForm,
    TransferForm,
)
from app.org.models import Member, MembershipKind, OrgUnit, Position, PositionTitle, UnitKind
from app.web.authz import loads, signed_in
from app.web.forms import FAILED, attempt, attempt_edit, form_status
from app.web.htmx import render, wants_fragment

bp = Blueprint("members", __name__)


def _date_arg(name: str) -> date:
    text = request.args.get(name)
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        abort(400)


def _cell_or_404(unit_id: int, perm: Permission = Permission.view):
    cell = get_unit_or_404(current_user, unit_id, perm)
    if not cell.is_cell:
        abort(404)
    return cell


@bp.get("/units/<int:unit_id>/members")
@loads(OrgUnit, Permission.view, cell=True)
def roster(cell):
    on = _date_arg("on")
    rows = queries.roster(cell, on)
    return render(
        "members/roster.html",
        cell=cell,
        rows=rows,
        tally=queries.tally(rows),
        on=on,
        today=date.today(),
        crumbs=queries.breadcrumbs(cell) + [cell],
    )


@bp.get("/members/search")
@signed_in()
def search():
    # The empty search page: a name in the address (an old bookmark) is ignored.
    return _search_page("", request.args.get("unit", type=int))


@bp.post("/members/search")
@signed_in()
def search_results():
    """The search itself is a POST (CSRF-checked, read-only: app.db.READ_ONLY_POSTS), so
    the names typed stay out of addresses, the browser's history and the access log."""
    return _search_page(request.form.get("q", "")[:100], request.form.get("unit", type=int))


def _search_page(q: str, unit_id: int | None):
    within = get_unit_or_404(current_user, unit_id) if unit_id is not None else None
    hits = queries.search_members(current_user, q, within=within)
    hint = name_search.TOO_SHORT if q.strip() and not name_search.search_words(q) else None
    return render("members/search.html", "results", q=q, hits=hits, within=within, hint=hint)


@bp.get("/members/<int:member_id>")
@loads(Member, Permission.view)
def show(access):
    return _profile(access)


def _profile(access, revealed: frozenset = frozenset()):
    """The profile as `access` shows it, with the contact fields in `revealed` unmasked."""
    positions, exemptions, away = queries.member_history(access)
    current = access.current
    cell = access.latest.unit if access.latest else None
    return render(
        "members/show.html",
        member=access.member,
        access=access,
        memberships=access.memberships,
        positions=positions,
        exemptions=exemptions,
        away=away,
        current=current,
        revealed=revealed,
        may_reveal=can_reveal_contact(current_user, access),
        contact_labels=personal.CONTACT_FIELDS,
        today=date.today(),
        can_edit=current is not None and can(current_user, Permission.edit_members, cell),
        crumbs=(queries.breadcrumbs(cell) + [cell]) if cell else [],
        position_form=PositionForm(formdata=None, from_on=date.today()),
        exemption_form=ExemptionForm(formdata=None, from_on=date.today()),
        away_form=AwayForm(formdata=None, from_on=date.today()),
        end_position_form=EndPositionForm(formdata=None, on=date.today()),
    )


@bp.post("/members/<int:member_id>/reveal")
@loads(Member, Permission.edit_members)
def reveal(member):
    """One contact field in full, on request: audited (`member.reveal`), in a POST
    answer only, for those who keep the member's record (403 for others who see it)."""
    access = member_access_or_404(current_user, member.id)
    require(can_reveal_contact(current_user, access))
    field = request.form.get("field", "")
    if field not in personal.CONTACT_FIELDS:
        abort(400)
    personal.reveal(current_user, access.member, field, access.latest.unit)
    db.session.commit()
    if wants_fragment():
        return render_template(
            "members/_contact.html",
            member=access.member,
            field=field,
            revealed={field},
            contact_labels=personal.CONTACT_FIELDS,
        )
    return _profile(access, revealed=frozenset({field}))


def _member_data(form) -> dict:
    return {name: getattr(form, name).data for name in services.MEMBER_FIELDS}


@bp.route("/units/<int:unit_id>/members/new", methods=["GET", "POST"])
@loads(OrgUnit, Permission.edit_members, cell=True)
def new(cell):
    form = NewMemberForm()
    if request.method == "GET":
        form.from_on.data = date.today()
    if form.validate_on_submit():
        member = attempt(
            lambda: services.add_member(
                current_user,
                cell,
                _member_data(form),
                from_on=form.from_on.data,
                kind=MembershipKind(form.membership_kind.data),
            ),
            form,
        )
        if member is not FAILED:
            flash(f"Đã thêm đảng viên {member.full_name}.", "success")
            return redirect(url_for("members.show", member_id=member.id), 303)
    return render(
        "members/form.html", form=form, cell=cell, crumbs=queries.breadcrumbs(cell) + [cell], status=form_status()
    )


@bp.route("/members/<int:member_id>/edit", methods=["GET", "POST"])
@loads(Member, Permission.edit_members)
def edit(member):
    cell = current_membership(member.id).unit
    form = EditMemberForm(obj=member)
    if request.method == "GET":
        form.version.data = member.version
        form.card_number.data = form.phone.data = None  # write-only: shown masked beside

    def page(conflict=None, status=200):
        return render(
            "members/form.html",
            form=form,
            member=member,
            cell=cell,
            conflict=conflict,  # the stored version, shown beside what this user typed
            crumbs=queries.breadcrumbs(cell) + [cell],
            status=status,
        )

    def saved():
        flash("Đã lưu hồ sơ đảng viên.", "success")
        return redirect(url_for("members.show", member_id=member.id), 303)

    def refused(error, stale, status):
        form.form_errors.append(error)
        if stale is not None:
            form.version.data = stale.version
        return page(stale, status)

    if form.validate_on_submit():
        cleared = {f for f in personal.CONTACT_FIELDS if form[f"clear_{f}"].data}
        data = personal.keep_unless_cleared(_member_data(form), member, cleared)
        version = form.version.data or 0
        return attempt_edit(
            lambda: services.update_member(current_user, member, data, unit=cell, expected_version=version),
            saved,
            refused,
        )
    return page(status=form_status())


@bp.route("/members/<int:member_id>/transfer", methods=["GET", "POST"])
@loads(Member, Permission.edit_members)
def transfer(member):
    current = current_membership(member.id)
    cells = [
        c
        for c in queries.units_for_select(current_user, Permission.edit_members, (UnitKind.cell,))
        if c.id != current.unit_id
    ]
    labels = queries.unit_label_map(cells)
    form = TransferForm()
    form.target_id.choices = [(c.id, labels[c.id]) for c in cells]
    if request.method == "GET":
        form.on.data = date.today()
        form.kind.data = current.kind
    if form.validate_on_submit():
        target = _cell_or_404(form.target_id.data, Permission.edit_members)
        if (
            attempt(
                lambda: services.transfer_member(
                    current_user,
                    member,
                    current,
                    target,
                    on=form.on.data,
                    kind=MembershipKind(form.kind.data),
                    reason=form.reason.data or "",
                ),
                form,
            )
            is not FAILED
        ):
            flash(f"Đã chuyển {member.full_name} đến {target.name}.", "success")
            return redirect(url_for("members.show", member_id=member.id), 303)
    return render(
        "members/transfer.html",
        form=form,
        member=member,
        current=current,
        crumbs=queries.breadcrumbs(current.unit) + [current.unit],
        status=form_status(),
    )


@bp.route("/members/<int:member_id>/end", methods=["GET", "POST"])
@loads(Member, Permission.edit_members)
def end(member):
    current = current_membership(member.id)
    form = EndMembershipForm()
    if request.method == "GET":
        form.on.data = date.today()
    if form.validate_on_submit():
        if (
            attempt(
                lambda: services.end_membership(
                    current_user, member, current, on=form.on.data, reason=form.reason.data
                ),
                form,
            )
            is not FAILED
        ):
            flash(f"Đã kết thúc sinh hoạt của {member.full_name} tại {current.unit.name}.", "success")
            return redirect(url_for("members.show", member_id=member.id), 303)
    return render(
        "members/end.html",
        form=form,
        member=member,
        current=current,
        crumbs=queries.breadcrumbs(current.unit) + [current.unit],
        status=form_status(),
    )


def _form_error_redirect(form, member):
    for errors in form.errors.values():
        for error in errors:
            flash(error, "error")
    return redirect(url_for("members.show", member_id=member.id), 303)


@bp.post("/members/<int:member_id>/positions")
@loads(Member, Permission.edit_members)
def appoint(member):
    form = PositionForm()
    if not form.validate_on_submit():
        return _form_error_redirect(form, member)
    cell = current_membership(member.id).unit
    title = PositionTitle(form.title.data)
    if attempt(lambda: services.appoint(current_user, member, cell, title, form.from_on.data)) is not FAILED:
        flash("Đã ghi nhận chức vụ.", "success")
    return redirect(url_for("members.show", member_id=member.id), 303)


@bp.post("/positions/<int:position_id>/end")
@loads(Position, Permission.edit_members)
def end_position(position, member):
    form = EndPositionForm()
    if not form.validate_on_submit():
        return _form_error_redirect(form, member)
    if attempt(lambda: services.end_position(current_user, position, form.on.data)) is not FAILED:
        flash("Đã ghi nhận thôi giữ chức.", "success")
    return redirect(url_for("members.show", member_id=member.id), 303)


def _record_period(member, form_class, write, done: str):
    """A dated period on a member's record (exempt, away elsewhere), in their current cell."""
    form = form_class()
    if not form.validate_on_submit():
        return _form_error_redirect(form, member)
    if attempt(lambda: write(member, current_membership(member.id).unit, form)) is not FAILED:
        flash(done, "success")
    return redirect(url_for("members.show", member_id=member.id), 303)


@bp.post("/members/<int:member_id>/exemptions")
@loads(Member, Permission.edit_members)
def exempt(member):
    return _record_period(
        member,
        ExemptionForm,
        lambda member, unit, form: services.exempt(
            current_user, member, unit, reason=form.reason.data, from_on=form.from_on.data, to_on=form.to_on.data
        ),
        "Đã ghi nhận miễn sinh hoạt.",
    )


@bp.post("/members/<int:member_id>/away")
@loads(Member, Permission.edit_members)
def send_away(member):
    return _record_period(
        member,
        AwayForm,
        lambda member, unit, form: services.send_away(
            current_user,
            member,
            unit,
            destination=form.destination.data,
            from_on=form.from_on.data,
            to_on=form.to_on.data,
        ),
        "Đã ghi nhận sinh hoạt tạm thời nơi khác.",
    )


@bp.route("/units/<int:unit_id>/members/import", methods=["GET", "POST"])
@loads(OrgUnit, Permission.edit_members, cell=True)
def import_upload(cell):
    form = ImportUploadForm()
    rows, payload, file_error = None, None, None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            with maintenance.outside_write_lock():  # nothing is written here
                rows = importer.validate(importer.read_table(upload.filename or "", upload.read()))
        except importer.ImportFileError as error:
            file_error = str(error)
        else:
            payload = json.dumps([r.raw for r in rows], ensure_ascii=False)
    status = 422 if request.method == "POST" and (file_error or form.errors) else 200
    return render(
        "members/import.html",
        cap=importer.TOO_MANY_ROWS,
        form=form,
        cell=cell,
        rows=rows,
        file_error=file_error,
        confirm_form=ImportConfirmForm(formdata=None, payload=payload),
        valid=rows is not None and all(not r.errors for r in rows) and rows,
        crumbs=queries.breadcrumbs(cell) + [cell],
        status=status,
    )


@bp.post("/units/<int:unit_id>/members/import/confirm")
@loads(OrgUnit, Permission.edit_members, cell=True)
def import_confirm(cell):
    form = ImportConfirmForm()
    # The rows are validated again, outside the write lock: nothing is written unless
    # every one is valid, then all of them in one short transaction.
    rows, file_error = [], None
    try:
        with maintenance.outside_write_lock():
            rows = importer.validate(importer.rows_from_payload(form.payload.data))
    except importer.ImportFileError as error:
        file_error = str(error)
    if rows and not any(r.errors for r in rows):
        if attempt(lambda: importer.add_rows(current_user, cell, rows)) is not FAILED:
            flash(f"Đã nhập {len(rows)} đảng viên vào {cell.name}.", "success")
            return redirect(url_for("members.roster", unit_id=cell.id), 303)
    return render(
        "members/import.html",
        cap=importer.TOO_MANY_ROWS,
        form=ImportUploadForm(formdata=None),
        cell=cell,
        rows=rows,
        file_error=file_error or (None if rows else "Không có dòng nào để nhập."),
        confirm_form=form,
        valid=False,
        crumbs=queries.breadcrumbs(cell) + [cell],
        status=422,
    )
