"""What goes over the wire: compressed responses and long-cached static files.

Pages, htmx fragments and JSON are compressed by Flask-Compress (brotli or gzip, as
the browser asks). Static files are read once when the app starts: each gets a
content hash that `url_for('static', …)` appends (`/static/css/app.css?v=<hash>`), so
a changed file has a new URL and the URL with the current hash can be cached for a
year; their brotli and gzip bodies are made once per process, at the best level."""

import gzip
import hashlib
import mimetypes
import os

import brotli
from flask import current_app, request, session
from flask_compress import Compress

IMMUTABLE = "public, max-age=31536000, immutable"
# Text only: PDF, XLSX, DOCX, images and uploads are compressed already, so they pass.
COMPRESSED_TYPES = (
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
)
ENCODINGS = ("br", "gzip")  # the server's preference when the browser accepts both


class Asset:
    """One file of the static folder, in memory: its bytes, hash and compressed bodies."""

    def __init__(self, filename: str, data: bytes):
        self.version = hashlib.sha256(data).hexdigest()[:12]
        self.mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        self.compressible = self.mimetype in COMPRESSED_TYPES
        self._bodies = {None: data}

    def body(self, encoding: str | None) -> bytes:
        if encoding not in self._bodies:  # once per process; a race only computes it twice
            data = self._bodies[None]
            if encoding == "br":
                self._bodies[encoding] = brotli.compress(data, quality=11)
            else:
                self._bodies[encoding] = gzip.compress(data, 9, mtime=0)
        return self._bodies[encoding]


def read_assets(folder: str) -> dict[str, Asset]:
    """Every file under `folder`, by its path as `url_for('static', filename=…)` names it."""
    assets = {}
    for directory, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(directory, name)
            with open(path, "rb") as file:
                assets[os.path.relpath(path, folder).replace(os.sep, "/")] = Asset(name, file.read())
    return assets


def add_version(endpoint: str, values: dict) -> None:
    """url_defaults: the static file's content hash in its URL."""
    if endpoint == "static" and "v" not in values:
        asset = current_app.extensions["static_assets"].get(values.get("filename"))
        if asset is not None:
            values["v"] = asset.version


def serve_static(filename: str):
    """The static view: the file as read at startup, compressed when the browser accepts
    it; a year's cache for the current hash, otherwise revalidated on each use. A file
    added since startup is served by Flask's own view."""
    asset = current_app.extensions["static_assets"].get(filename)
    if asset is None:
        return current_app.send_static_file(filename)
    encoding = request.accept_encodings.best_match(ENCODINGS) if asset.compressible else None
    response = current_app.response_class(asset.body(encoding), mimetype=asset.mimetype)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    if asset.compressible:
        response.vary.add("Accept-Encoding")
    response.set_etag(f"{asset.version}-{encoding}" if encoding else asset.version)
    response.headers["Cache-Control"] = IMMUTABLE if request.args.get("v") == asset.version else "no-cache"
    return response.make_conditional(request)


def static_needs_no_cookie(response):
    """Flask-Login reads the session after every request, and Flask then adds `Vary:
    Cookie`: a browser would fetch every static file again whenever the session cookie
    changes (each request updates it). A static file never depends on it."""
    if request.endpoint == "static":
        session.accessed = False
    return response


def init_app(app):
    """Call before any other after_request hook that may change the body: hooks run in
    reverse order, so the compression registered here runs last."""
    app.config.setdefault("COMPRESS_MIMETYPES", list(COMPRESSED_TYPES))
    app.config.setdefault("COMPRESS_ALGORITHM", list(ENCODINGS))
    app.config.setdefault("COMPRESS_STREAMS", False)  # nothing compressible is streamed
    # Pages are no-store and carry no validator; static files answer conditionally themselves.
    app.config.setdefault("COMPRESS_EVALUATE_CONDITIONAL_REQUEST", False)
    Compress(app)
    app.after_request(static_needs_no_cookie)  # registered before Flask-Login's: runs after it
    app.extensions["static_assets"] = read_assets(app.static_folder)
    app.url_defaults(add_version)
    app.view_functions["static"] = serve_static
