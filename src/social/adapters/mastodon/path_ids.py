"""Ids in Mastodon paths and forms: our UUIDs as strings. A value that is not one names no
record, so it is a 404 like any unknown id (Mastodon's ``Record not found``)."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from social.domain.shared.errors import NotFound

__all__ = ["known_ids", "parse_id", "path_id"]


def parse_id(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def path_id(text: str) -> UUID:
    found = parse_id(text)
    if found is None:
        raise NotFound("Record not found")
    return found


def known_ids(texts: Iterable[str]) -> list[UUID]:
    """The well-formed ids among ``texts``, in order (the others name nothing)."""
    return [found for text in texts if (found := parse_id(text)) is not None]
