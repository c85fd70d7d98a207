"""Every response type, for every role, counted against the audit: a response that
carries a note text (criticism note, revision, commitment, review comment, self-review,
assessment, year-end review) has a `note.read` entry of that request for the meeting
(or cell and year) the text belongs to, and roles without the right never see one.

Every sensitive text in the demo is first replaced by a unique marker naming its row,
so a text found in a response tells whose it is."""

import io
import re
import zipfile
from datetime import date

import pytest
from sqlalchemy import select, text

from app.audit.models import AuditEntry
from app.auth.models import User
from app.extensions import db
from app.meetings.models import Meeting
from app.org.models import OrgUnit, Role, RoleAssignment
from app.supervision.models import SupervisionAssignment

MARKER = re.compile(r"zqx([a-z])(\d+)qz")

# table, column, code, the SQL giving (row id, meeting id) of each text's owner
SEALED = [
    ("criticism_notes", "text", "n", "SELECT id, meeting_id FROM criticism_notes"),
    (
        "criticism_note_revisions",
        "text",
        "v",
        "SELECT r.id, n.meeting_id FROM criticism_note_revisions r JOIN criticism_notes n ON n.id = r.note_id",
    ),
    (
        "commitments",
        "what",
        "c",
        "SELECT c.id, n.meeting_id FROM commitments c JOIN criticism_notes n ON n.id = c.note_id",
    ),
    (
        "commitment_reviews",
        "comment",
        "r",
        "SELECT r.id, n.meeting_id FROM commitment_reviews r JOIN commitments c ON c.id = r.commitment_id "
        "JOIN criticism_notes n ON n.id = c.note_id",
    ),
    ("self_examinations", "collective_assessment", "e", "SELECT id, meeting_id FROM self_examinations"),
    ("self_examinations", "head_assessment", "h", "SELECT id, meeting_id FROM self_examinations"),
    *[
        (
            "self_reviews",
            column,
            code,
            "SELECT r.id, e.meeting_id FROM self_reviews r JOIN self_examinations e ON e.id = r.examination_id",
        )
        for column, code in (("self_text", "s"), ("cell_assessment", "a"), ("correction_plan", "p"))
    ],
]
YEAR_SEALED = [("self_assessment", "y"), ("cell_comment", "k")]
DOCS = ("minutes", "agenda", "sign-in", "extract", "score-sheet", "resolution")


def _mark_texts() -> dict[tuple[str, int], tuple]:
    """Replace every sensitive text by its marker; the owner of each marker."""
    owners = {}
    meetings = {m.id: m for m in db.session.scalars(select(Meeting))}
    for table, column, code, owner_sql in SEALED:
        db.session.execute(text(f"UPDATE {table} SET {column} = 'zqx{code}' || id || 'qz' WHERE {column} IS NOT NULL"))
        for row_id, meeting_id in db.session.execute(text(owner_sql)):
            meeting = meetings[meeting_id]
            owners[(code, row_id)] = ("meeting", meeting_id, meeting.cell_id, meeting.on)
    for column, code in YEAR_SEALED:
        db.session.execute(
            text(f"UPDATE year_reviews SET {column} = 'zqx{code}' || id || 'qz' WHERE {column} IS NOT NULL")
        )
        for row_id, cell_id, year in db.session.execute(text("SELECT id, cell_id, year FROM year_reviews")):
            owners[(code, row_id)] = ("year", cell_id, cell_id, year)
    db.session.expire_all()
    return owners


def _body(response, captured: list[str]) -> str:
    kind = response.headers.get("Content-Type", "")
    if "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(response.data)) as book:
            return "".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    if "pdf" in kind:
        return "".join(captured)  # the HTML the PDF was made from
    return response.get_data(as_text=True)


