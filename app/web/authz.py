"""Authorization by construction: every view declares what it loads and the permission it
needs, and the declaration does the loading through app/org/access.py (404 for what the
user may not see, 403 for what they see but may not change). A view never loads its
guarded object itself; tests/web/test_declarations.py fails on a route without one.

    @loads(Meeting, Permission.run_meetings)      # /meetings/<int:meeting_id>/…
    def edit(meeting): ...

    @signed_in(Permission.view_audit)             # a page of no particular object
    @public                                       # login, health check
"""

import inspect
from dataclasses import dataclass, field
from functools import partial, wraps

from blinker import Namespace
from flask import abort, request
from flask_login import current_user

from app.extensions import db
from app.org import access
from app.org.access import Permission
from app.org.models import Member, OrgUnit, Position, RoleAssignment

# Sent with the declaration once its checks have passed, before the view runs (the
# permission-matrix test listens to tell "allowed" from what the view does next).
authorized = Namespace().signal("authorized")


@dataclass(frozen=True)
class Declaration:
    kind: str  # "public", "signed_in" or "loads"
    perm: Permission | frozenset | None = None  # needed for GET (every method unless `post`); a set: any one
    post: Permission | None = None  # needed for POST when it differs
    model: type | None = None
    visible: Permission | None = None  # what makes the object visible (else 404)
    options: dict = field(default_factory=dict, compare=False)

    def needs(self, method: str) -> Permission | None:
        return self.post if method == "POST" and self.post else self.perm


# Flask's own endpoint; files of the app's static folder only.
FLASK_PUBLIC = {"static"}


def declaration_of(app, endpoint: str) -> Declaration | None:
    if endpoint in FLASK_PUBLIC:
        return Declaration("public")
    return getattr(app.view_functions[endpoint], "declaration", None)


def _declare(view, declaration: Declaration, guard):
    accepted = set(inspect.signature(view).parameters)

    @wraps(view)
    def guarded(**kwargs):
        loaded = guard(request.method, kwargs)
        authorized.send(view, declaration=declaration)
        kwargs.update({name: value for name, value in loaded.items() if name in accepted})
        return view(**kwargs)

    guarded.declaration = declaration
    return guarded


def public(view):
    """Reachable without logging in (app/web/security.py lists the same endpoints)."""
    return _declare(view, Declaration("public"), lambda method, kwargs: {})


def signed_in(perm: Permission | None = None, *, post: Permission | None = None):
    """A page of no particular object: any signed-in user, or one holding `perm` on some
    unit (else 404: the page does not exist for them)."""
    declaration = Declaration("signed_in", perm, post)

    def decorate(view):
        def guard(method, kwargs):
            needed = declaration.needs(method)
            if needed is not None and not access.holds(current_user, needed):
                # A page the user may see (its GET) refuses the write with 403.
                shown = declaration.perm is None or access.holds(current_user, declaration.perm)
                abort(403 if shown and needed is not declaration.perm else 404)
            return {}

        return _declare(view, declaration, guard)

    return decorate


def loads(model, perm: Permission, *, post: Permission | None = None, **options):
    """Load `model` from the URL's id, check it is visible (404) and that `perm` holds on
    it (403), and pass it (with its meeting, minutes or cell where it has one) to the view.
    Options: `visible` (the permission that shows it), `cell` (a cell only, else 404),
    `on` ("parent": the permission is checked on the unit's parent; "addressed_unit" for
    a proposal), `options` (loader options for the meeting)."""
    visible = options.get("visible", getattr(model, "visible", None))
    declaration = Declaration("loads", perm, post, model, visible, options)

    def decorate(view):
        def guard(method, kwargs):
            loader = LOADERS[model]
            param = next((p for p in loader.params if p in kwargs), None)
            if param is None:
                raise LookupError(f"{view.__name__}: no {' or '.join(loader.params)} in the URL")
            return loader.load(kwargs.pop(param), declaration.needs(method), **options)

        return _declare(view, declaration, guard)

    return decorate


