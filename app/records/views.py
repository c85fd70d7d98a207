"""Xác thực văn bản: a printed code answers which document and version it is. Open to
every logged-in user (the deny-by-default policy); it shows the document's identity and
history, never its text."""

from flask import Blueprint, request
from markupsafe import Markup

from app.records import queries
from app.records.services import VERIFY_PATH, normalise_code
from app.web.authz import signed_in
from app.web.htmx import render
from app.web.qr import qr_svg

bp = Blueprint("records", __name__, template_folder="templates")


@bp.app_template_global()
def verification_qr(code: str) -> Markup:
    """An inline SVG QR code of the verification path and code (drawn here, no network);
    the same code always draws the same bytes."""
    return qr_svg(f"{VERIFY_PATH}?code={code}", "Mã xác thực " + code)


@bp.get(VERIFY_PATH)
@signed_in()
def verify():
    typed = (request.args.get("code") or "").strip()[:60]
    code = normalise_code(typed)
    answer = queries.verification(code) if code else None
    # An unknown code is an answer, not a missing page: 200, so a boosted form swaps it in.
    return render("records/verify.html", typed=typed, code=code, answer=answer)
