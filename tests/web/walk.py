"""Walking the URL map with real ids, reading the app's own forms, and a snapshot of every
table to tell whether a request wrote anything."""

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

from sqlalchemy import String, event, func, literal, null, select, text

from app.extensions import db
from app.rules import CONTROL_CHARACTERS

# Which table a path parameter names (the endpoint decides when a name is ambiguous).
PARAM_TABLES = {
    "unit_id": "org_units",
    "cell_id": "org_units",
    "meeting_id": "meetings",
    "minutes_id": "minutes",
    "member_id": "members",
    "item_id": "agenda_items",
    "note_id": "criticism_notes",
    "commitment_id": "commitments",
    "examination_id": "self_examinations",
    "proposal_id": "proposals",
    "document_id": "documents",
    "guest_id": "meeting_guests",
    "speaker_id": "minutes_speakers",
    "task_id": "tasks",
    "topic_id": "thematic_topics",
    "position_id": "positions",
    "assignment_id": "supervision_assignments",
    "user_id": "users",
    "template_id": "score_templates",
}
ENDPOINT_TABLES = {
    ("minutes.add_speaker", "item_id"): "minutes_items",
    ("accounts.end_role", "assignment_id"): "role_assignments",
}
SKIPPED = {"static"}


def rules(app):
    """(rule, method) for every route but static files, in a stable order."""
    return [
        (rule, method)
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
        if rule.endpoint not in SKIPPED
        for method in sorted(rule.methods & {"GET", "POST"})
    ]


def real_ids(world) -> dict[tuple[str, str], object]:
    """A real value for every (endpoint or None, parameter): rows of the demo cell
    `world["cell"]` (or tied to its meetings) where the table allows, else the newest."""
    cell = world["cell"]
    meetings = f"SELECT id FROM meetings WHERE cell_id = {cell}"
    meeting = db.session.scalar(
        text(f"SELECT meeting_id FROM minutes WHERE meeting_id IN ({meetings}) ORDER BY meeting_id DESC")
    )
    scopes = {
        "meeting_id": f"meeting_id = {meeting}",
        "cell_id": f"cell_id = {cell}",
        "unit_id": f"unit_id = {cell}",
        "minutes_id": f"minutes_id IN (SELECT id FROM minutes WHERE meeting_id = {meeting})",
        "note_id": f"note_id IN (SELECT id FROM criticism_notes WHERE meeting_id IN ({meetings}))",
        "minutes_item_id": f"minutes_item_id IN (SELECT id FROM minutes_items WHERE minutes_id IN "
        f"(SELECT id FROM minutes WHERE meeting_id = {meeting}))",
        "member_id": f"member_id IN (SELECT member_id FROM memberships WHERE unit_id = {cell})",
    }

    def newest(table: str) -> int | None:
        columns = db.metadata.tables[table].c.keys()
        for column, where in scopes.items():
            if column in columns:
                found = db.session.scalar(text(f"SELECT max(id) FROM {table} WHERE {where}"))
                if found is not None:
                    return found
        return db.session.scalar(text(f"SELECT max(id) FROM {table}"))

    values = {(None, name): newest(table) for name, table in PARAM_TABLES.items()}
    values |= {(endpoint, name): newest(table) for (endpoint, name), table in ENDPOINT_TABLES.items()}
    member = db.session.scalar(text(f"SELECT max(member_id) FROM memberships WHERE unit_id = {cell}"))
    values |= {
        (None, "unit_id"): world["commune"],
        (None, "cell_id"): cell,
        (None, "meeting_id"): meeting,
        (None, "minutes_id"): db.session.scalar(text(f"SELECT id FROM minutes WHERE meeting_id = {meeting}")),
        (None, "member_id"): member,
        (None, "user_id"): db.session.scalar(text("SELECT id FROM users WHERE username = 'xem'")),
        (None, "year"): date.today().year,
        (None, "doc"): "minutes",
    }
    # Pages of one unit level, or of a particular record.
    for endpoint in ("members.roster", "members.import_upload", "members.new", "members.import_confirm"):
        values[(endpoint, "unit_id")] = cell
    for endpoint in ("scoring.templates", "scoring.edit_template"):
        values[(endpoint, "unit_id")] = world["district"]
    values[("scoring.edit_template", "template_id")] = db.session.scalar(
        text("SELECT min(id) FROM score_templates WHERE unit_id IS NULL AND valid_to IS NULL")
    )
    for endpoint in ("supervision.quotas", "self_examination.signs"):
        values[(endpoint, "unit_id")] = world["province"]
    values[("self_examination.gate", "meeting_id")] = db.session.scalar(
        text("SELECT meeting_id FROM self_examinations ORDER BY id DESC")
    )
    values[("criticism.note_form", "?")] = f"member={member}"
    return values


