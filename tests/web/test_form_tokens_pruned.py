"""Used one-time tokens are kept long enough to answer a replay, then pruned by the next
create, in its own transaction: the table does not grow without end."""

from datetime import timedelta

from sqlalchemy import select

from app.db import utcnow
from app.extensions import db
from app.web.once import KEEP_TOKENS, FormToken


def test_a_create_prunes_tokens_older_than_the_replay_window(app, client, login_as, held_meeting):
    old, recent = "a" * 32, "b" * 32
    with app.app_context():
        db.session.add_all(
            [
                FormToken(token=old, created_at=utcnow() - KEEP_TOKENS - timedelta(hours=1)),
                FormToken(token=recent, created_at=utcnow() - KEEP_TOKENS + timedelta(hours=1)),
            ]
        )
        db.session.commit()
    login_as("xa")
    form = {"name": "Lê Văn Khách", "form_token": "c" * 32}
    assert client.post(f"/meetings/{held_meeting}/guests", data=form).status_code == 303
    with app.app_context():
        kept = set(db.session.scalars(select(FormToken.token).where(FormToken.token.in_([old, recent, "c" * 32]))))
    assert kept == {recent, "c" * 32}
