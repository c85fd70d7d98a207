"""Sealed texts: the columns holding criticism notes, commitments, self-reviews and
year-end reviews load as `Sealed`, which refuses to become a string. A template, an
f-string, a log line or an export that reaches one raises instead of showing it; only
`app/criticism/reading.py` opens them, after checking who reads and auditing it."""

from sqlalchemy import Text, event
from sqlalchemy.orm import Mapper
from sqlalchemy.types import TypeDecorator


class SealedTextError(RuntimeError):
    """A sensitive text was about to be shown without going through the reading module."""


class Sealed:
    """A sensitive text. Compares, hashes and tests empty like the string it holds
    (services compare versions with it); never converts to one."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        self._value = value

    def _refuse(self, *args):
        raise SealedTextError("Nội dung mật chỉ được mở qua app/criticism/reading.py.")

    __str__ = __html__ = __format__ = __iter__ = __getitem__ = _refuse

    def __repr__(self) -> str:
        return "<Sealed text>"

    def __eq__(self, other) -> bool:
        if isinstance(other, Sealed):
            return self._value == other._value
        return isinstance(other, str) and self._value == other

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


def seal(value):
    return Sealed(value) if isinstance(value, str) else value


def unseal(value):
    """The string inside (for `app/criticism/reading.py` and the writes' own copies only)."""
    return value._value if isinstance(value, Sealed) else value


class SealedText(TypeDecorator):
    """A Text column whose values load sealed."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return unseal(value)

    def process_result_value(self, value, dialect):
        return seal(value)


@event.listens_for(Mapper, "mapper_configured")
def _seal_on_set(mapper, class_) -> None:
    """A text assigned in Python (a new note, an edit) is sealed at once, not only when
    loaded again."""
    for prop in mapper.column_attrs:
        if any(isinstance(getattr(column, "type", None), SealedText) for column in prop.columns):
            event.listen(getattr(class_, prop.key), "set", _seal_value, retval=True)


def _seal_value(target, value, oldvalue, initiator):
    return seal(value)
