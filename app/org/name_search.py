"""Member names found through an index (migration 0017): SQLite's FTS5 table with the
trigram tokenizer, PostgreSQL's pg_trgm index on the same folded column.

A word of three letters or more matches anywhere in the name; a shorter one matches
the start of a word ("an" finds "An", "Anh", not "Lan"), which keeps it indexable.
A query needs one word of two letters or more: one-letter words alone would read
every member."""

from sqlalchemy import ColumnElement, column, literal_column, or_, select, table

from app.org.models import Member
from app.org.vietnamese import fold

FTS_TABLE = "members_fts"
_fts = table(FTS_TABLE, column("rowid"))
MIN_WORD = 2  # at least one word this long
TOO_SHORT = f"Nhập ít nhất {MIN_WORD} chữ cái của họ hoặc tên."


def search_words(text: str) -> list[str]:
    """The folded words typed, or none when no word is long enough to look up."""
    words = fold(text).split()
    return words if any(len(w) >= MIN_WORD for w in words) else []


def _word_matches(word: str) -> ColumnElement[bool]:
    name = Member.search_name
    if len(word) >= 3:
        return name.contains(word, autoescape=True)
    return or_(name.startswith(word, autoescape=True), name.contains(" " + word, autoescape=True))


def _fts_query(words: list[str]) -> str:
    """'"nguyen" AND " an"': every word as a phrase of trigrams (those of one letter are
    left to the LIKE that follows)."""
    phrases = [w if len(w) >= 3 else " " + w for w in words if len(w) >= MIN_WORD]
    return " AND ".join('"' + p.replace('"', '""') + '"' for p in phrases)


def is_narrow(paths: list[str] | None) -> bool:
    """Is a search confined to communes or smaller (subtrees three levels down)?"""
    return paths is not None and all(p.count("/") > 3 for p in paths)


def name_matches(words: list[str], dialect: str, narrow: bool = False) -> list[ColumnElement[bool]]:
    """Conditions on Member for names holding every word. On PostgreSQL the LIKEs use
    the trigram index; on SQLite the FTS5 table picks the rows and the LIKEs only check
    them. SQLite's planner always starts from the FTS5 table: in a `narrow` search the
    scope's few hundred members are fewer than a common name's matches across the city,
    so there the table's answer is only looked up (`id + 0` is no rowid to start from)."""
    conditions = [_word_matches(w) for w in words]
    if dialect == "sqlite":
        found = select(_fts.c.rowid).where(literal_column(FTS_TABLE).op("MATCH")(_fts_query(words)))
        conditions.insert(0, (Member.id + 0 if narrow else Member.id).in_(found))
    return conditions


def include_name(name, type_, parent_names) -> bool:
    """Alembic's filter: the FTS5 table and its shadow tables are not in the models."""
    return not (type_ == "table" and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_")))
