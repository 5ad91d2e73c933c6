"""An in-memory ``SearchIndex``: the contract suite holds it to the real adapters' answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from uuid import UUID

from social.domain.search.model import PostDocument, Visibility, normalize_tag
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["InMemorySearchIndex"]


class InMemorySearchIndex:
    """Stores documents by post id; queries see every write at once, like PostgreSQL does."""

    def __init__(self) -> None:
        self.documents: dict[UUID, PostDocument] = {}

    async def ensure_index(self) -> None:
        """Nothing to create."""

    async def upsert(self, document: PostDocument) -> None:
        tags = tuple(t for t in dict.fromkeys(normalize_tag(t) for t in document.tags) if t)
        self.documents[document.post_id] = replace(document, tags=tags)

    async def delete(self, post_id: UUID) -> None:
        self.documents.pop(post_id, None)

    async def posts_by_tag(self, tag: str, page: PageRequest) -> Page[UUID]:
        wanted = normalize_tag(tag)
        keys = sorted(
            (
                (doc.created_at.astimezone(UTC), doc.post_id)
                for doc in self.documents.values()
                if wanted and wanted in doc.tags and doc.visibility is Visibility.PUBLIC
            ),
            reverse=True,
        )
        if page.after is not None:
            after = (page.after.at, page.after.id)
            keys = [key for key in keys if key < after]
        items = keys[: page.limit]
        more = len(keys) > page.limit
        next_cursor = Cursor(at=items[-1][0], id=items[-1][1]) if more else None
        return Page(items=[post_id for _, post_id in items], next_cursor=next_cursor)

    async def refresh(self) -> None:
        """Writes are visible at once."""
