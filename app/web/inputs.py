"""What a client may send: integer ids within the columns' range, texts without control
characters. Checked here once for every route, query argument and form field."""

import re

from flask import request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

from app.rules import CONTROL_CHARACTERS, CONTROL_MESSAGE

# Ids (and every other integer column) are 32-bit INTEGER on PostgreSQL.
MAX_INT = 2**31 - 1
MIN_INT = -(2**31)

# NUL cannot be stored on PostgreSQL at all; no control character belongs in a typed
# text. A single-line text refuses tab and line breaks too.
SINGLE_LINE_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def has_control_characters(text: str, multiline: bool = True) -> bool:
    """True when `text` holds a control character; a single-line text also refuses
    tab and line breaks."""
    return (CONTROL_CHARACTERS if multiline else SINGLE_LINE_CONTROL).search(text) is not None


def in_int_range(value) -> bool:
    return MIN_INT <= value <= MAX_INT


class IdConverter(IntegerConverter):
    """The app's `<int:…>`: a number above the INTEGER range matches no route (404)
    instead of overflowing the database driver."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INT, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


class BoundedParameters(ImmutableMultiDict):
    """Query and form values where `get(name, type=int)` treats a number outside the
    INTEGER range like a non-number: the default (and `getlist` drops it)."""

    def get(self, key, default=None, type=None):
        value = super().get(key, default, type)
        if type is int and value is not default and not in_int_range(value):
            return default
        return value

    def getlist(self, key, type=None):
        values = super().getlist(key, type)
        return [v for v in values if in_int_range(v)] if type is int else values


def sends_control_characters(req) -> bool:
    """True when a query argument, form field or uploaded file's name holds a control
    character other than tab and line breaks."""
    texts = [text for values in (req.args, req.form) for pair in values.items(multi=True) for text in pair]
    texts += [text for name, upload in req.files.items(multi=True) for text in (name, upload.filename or "")]
    return any(has_control_characters(text) for text in texts)


def init_app(app):
    """Before any blueprint is registered: the rules bind their converters when added."""
    from app.web.errors import refuse

    class BoundedRequest(app.request_class):  # htmx-flask's, with `request.htmx`
        parameter_storage_class = BoundedParameters

    app.request_class = BoundedRequest
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def refuse_control_characters():
        if sends_control_characters(request):
            return refuse(422, CONTROL_MESSAGE)
        return None
