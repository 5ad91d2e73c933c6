"""People search for OpenSearch: the users index's documents and the prefix query."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from social.domain.search.model import UserDocument
from social.domain.shared.pagination import KeyCursor, Page, PageRequest, page_of
from social.domain.shared.tags import fold

__all__ = ["user_source", "users_by_prefix", "users_page"]

_NAME_WORD = re.compile(r"[^\W_]+")


def user_source(user: UserDocument) -> dict[str, Any]:
    return {
        "user_id": str(user.user_id),
        "username": user.username,
        "display_name": user.display_name,
    }


def users_by_prefix(prefix: str, page: PageRequest[KeyCursor]) -> dict[str, Any] | None:
    """A ``prefix`` on the folded username OR every word a display-name word prefix (the
    edge n-grams), sorted by username with ``search_after``; ``None`` for a blank prefix."""
    wanted = fold(prefix).strip().lstrip("@").strip()
    if not wanted:
        return None
    either: list[dict[str, Any]] = [{"prefix": {"username.folded": wanted}}]
    words = _NAME_WORD.findall(wanted)
    if words:
        name = {"query": " ".join(words), "operator": "and"}
        either.append({"match": {"display_name.prefixes": name}})
    body: dict[str, Any] = {
        "size": page.limit + 1,
        "_source": False,
        "track_total_hits": False,
        "query": {"bool": {"filter": [{"bool": {"should": either, "minimum_should_match": 1}}]}},
        "sort": [{"username": {"order": "asc"}}],
    }
    if page.after is not None:
        body["search_after"] = [page.after.key]
    return body


def users_page(hits: list[dict[str, Any]], limit: int) -> Page[UUID, KeyCursor]:
    return page_of(hits, limit, _user_id, _username_cursor)


def _user_id(hit: dict[str, Any]) -> UUID:
    return UUID(hit["_id"])


def _username_cursor(hit: dict[str, Any]) -> KeyCursor:
    return KeyCursor(key=str(hit["sort"][0]))
