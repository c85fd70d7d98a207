"""Pages that show sensitive texts (criticism notes, self-reviews, year-end reviews).

Their texts travel only in POST bodies: the page behind a GET shows what is there
without the texts and a button that opens them with a POST. So the texts are never in
a URL, a bookmark, a log line or the browser's cache, and every opening is a write
(the audit entry), as a state change must be. The response says no-store, and the
fragment carries hx-history="false" so htmx keeps no copy in localStorage."""

from flask import make_response, request

from app.web.htmx import render


def private_render(template: str, block: str | None = None, status: int = 200, **context):
    """Render like `render`, marked so that no cache keeps it."""
    body, status = render(template, block, status, **context)
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store, private"
    response.headers["Pragma"] = "no-cache"
    return response


def refused_form(error: str, status: int, fields: dict[str, str], compare_url: str | None, kicker: str = ""):
    """A refused save of a page with sensitive texts: the message and what the user sent
    (`fields`: its text fields by label, the rest kept hidden), never a saved text. After
    a stale save, `compare_url` opens the saved version (an audited read) with the
    user's input beside it."""
    hidden = [(name, value) for name, value in request.form.items(multi=True) if name not in fields]
    return private_render(
        "private/refused.html",
        status=status,
        error=error,
        fields=fields,
        hidden=[(n, v) for n, v in hidden if n != "csrf_token"],
        compare_url=compare_url,
        kicker=kicker,
    )