# --- loaders: one per model, each through app/org/access.py ------------------------------


class Cell:
    """Declares a cell seen through its meetings (`/cells/<cell_id>/…`): visible with
    view_meetings (a supervising cadre's too), a cell only (else 404)."""

    visible = Permission.view_meetings


@dataclass(frozen=True)
class Loader:
    params: tuple[str, ...]
    name: str
    load: object


def _get(model, ident: int, skip_deleted: bool = True):
    obj = db.session.get(model, ident)
    if obj is None or (skip_deleted and getattr(obj, "is_deleted", False)):
        abort(404)
    return obj


def _unit(ident, perm, visible=Permission.view, cell: bool = False, on: str | None = None, **_):
    """A unit, passed as `unit` or `cell` (whichever the view names)."""
    user = current_user
    if on == "parent":
        unit = access.get_unit_or_404(user, ident, visible=visible, perm=visible)
        access.require(unit.parent is not None and access.can(user, perm, unit.parent))
    else:
        unit = access.get_unit_or_404(user, ident, perm, visible=visible)
    if cell and not unit.is_cell:
        abort(404)
    return {"unit": unit, "cell": unit}


def _meeting(meeting_id, perm, options=(), **_):
    """`perm` may be a set: any one of them will do."""
    if isinstance(perm, frozenset):
        meeting = access.get_meeting_or_404(current_user, meeting_id, options=options)
        access.require(any(access.can(current_user, p, meeting.cell) for p in perm))
        return {"meeting": meeting}
    return {"meeting": access.get_meeting_or_404(current_user, meeting_id, perm, options=options)}


def _part(model, name, meeting_of=lambda obj: obj.meeting_id, skip_deleted=True):
    """An object that belongs to a meeting: the meeting's rule decides."""

    def load(ident, perm, options=(), **_):
        obj = _get(model, ident, skip_deleted)
        return {name: obj, **_meeting(meeting_of(obj), perm, options)}

    return load


def _minutes_item(ident, perm, options=(), **_):
    from app.minutes.models import MinutesItem

    item = _get(MinutesItem, ident, skip_deleted=False)
    return {"item": item, "minutes": item.minutes, **_meeting(item.minutes.meeting_id, perm, options)}


def _speaker(ident, perm, options=(), **_):
    from app.minutes.models import Speaker

    speaker = _get(Speaker, ident)
    return {"speaker": speaker, **_minutes_item(speaker.item_id, perm, options)}


def _minutes(ident, perm, options=(), **_):
    from app.minutes.models import Minutes

    minutes = _get(Minutes, ident, skip_deleted=False)
    return {"minutes": minutes, **_meeting(minutes.meeting_id, perm, options)}


def _topic(ident, perm, **_):
    from app.meetings.models import ThematicTopic

    topic = _get(ThematicTopic, ident)
    cell = _unit(topic.cell_id, perm, visible=Permission.view_meetings, cell=True)["cell"]
    return {"topic": topic, "cell": cell}


def _cell_object(model, name):
    """An object of a cell outside any one meeting (a commitment): the cell's meetings rule."""

    def load(ident, perm, **_):
        obj = _get(model, ident)
        cell = db.session.get(OrgUnit, obj.cell_id)
        if not access.can(current_user, Permission.view_meetings, cell):
            abort(404)
        access.require(access.can(current_user, perm, cell))
        return {name: obj}

    return load


def _proposal(ident, perm, on: str | None = None, **_):
    from app.proposals.models import Proposal

    user = current_user
    proposal = _get(Proposal, ident)
    if not (
        access.can(user, Permission.view_meetings, proposal.cell)
        or access.can(user, Permission.answer_proposals, proposal.addressed_unit)
    ):
        abort(404)
    access.require(access.can(user, perm, proposal.addressed_unit if on == "addressed_unit" else proposal.cell))
    return {"proposal": proposal}


def _member(ident, perm, **_):
    """A member; seen with `view`, also what the user may see of them (`access`, one rule
    for who sees a member: app/org/access.py member_access_or_404)."""
    if perm is Permission.view:
        seen = access.member_access_or_404(current_user, ident)
        return {"member": seen.member, "access": seen}
    return {"member": access.get_member_or_404(current_user, ident, perm)}


