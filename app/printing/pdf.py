"""The PDF of a print page: the same HTML, rendered by headless Chromium (the browser
the offices already print from), so the PDF and the printed page never differ."""

import os
import shutil
import subprocess
import tempfile

from flask import current_app


class PdfUnavailable(Exception):
    pass


def chromium_path() -> str | None:
    configured = current_app.config.get("CHROMIUM_PATH")
    for candidate in (configured, "/usr/bin/chromium", "/usr/bin/chromium-browser", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


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
            subprocess.run(command, capture_output=True, timeout=60, check=False)
        except subprocess.TimeoutExpired as error:
            raise PdfUnavailable("Tạo PDF quá thời gian.") from error
        if not os.path.exists(target):
            raise PdfUnavailable("Chromium không tạo được PDF.")
        with open(target, "rb") as pdf:
            return pdf.read()
