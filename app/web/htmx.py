"""One place that decides between a full page and a fragment."""

from flask import g, render_template, request
from jinja2_fragments.flask import render_block


def wants_fragment() -> bool:
    """An htmx request that is neither a boosted navigation nor a history restore."""
    return bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request


def render(template: str, block: str | None = None, status: int = 200, **context):
    """The whole page, or only `block` of it when htmx asked for a fragment."""
    if block and wants_fragment():
        return render_block(template, block, **context), status
    return render_template(template, **context), status


def keep_address_on_writes(response):
    """A write answered in place (a form with its errors, a refusal) leaves the address
    bar alone: for a boosted form htmx would push the POST's URL, and F5 there is a 405."""
    if request.htmx and request.method not in ("GET", "HEAD") and not 300 <= response.status_code < 400:
        response.headers.setdefault("HX-Push-Url", "false")
    return response


def mark_document_page() -> str:
    """Called by printing/base.html: this response is a party document with its own
    stylesheet and no application chrome."""
    g.document_page = True
    return ""


def load_documents_in_full(response):
    """A boosted click on a link to a print page would swap the document's body into the
    application page without the document's stylesheet (htmx merges no <head>): have
    htmx load it as a whole page instead."""
    if g.get("document_page") and request.htmx.boosted and request.method == "GET":
        response.headers["HX-Redirect"] = request.full_path.rstrip("?")
    return response


def init_app(app):
    app.after_request(keep_address_on_writes)
    app.after_request(load_documents_in_full)
    app.jinja_env.globals["mark_document_page"] = mark_document_page