class Crawl:
    def __init__(self, app, client, owners, readers):
        self.app, self.client, self.owners, self.readers = app, client, owners, readers
        self.responses = self.with_texts = self.entries = 0
        self.captured: list[str] = []

    def _last_entry(self) -> int:
        return db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0

    def request(self, username, method, url, data=None, headers=None):
        self.captured.clear()
        with self.app.app_context():
            before = self._last_entry()
        response = self.client.open(url, method=method, data=data, headers=headers or {})
        body = _body(response, self.captured)
        with self.app.app_context():
            return response, self._check(username, method, url, response, body, before)

    def _check(self, username, method, url, response, body, before):
        reads = db.session.scalars(
            select(AuditEntry).where(AuditEntry.id > before, AuditEntry.action == "note.read")
        ).all()
        self.responses += 1
        self.entries += len(reads)
        found = {(m[1], int(m[2])) for m in MARKER.finditer(body)}
        unknown = found - self.owners.keys()
        assert not unknown, (username, method, url, unknown)
        owners = {self.owners[key] for key in found}
        where = (username, method, url, response.status_code)
        if owners:
            self.with_texts += 1
            assert response.status_code < 300, where  # a refusal carries no text
            assert all(self.readers[username](owner) for owner in owners), where
            user_id = db.session.scalar(select(User.id).where(User.username == username))
            assert all(r.actor_id == user_id for r in reads), where
            for kind, key, _cell, when in owners:
                if kind == "meeting":
                    assert any(r.object_type == "Meeting" and r.object_id == key for r in reads), (where, key)
                else:
                    assert any(
                        r.object_type == "OrgUnit" and r.object_id == key and r.summary.endswith(f"năm {when}")
                        for r in reads
                    ), (where, key, when)
        return owners


@pytest.fixture()
def pdf_source(monkeypatch):
    """PDFs made from the page's HTML, kept for the crawl instead of running Chromium."""
    captured = []

    def fake(html):
        captured.append(html)
        return b"%PDF-1.4 test"

    monkeypatch.setattr("app.printing.pdf.html_to_pdf", fake)
    return captured


def _url_map_gets(app, values) -> list[str]:
    """Every GET route whose arguments the crawl can fill, with each value tried."""
    urls, unfilled = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        combos = [{}]
        for name in rule.arguments:
            combos = [dict(c, **{name: v}) for c in combos for v in values.get(name, [])]
        if not combos:
            unfilled.append(rule.rule)
        for args in combos:
            urls.append(rule.build(args, append_unknown=False)[1])
    # Only a route whose object the demo may lack (an uploaded file) may be left out.
    assert set(unfilled) <= {"/documents/<int:document_id>"}, unfilled
    return urls


