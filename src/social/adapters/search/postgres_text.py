"""Full text in core PostgreSQL: ``tsvector`` columns written with the row, GIN-indexed.

Accents are folded in Python (the domain's ``fold``) before ``to_tsvector`` and before every
query, since ``unaccent`` is a contrib extension the embedded PostgreSQL lacks. A caption's vector
holds its words in the ``simple``, ``english`` and ``indonesian`` configurations at once, and a
query is the OR of its three ``plainto_tsquery``: a document matches when all the query's words
match in one configuration (``"running"`` → ``run``, ``"berlari"`` → ``lari``).
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, SQLColumnExpression, Text, and_, func, literal, literal_column
from sqlalchemy.dialects.postgresql import REGCONFIG

from social.domain.shared.tags import fold

__all__ = [
    "caption_vector",
    "has_words",
    "matches_all_words",
    "matches_word_prefixes",
    "simple_vector",
    "starts_with",
]

_CAPTION_CONFIGS = ("simple", "english", "indonesian")
_WORD = re.compile(r"\w+")
_PREFIX_WORD = re.compile(r"[^\W_]+")
"""Letters and digits only: safe to quote as a ``tsquery`` lexeme, split like every engine."""
_LIKE_SPECIAL = re.compile(r"([\\%_])")
_MAX_CODE_POINT = 0x10FFFF
_SURROGATES = range(0xD800, 0xE000)


def has_words(text: str) -> bool:
    """A query with no word at all matches nothing (``"!!!"``, ``"  "``)."""
    return _WORD.search(fold(text)) is not None


def caption_vector(folded: ColumnElement[str]) -> ColumnElement[str]:
    """The vector of an already folded caption (a bound parameter): all three configurations."""
    vectors = [func.to_tsvector(_config(name), folded) for name in _CAPTION_CONFIGS]
    combined: ColumnElement[str] = vectors[0]
    for vector in vectors[1:]:
        combined = combined.op("||")(vector)
    return combined


def simple_vector(folded: ColumnElement[str]) -> ColumnElement[str]:
    """Folded words, no stemming: place names and display names."""
    return func.to_tsvector(_config("simple"), folded)


def matches_all_words(
    vector: SQLColumnExpression[str], text: str, *, stemmed: bool
) -> ColumnElement[bool]:
    """``vector @@ (q_simple || q_english || q_indonesian)`` (one GIN scan), or ``simple`` only."""
    folded = literal(fold(text), Text)
    names = _CAPTION_CONFIGS if stemmed else ("simple",)
    queries = [func.plainto_tsquery(_config(name), folded) for name in names]
    combined: ColumnElement[str] = queries[0]
    for query in queries[1:]:
        combined = combined.op("||")(query)
    return vector.bool_op("@@")(combined)


def matches_word_prefixes(
    vector: SQLColumnExpression[str], text: str
) -> ColumnElement[bool] | None:
    """Every word of ``text`` starts one of the vector's words: ``'word':* & …``; ``None`` when
    ``text`` has no letter or digit."""
    words = _PREFIX_WORD.findall(fold(text))
    if not words:
        return None
    query = " & ".join(f"'{word}':*" for word in words)
    return vector.bool_op("@@")(func.to_tsquery(_config("simple"), literal(query, Text)))


def starts_with(column: SQLColumnExpression[str], prefix: str) -> ColumnElement[bool]:
    """``LIKE 'prefix%'`` (escaped), plus the byte-order range it implies written with the
    ``text_pattern_ops`` operators, so the index serves it even from a generic plan."""
    pattern = _LIKE_SPECIAL.sub(r"\\\1", prefix) + "%"
    conditions = [column.bool_op("~>=~")(literal(prefix, Text))]
    upper = _successor(prefix)
    if upper is not None:
        conditions.append(column.bool_op("~<~")(literal(upper, Text)))
    return and_(*conditions, column.like(pattern, escape="\\"))


def _successor(prefix: str) -> str | None:
    """The least string above every string starting with ``prefix`` (UTF-8 byte order is code
    point order), or ``None`` when there is none to write."""
    if not prefix or ord(prefix[-1]) == _MAX_CODE_POINT:
        return None
    following = ord(prefix[-1]) + 1
    if following in _SURROGATES:
        following = _SURROGATES.stop
    return prefix[:-1] + chr(following)


def _config(name: str) -> ColumnElement[str]:
    return literal_column(f"'{name}'", REGCONFIG)
