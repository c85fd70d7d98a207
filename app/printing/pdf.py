"""The PDF of a print page: the same HTML, rendered by headless Chromium (the browser
the offices already print from), so the PDF and the printed page never differ. Every
print's "Tải PDF" goes through `pdf_response` (GET prints) or `private_print` (prints
opened by POST)."""

import os
import shutil
import subprocess  # nosec B404  # runs Chromium with an argument list, never a shell
import tempfile

from flask import current_app, make_response, render_template, request
from markupsafe import Markup

from app.printing.slots import Busy, pdf_slot
from app.web.private import private_render


class PdfUnavailable(Exception):
    pass


def chromium_path() -> str | None:
    configured = current_app.config.get("CHROMIUM_PATH")
    for candidate in (configured, "/usr/bin/chromium", "/usr/bin/chromium-browser", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def _lower_priority() -> None:
    """Chromium yields the CPU to the workers serving pages."""
    os.nice(10)


def html_to_pdf(html: str) -> bytes:
    browser = chromium_path()
    if browser is None:
        raise PdfUnavailable("Máy chủ chưa cài Chromium để tạo PDF.")
    with tempfile.TemporaryDirectory(prefix="chibo-pdf-") as work:
        source = os.path.join(work, "page.html")
        target = os.path.join(work, "page.pdf")
        with open(source, "w", encoding="utf-8") as out:
            out.write(html)
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-extensions",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={os.path.join(work, 'profile')}",
            f"--print-to-pdf={target}",
            "file://" + source,
        ]
        try:
            subprocess.run(  # nosec B603  # argument list
                command, capture_output=True, timeout=60, check=False, preexec_fn=_lower_priority
            )
        except subprocess.TimeoutExpired as error:
            raise PdfUnavailable("Tạo PDF quá thời gian.") from error
        if not os.path.exists(target):
            raise PdfUnavailable("Chromium không tạo được PDF.")
        with open(target, "rb") as pdf:
            return pdf.read()


def _inline_css() -> Markup:
    css_path = os.path.join(current_app.static_folder, "css", "document.css")
    with open(css_path, encoding="utf-8") as css:
        stylesheet = css.read()
    return Markup(stylesheet)  # nosec B704  # our own stylesheet, no user content


BUSY = "Máy chủ đang tạo các bản PDF khác, vui lòng thử lại sau ít phút."


def pdf_response(template: str, filename: str, *, private: bool = False, **context):
    """The print page `template` rendered to a PDF download named `filename`. A private
    print (sensitive texts) is marked so that no cache keeps it. Without Chromium: a 503
    page pointing to the browser's own print."""
    html = render_template(template, pdf=True, inline_css=_inline_css(), **context)
    try:
        with pdf_slot():
            response = make_response(html_to_pdf(html))
    except (PdfUnavailable, Busy) as error:
        reason = str(error) if isinstance(error, PdfUnavailable) else BUSY
        response = make_response(
            render_template(
                "errors/error.html",
                code=503,
                message=f"{reason} Hãy dùng nút In của trình duyệt và chọn Lưu thành PDF.",
            ),
            503,
        )
        if isinstance(error, Busy):
            response.headers["Retry-After"] = "30"
    else:
        response.headers["Content-Type"] = "application/pdf"
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response.headers["Cache-Control"] = "no-store, private"
        response.headers["Pragma"] = "no-cache"
    return response


def private_print(template: str, filename: str, **context):
    """A print opened by POST because it shows sensitive texts (app/web/private.py): the
    page, whose "Tải PDF" button posts back to the same address with format=pdf in the
    body, or that PDF. Neither is cached."""
    if request.form.get("format") == "pdf":
        return pdf_response(template, filename, private=True, **context)
    return private_render(template, pdf=False, pdf_post=request.path, **context)