def test_every_response_with_a_note_text_is_audited_and_only_readers_see_texts(
    app, client, login_as, world, pdf_source
):
    with app.test_request_context():
        owners = _mark_texts()
        commune = db.session.get(OrgUnit, world["commune"])
        in_charge = db.session.scalars(
            select(SupervisionAssignment)
            .join(User, SupervisionAssignment.user_id == User.id)
            .where(User.username == "giamsat", SupervisionAssignment.kind == "in_charge")
        ).first()
        cell_id = in_charge.cell_id
        dated = sorted({(o[3], o[1]) for o in owners.values() if o[0] == "meeting" and o[2] == cell_id})
        assert len(dated) >= 4, "the demo has notes at several meetings of the in-charge cell"
        # The assignment begins between two meetings with notes: the earlier ones are not the cadre's.
        start = dated[len(dated) // 2][0]
        in_charge.from_on = start
        secretary_cell = db.session.scalar(
            select(RoleAssignment.unit_id)
            .join(User, RoleAssignment.user_id == User.id)
            .where(User.username == "bithu", RoleAssignment.role == Role.cell_secretary.value)
        )
        nobody = User(username="khongvaitro", full_name="Tài khoản không vai trò")
        nobody.set_password("khongvaitro-2026")
        db.session.add(nobody)
        year = date.today().year - 1
        meeting_ids = [dated[0][1], dated[-1][1], dated[len(dated) // 2 - 1][1], dated[len(dated) // 2][1]]
        examination = db.session.execute(
            text("SELECT e.id, e.meeting_id FROM self_examinations e JOIN meetings m ON m.id = e.meeting_id")
        ).first()
        exam_members = [
            r[0]
            for r in db.session.execute(
                text(f"SELECT member_id FROM self_reviews WHERE examination_id = {examination[0]}")
            )
        ][:2]
        year_members = [
            r[0]
            for r in db.session.execute(
                text(f"SELECT member_id FROM year_reviews WHERE cell_id = {cell_id} AND year = {year}")
            )
        ][:2]
        notes = db.session.execute(
            text(f"SELECT id, meeting_id FROM criticism_notes WHERE meeting_id IN ({dated[-1][1]}, {dated[0][1]})")
        ).all()
        commitments = (
            db.session.execute(
                text(
                    "SELECT c.id FROM commitments c JOIN criticism_notes n ON n.id = c.note_id "
                    f"WHERE n.cell_id = {cell_id}"
                )
            )
            .scalars()
            .all()[:2]
        )
        adopted = db.session.scalar(
            select(Meeting.id)
            .where(Meeting.cell_id == cell_id, Meeting.status == "adopted", Meeting.id.in_([m for _, m in dated]))
            .limit(1)
        )
        minutes_ids = (
            db.session.execute(text(f"SELECT id FROM minutes WHERE meeting_id IN ({','.join(map(str, meeting_ids))})"))
            .scalars()
            .all()
        )
        member_ids = sorted({*exam_members, *year_members})
        adopted_note = adopted and db.session.scalar(
            text("SELECT id FROM criticism_notes WHERE meeting_id = :m LIMIT 1"), {"m": adopted}
        )
        commune_id, commune_path = commune.id, commune.path

        def first(sql, **params):
            return [v for v in [db.session.scalar(text(sql), params)] if v is not None]

        other_ids = {
            "user_id": first("SELECT id FROM users WHERE username = 'bithu'"),
            "topic_id": first("SELECT id FROM thematic_topics ORDER BY id LIMIT 1"),
            "item_id": first("SELECT id FROM agenda_items WHERE meeting_id = :m LIMIT 1", m=dated[-1][1]),
            "template_id": first("SELECT id FROM score_templates ORDER BY id LIMIT 1"),
            "document_id": first("SELECT id FROM documents WHERE meeting_id = :m LIMIT 1", m=dated[-1][1]),
        }
        db.session.commit()

    def in_commune(owner):
        return db.session.get(OrgUnit, owner[2]).path.startswith(commune_path)

    def cadre(owner):
        if owner[2] != cell_id:
            return False
        return owner[3] >= start if owner[0] == "meeting" else date(owner[3], 12, 31) >= start

    readers = {
        "quantri": lambda owner: True,
        "xa": in_commune,
        "bithu": lambda owner: owner[2] == secretary_cell,
        "phobithu": lambda owner: owner[2] == secretary_cell,
        "giamsat": cadre,
        "huyen": lambda owner: False,
        "xem": lambda owner: False,
        "khongvaitro": lambda owner: False,
    }
    crawl = Crawl(app, client, owners, readers)
    values = {
        # GET pages: the latest meeting with notes and the self-examination.
        "meeting_id": meeting_ids[1:2] + ([examination[1]] if examination else []),
        "cell_id": [cell_id],
        "unit_id": [cell_id, commune_id],
        "year": [year],
        "member_id": member_ids[:1],
        "minutes_id": minutes_ids[:1],
        "doc": list(DOCS),
        **other_ids,
    }
    gets = _url_map_gets(app, values)
    fragment = {"HX-Request": "true"}

    posts = []
    for meeting_id in meeting_ids:
        posts += [
            (f"/meetings/{meeting_id}/notes", {}, {}),
            (f"/meetings/{meeting_id}/notes", {}, fragment),
            (f"/meetings/{meeting_id}/print/minutes/cell-copy", {}, {}),
            (f"/meetings/{meeting_id}/print/minutes/cell-copy", {"format": "pdf"}, {}),
            # Refused: no text, no who-said-it; the panel is not sent back.
            (f"/meetings/{meeting_id}/notes/add", {"kind": "criticism", "subject": "cell", "text": "zz"}, {}),
            (f"/meetings/{meeting_id}/notes/add", {"kind": "criticism", "subject": "cell", "text": ""}, fragment),
        ]
    for note_id, _meeting_id in notes:
        trigger = {"HX-Request": "true", "HX-Trigger": f"edit-form-{note_id}"}
        posts += [
            (f"/notes/{note_id}/history", {}, fragment),
            (f"/notes/{note_id}/edit", {"version": 0, "kind": "criticism", "text": "Bản cũ"}, trigger),  # stale
            (f"/notes/{note_id}/edit", {"version": 0, "kind": "criticism", "text": " "}, {}),
            (f"/notes/{note_id}/commitments", {"commitment": "Sửa", "commitment_due": ""}, fragment),
            (f"/notes/{note_id}/commitments", {"commitment": "Sửa", "commitment_due": "2000-01-01"}, {}),
        ]
    for commitment_id in commitments:
        for meeting_id in meeting_ids[:2]:
            posts += [
                (f"/commitments/{commitment_id}/review", {"meeting_id": meeting_id, "outcome": "xấu"}, fragment),
                (f"/commitments/{commitment_id}/review", {"meeting_id": meeting_id, "outcome": "xấu"}, {}),
            ]
    if adopted_note:
        if True:
            posts += [
                (f"/notes/{adopted_note}/delete", {}, fragment),
                (f"/notes/{adopted_note}/delete", {}, {}),
                (f"/notes/{adopted_note}/restore", {}, fragment),
            ]
    if examination:
        eid, emeeting = examination
        posts += [
            (f"/meetings/{emeeting}/self-examination", {}, {}),
            (f"/self-examinations/{eid}/print", {}, {}),
            (f"/self-examinations/{eid}/print", {"format": "pdf"}, {}),
            (f"/self-examinations/{eid}/assessment", {"version": 0, "collective_assessment": "Của tôi"}, {}),
        ]
        for member_id in exam_members:
            base = f"/self-examinations/{eid}/members/{member_id}"
            posts += [
                (base, {}, {}),
                (base + "/print", {}, {}),
                (base + "/print", {"format": "pdf"}, {}),
                (base + "/save", {"version": 0, "self_text": "Của tôi"}, {}),
            ]
    for y in (year, date.today().year):
        base = f"/cells/{cell_id}/year-review/{y}"
        posts += [(base, {}, {}), (base + "/print", {}, {}), (base + "/print", {"format": "pdf"}, {})]
        for member_id in year_members:
            posts += [
                (f"{base}/members/{member_id}", {}, {}),
                (f"{base}/members/{member_id}/save", {"version": 0, "proposed_rating": "tuyệt vời"}, {}),
                (f"{base}/members/{member_id}/save", {"version": 0, "self_assessment": "Của tôi"}, {}),
            ]

    seen_by = {}
    for username in readers:
        with app.app_context():
            login_as(username)
        shown = 0
        if True:
            for url in gets:
                for headers in ({},) if "/print/" in url else ({}, fragment):  # prints are whole pages
                    _, found = crawl.request(username, "GET", url, headers=headers)
                    # No GET answer ever carries a text, whoever asks.
                    assert not found, (username, url)
            for url, data, headers in posts:
                _, found = crawl.request(username, "POST", url, data=data, headers=headers)
                shown += bool(found)
            # A successful write answers with the panel: its texts are read, and audited.
            for note_id, _meeting_id in notes[:1]:
                _, found = crawl.request(username, "POST", f"/notes/{note_id}/restore", headers=fragment)
                shown += bool(found)
        seen_by[username] = shown

    # Not a vacuous crawl: readers saw texts, the cadre some, those without the right none.
    assert all(seen_by[u] > 0 for u in ("quantri", "xa", "giamsat")), seen_by
    assert seen_by["huyen"] == seen_by["xem"] == seen_by["khongvaitro"] == 0, seen_by
    assert crawl.with_texts > 0 and crawl.entries >= crawl.with_texts
    print(
        f"\n{crawl.responses} responses over {len(gets)} GET urls and {len(posts) + 1} POSTs × {len(readers)} roles: "
        f"{crawl.with_texts} carried note texts, {crawl.entries} note.read entries written; texts seen by {seen_by}"
    )