def path(rule, ids, override=None) -> str:
    """The rule's path with real ids, or with `override` for every integer parameter."""

    def value(match):
        converter, name = match.group(1), match.group(2)
        if override is not None and converter == "int":
            return str(override)
        return str(ids.get((rule.endpoint, name), ids.get((None, name))))

    query = ids.get((rule.endpoint, "?"))
    return re.sub(r"<(?:(\w+):)?(\w+)>", value, rule.rule) + (f"?{query}" if query else "")


@dataclass
class FormSeen:
    action: str
    fields: dict = field(default_factory=dict)  # name -> a plausible value


class FormReader(HTMLParser):
    """The POST forms of a page: action and each field's current value."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[FormSeen] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = FormSeen(a.get("action") or self.page_url)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form.fields.setdefault(a["name"], "")
            elif kind != "file":
                self._form.fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form.fields[a["name"]] = ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.fields[a["name"]] = None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._form.fields[self._select] in (None, "") or "selected" in a:
                self._form.fields[self._select] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data


def forms_of(page_url: str, html: str) -> list[FormSeen]:
    reader = FormReader(page_url)
    reader.feed(html)
    return reader.forms


def table_state() -> dict[str, tuple[int, int | None]]:
    """Row count and highest id of every table, in one statement."""
    tables = sorted(db.metadata.tables.values(), key=lambda t: t.name)
    parts = [
        select(
            literal(t.name).label("name"),
            func.count().label("count"),
            (func.max(t.c.id) if "id" in t.c else null()).label("top"),
        ).select_from(t)
        for t in tables
    ]
    rows = db.session.execute(parts[0].union_all(*parts[1:])).all()
    return {name: (count, top) for name, count, top in rows}


class WriteWatch:
    """The write statements that changed rows and were then committed, on `engine`
    while inside the `with` block (rolled back ones are forgotten)."""

    def __init__(self, engine):
        self.engine = engine
        self.committed: list[str] = []
        self._pending: dict[int, list[str]] = {}

    def _executed(self, conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE") and cursor.rowcount != 0:
            self._pending.setdefault(id(conn), []).append(statement.split("\n")[0][:100])

    def _commit(self, conn):
        self.committed += self._pending.pop(id(conn), [])

    def _rollback(self, conn):
        self._pending.pop(id(conn), None)

    def take(self) -> list[str]:
        """What was committed since the last call."""
        committed, self.committed = self.committed, []
        return committed

    def __enter__(self):
        event.listen(self.engine, "after_cursor_execute", self._executed)
        event.listen(self.engine, "commit", self._commit)
        event.listen(self.engine, "rollback", self._rollback)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "after_cursor_execute", self._executed)
        event.remove(self.engine, "commit", self._commit)
        event.remove(self.engine, "rollback", self._rollback)


def stored_control_characters() -> list[str]:
    """Table.column of every stored text holding a control character (tab and line breaks
    allowed), to catch what SQLite stores where PostgreSQL would fail."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.c if isinstance(c.type, String)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            found += [
                f"{table.name}.{c.name}"
                for c, v in zip(columns, row, strict=True)
                if isinstance(v, str) and CONTROL_CHARACTERS.search(v)
            ]
    return sorted(set(found))
