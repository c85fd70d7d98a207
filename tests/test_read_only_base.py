"""A module that commits for real runs on its own copy of the demo base, and the
fingerprint the session checks at its end names a table a commit changed."""

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.extensions import db
from tests.databases import changed_tables, fingerprint

pytestmark = pytest.mark.committing  # see tests/conftest.py app


def test_a_committing_module_writes_into_its_own_copy_never_the_base(app, base_app):
    assert app is not base_app
    assert app.config["SQLALCHEMY_DATABASE_URI"] != base_app.config["SQLALCHEMY_DATABASE_URI"]
    with base_app.app_context():
        base_before = fingerprint(db.engine)
    with app.app_context():
        copy_before = fingerprint(db.engine)
        assert copy_before == base_before  # the copy starts as the base
        db.session.add(AuditEntry(action="test.copy", object_type="", summary="chỉ trong bản sao"))
        db.session.commit()
        assert db.session.scalar(select(func.count()).where(AuditEntry.action == "test.copy")) == 1
        db.session.rollback()  # the read's transaction would hold SQLite's write lock
        copy_after = fingerprint(db.engine)
    with base_app.app_context():
        assert fingerprint(db.engine) == base_before
    changed = changed_tables(copy_before, copy_after)
    rows = copy_before["audit_entries"][0]
    assert changed == [f"audit_entries: {rows} rows → {rows + 1}"]


def test_a_changed_row_is_seen_though_the_count_stays(app):
    from app.org.models import Member

    with app.app_context():
        before = fingerprint(db.engine)
        member = db.session.scalars(select(Member).order_by(Member.id)).first()
        member.notes = (member.notes or "") + " (đã sửa)"
        db.session.commit()
        db.session.remove()
        rows = before["members"][0]
        assert changed_tables(before, fingerprint(db.engine)) == [f"members: {rows} rows → {rows}"]
