"""The search-index port: OpenSearch in production, PostgreSQL in the embedded mode."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from social.domain.search.model import PostDocument
from social.domain.shared.pagination import Page, PageRequest

__all__ = ["SearchIndex"]


class SearchIndex(Protocol):
    """Every adapter answers the same queries with the same results (the contract suite)."""

    async def ensure_index(self) -> None:
        """Create the index (mappings, analyzers) if missing; safe to call at every start."""
        ...

    async def upsert(self, document: PostDocument) -> None:
        """Insert or replace the document of ``document.post_id``."""
        ...

    async def delete(self, post_id: UUID) -> None:
        """Remove the post's document; removing a missing one is not an error."""
        ...

    async def posts_by_tag(self, tag: str, page: PageRequest) -> Page[UUID]:
        """Ids of public posts carrying ``tag`` (case-insensitive, ``#`` optional), newest first,
        ties broken by id; the page's cursor continues strictly after its last item."""
        ...

    async def refresh(self) -> None:
        """Make every write so far visible to queries (near-real-time engines lag otherwise)."""
        ...
