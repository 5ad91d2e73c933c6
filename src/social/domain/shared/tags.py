"""How tags and search text are normalized: one rule for posts, tag pages and every index."""

from __future__ import annotations

import unicodedata

__all__ = ["fold", "normalize_tag", "normalize_tags"]


def fold(text: str) -> str:
    """Lower-case without accents (``"Café Ñoño"`` → ``"cafe nono"``): what every adapter
    compares, so a query finds a caption whatever accents either side typed."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def normalize_tag(tag: str) -> str:
    """``"#Sunset "`` → ``"sunset"``: applied to stored tags and to queries alike, so a lookup
    is case-insensitive and the ``#`` optional in every adapter."""
    return tag.strip().lstrip("#").lower()


def normalize_tags(tags: tuple[str, ...]) -> list[str]:
    """A document's tags normalized, without blanks or repeats, in their first-seen order."""
    return [tag for tag in dict.fromkeys(normalize_tag(tag) for tag in tags) if tag]