def _position(ident, perm, **_):
    position = _get(Position, ident, skip_deleted=False)
    member = access.get_member_or_404(current_user, position.member_id)
    access.require(access.can(current_user, perm, position.unit))
    return {"position": position, "member": member}


def _account(ident, perm, **_):
    """Accounts: managed by whoever manages accounts on every unit the account has a role on."""
    return {"account": access.get_account_or_404(current_user, ident)}


def _role_assignment(ident, perm, **_):
    assignment = _get(RoleAssignment, ident, skip_deleted=False)
    account = access.get_account_or_404(current_user, assignment.user_id)
    access.get_unit_or_404(current_user, assignment.unit_id, perm)
    return {"assignment": assignment, "account": account}


def _supervision_assignment(ident, perm, **_):
    """Ended by an office of the cell or of the unit above it."""
    from app.supervision.models import SupervisionAssignment

    assignment = _get(SupervisionAssignment, ident, skip_deleted=False)
    cell = access.get_unit_or_404(current_user, assignment.cell_id)
    office = next((u for u in [cell.parent, cell] if u and access.can(current_user, perm, u)), None)
    access.require(office is not None)
    return {"assignment": assignment, "cell": cell, "office": office}


def _loaders() -> dict:
    from app.attendance.models import Guest
    from app.auth.models import User
    from app.criticism.models import Commitment, CriticismNote
    from app.meetings.models import AgendaItem, Document, Meeting, ThematicTopic
    from app.minutes.models import Minutes, MinutesItem, Speaker, Task
    from app.proposals.models import Proposal
    from app.resolutions.models import Resolution
    from app.self_examination.models import SelfExamination
    from app.supervision.models import DelegateAttendance, SupervisionAssignment

    return {
        OrgUnit: Loader(("unit_id", "cell_id"), "unit", _unit),
        Cell: Loader(("cell_id", "unit_id"), "cell", partial(_unit, visible=Cell.visible, cell=True)),
        Meeting: Loader(("meeting_id",), "meeting", _meeting),
        Guest: Loader(("guest_id",), "guest", _part(Guest, "guest")),
        AgendaItem: Loader(("item_id",), "item", _part(AgendaItem, "item")),
        Document: Loader(("document_id",), "document", _part(Document, "document")),
        DelegateAttendance: Loader(("entry_id",), "entry", _part(DelegateAttendance, "entry")),
        Task: Loader(("task_id",), "task", _part(Task, "task")),
        Resolution: Loader(("resolution_id",), "resolution", _part(Resolution, "resolution", skip_deleted=False)),
        SelfExamination: Loader(
            ("examination_id",), "examination", _part(SelfExamination, "examination", skip_deleted=False)
        ),
        CriticismNote: Loader(("note_id",), "note", _part(CriticismNote, "note", skip_deleted=False)),
        Minutes: Loader(("minutes_id",), "minutes", _minutes),
        MinutesItem: Loader(("item_id",), "item", _minutes_item),
        Speaker: Loader(("speaker_id",), "speaker", _speaker),
        ThematicTopic: Loader(("topic_id",), "topic", _topic),
        Commitment: Loader(("commitment_id",), "commitment", _cell_object(Commitment, "commitment")),
        Proposal: Loader(("proposal_id",), "proposal", _proposal),
        Member: Loader(("member_id",), "member", _member),
        Position: Loader(("position_id",), "position", _position),
        User: Loader(("user_id",), "account", _account),
        RoleAssignment: Loader(("assignment_id",), "assignment", _role_assignment),
        SupervisionAssignment: Loader(("assignment_id",), "assignment", _supervision_assignment),
    }


class _Loaders(dict):
    """Filled on first use: the models of every area are imported by then."""

    def __missing__(self, model):
        self.update(_loaders())
        return dict.__getitem__(self, model)


LOADERS = _Loaders()
