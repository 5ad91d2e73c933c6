"""The search-index port (OpenSearch in production, PostgreSQL in the embedded mode) and the
units of work that keep it in step with the database."""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable
from datetime import datetime
from typing import Protocol
from uuid import UUID

from social.domain.accounts.ports import UserRepository
from social.domain.posts.ports import PostRepository
from social.domain.search.changes import SearchSource
from social.domain.search.model import GeoPoint, PostDocument, TagCount, UserDocument
from social.domain.shared.pagination import Cursor, KeyCursor, Page, PageRequest, RankCursor
from social.domain.shared.ports import UnitOfWork
from social.domain.shared.search_changes import SearchChanges

__all__ = ["RebuildUnitOfWork", "SearchIndex", "SearchUnitOfWork"]


class SearchUnitOfWork(UnitOfWork, Protocol):
    """The transaction ``SyncSearchIndex`` works in: the outbox and the rows it is applied from."""

    @property
    def users(self) -> UserRepository: ...

    @property
    def posts(self) -> PostRepository: ...

    @property
    def search_changes(self) -> SearchChanges: ...


class RebuildUnitOfWork(UnitOfWork, Protocol):
    """The transaction ``RebuildSearchIndex`` reads each batch in."""

    @property
    def search_source(self) -> SearchSource: ...


class SearchIndex(Protocol):
    """Every adapter answers the same queries with the same results (the contract suite).

    Distances are great-circle distances in metres (``distance_m``: haversine on the mean Earth
    radius). An adapter may compute them its own way (OpenSearch uses its own arc computation on
    slightly quantized coordinates), so a distance may differ by less than 0.5 % between adapters;
    the posts found, and their order when their distances are well separated, must agree. A radius
    outside ``(0, MAX_RADIUS_KM]`` raises ``Invalid``; a document without a location never matches.
    """

    async def ensure_index(self) -> None:
        """Create the index (mappings, analyzers) if missing; safe to call at every start."""
        ...

    async def upsert(self, document: PostDocument) -> None:
        """Insert or replace the document of ``document.post_id``."""
        ...

    async def delete(self, post_id: UUID) -> None:
        """Remove the post's document; removing a missing one is not an error."""
        ...

    async def posts_by_tag(self, tag: str, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        """Ids of public posts carrying ``tag`` (case-insensitive, ``#`` optional), newest first,
        ties broken by id; the page's cursor continues strictly after its last item."""
        ...

    async def posts_near(
        self, center: GeoPoint, radius_km: float, page: PageRequest[RankCursor]
    ) -> Page[UUID, RankCursor]:
        """Ids of PUBLIC posts whose location lies within ``radius_km`` of ``center``
        (great-circle distance), nearest first, ties by id ascending; the next cursor is a
        ``RankCursor`` whose rank is the last item's distance in metres."""
        ...

    async def posts_near_recent(
        self, center: GeoPoint, radius_km: float, page: PageRequest[Cursor]
    ) -> Page[UUID, Cursor]:
        """The same set of posts as ``posts_near``, newest first by ``(created_at, id)`` like
        ``posts_by_tag``, with a ``Cursor``."""
        ...

    async def posts_matching(self, text: str, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        """Ids of PUBLIC posts whose caption matches every word of ``text`` — accents and case
        folded, English and Indonesian stems accepted (``"berlari"`` finds ``"lari"``,
        ``"running"`` finds ``"run"``) — newest first by ``(created_at, id)``. A text without
        any word gives an empty page."""
        ...

    async def posts_at_place(self, name: str, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        """Ids of PUBLIC posts whose place name contains every word of ``name`` (folded, no
        stemming: ``"bromo"`` finds ``"Mount Bromo"``), newest first."""
        ...

    async def upsert_user(self, user: UserDocument) -> None:
        """Insert or replace the account's document (only active accounts are indexed)."""
        ...

    async def delete_user(self, user_id: UUID) -> None:
        """Remove the account's document; removing a missing one is not an error."""
        ...

    async def users_by_prefix(
        self, prefix: str, page: PageRequest[KeyCursor]
    ) -> Page[UUID, KeyCursor]:
        """Accounts whose username starts with ``prefix`` (case-insensitive, ``@`` optional) or
        one of whose display-name words does (folded), ordered by username; the cursor is the
        last username. A blank prefix gives an empty page."""
        ...

    async def tags_by_prefix(self, prefix: str, limit: int) -> list[TagCount]:
        """Tags of PUBLIC posts starting with ``prefix`` (normalized like tags), with how many
        public posts carry each, most used first, ties by name; at most ``limit``."""
        ...

    async def trending_tags(self, since: datetime, limit: int) -> list[TagCount]:
        """The tags most used by PUBLIC posts created after ``since``, with those counts, most
        used first, ties by name; at most ``limit``."""
        ...

    async def tag_count(self, tag: str) -> int:
        """How many PUBLIC posts carry ``tag`` (normalized)."""
        ...

    async def rebuild(
        self,
        posts: AsyncIterable[PostDocument],
        users: AsyncIterable[UserDocument],
        progress: Callable[[int], None],
    ) -> int:
        """Build a fresh index from these documents and switch every query to it at once; until
        the switch, queries and writes use the old one (no downtime). ``progress`` is called with
        the number of documents written so far; returns the total."""
        ...

    async def refresh(self) -> None:
        """Make every write so far visible to queries (near-real-time engines lag otherwise)."""
        ...
