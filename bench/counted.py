"""The application as gunicorn serves it, plus an `X-SQL-Statements` response header
(for the bench only: the application itself never sends it).

Every statement a request runs is counted, from the first byte in to the response
headers out, except SQLite's explicit BEGIN (a transaction marker, implicit on
PostgreSQL), so both databases count alike."""

from sqlalchemy import event

from app import create_app
from app.extensions import db

app = create_app()
_count = [0]

with app.app_context():

    @event.listens_for(db.engine, "after_cursor_execute")
    def _counted(conn, cursor, statement, *args):
        if not statement.startswith("BEGIN"):
            _count[0] += 1


def _counting(wsgi_app):
    def counting_app(environ, start_response):
        _count[0] = 0  # a sync worker serves one request at a time

        def start(status, headers, exc_info=None):
            return start_response(status, [*headers, ("X-SQL-Statements", str(_count[0]))], exc_info)

        return wsgi_app(environ, start)

    return counting_app


app.wsgi_app = _counting(app.wsgi_app)
