"""What the read model needs: a fresh overlay from the database, presentations from a cache."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol
from uuid import UUID

from social.domain.reads.model import Comment, Overlay, Presentations
from social.domain.shared.pagination import Cursor, Page, PageRequest, RankCursor

__all__ = ["Listings", "PresentedViews", "ViewerOverlay"]


class ViewerOverlay(Protocol):
    """The database's answer for one page, in one round trip (PostgreSQL in production)."""

    async def overlay(
        self,
        viewer_id: UUID | None,
        post_ids: Collection[UUID] = (),
        account_ids: Collection[UUID] = (),
        share_ids: Collection[UUID] = (),
    ) -> Overlay:
        """The state of these posts and of their authors and of these accounts (whatever their
        status: the rules decide), the viewer's ties to every account and flags on every post
        (none without a viewer), and which of these shares still stand. What does not exist
        is left out."""
        ...

    async def account_named(self, viewer_id: UUID | None, username: str) -> Overlay:
        """The same for the account with this (normalized) username: empty if there is none."""
        ...


class PresentedViews(Protocol):
    """Presentations of posts and accounts by ``(id, revision)``: a cache in front of the
    database (Redis in production, process memory embedded), filled on a miss in a fixed
    number of statements whatever the batch. A key names one version for good, so entries are
    never invalidated, only left to expire; an entry also expires before the signed media URLs
    in it do."""

    async def present(
        self,
        posts: Collection[tuple[UUID, int]] = (),
        accounts: Collection[tuple[UUID, int]] = (),
    ) -> Presentations:
        """One presentation per id asked (of that revision or a newer one); ids that no longer
        exist are left out."""
        ...


class Listings(Protocol):
    """What a list page shows, before the rules: the ids in order (comments whole), one
    statement each and outside any unit of work. Each keyset page continues strictly after its
    cursor, so items added meanwhile never repeat or skip one."""

    async def posts_by_author(
        self, author_id: UUID, page: PageRequest[Cursor]
    ) -> Page[UUID, Cursor]:
        """The author's posts, newest first (the profile grid)."""
        ...

    async def posts_by_author_tagged(
        self, author_id: UUID, tag: str, page: PageRequest[Cursor]
    ) -> Page[UUID, Cursor]:
        """The author's posts carrying ``tag`` (normalized), newest first."""
        ...

    async def public_posts_tagged(self, tag: str, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        """Posts of public, active accounts carrying ``tag`` (normalized), newest first."""
        ...

    async def count_public_posts_tagged(self, tag: str, *, at_most: int) -> int:
        """How many posts ``public_posts_tagged`` lists, counting no further than ``at_most``
        (so the answer is ``min(count, at_most)`` and its cost bounded)."""
        ...

    async def popular_posts_since(
        self, since: datetime, page: PageRequest[RankCursor]
    ) -> Page[UUID, RankCursor]:
        """Posts of public, active accounts created after ``since``, most engaging first
        (``engagement``: likes, comments and shares), ties by id; the cursor carries the rank."""
        ...

    async def suggested_posts(
        self, viewer_id: UUID, since: datetime, page: PageRequest[RankCursor]
    ) -> Page[UUID, RankCursor]:
        """Posts of public, active accounts created after ``since`` that are not in the
        viewer's home feed (not theirs, not by an account they follow, not shared by one) and
        that they have not liked or shared, with no block or mute between viewer and author
        either way; highest ``discovery.suggested_posts.suggestion_score`` first (engagement
        boosted by the viewer's tags and authors), ties by id; the cursor carries the score.
        Only the candidates ``discovery.suggested_posts`` names are scored (at most
        ``CandidateBounds`` of each kind): the list is exact at the top, then partial."""
        ...

    async def bookmarked_posts(
        self, user_id: UUID, page: PageRequest[Cursor]
    ) -> Page[UUID, Cursor]:
        """The posts the user saved, most recently saved first."""
        ...

    async def liked_posts(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        """The posts the user likes, most recently liked first."""
        ...

    async def likers(self, post_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        """The accounts that like the post, most recent like first."""
        ...

    async def sharers(self, post_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        """The accounts that share the post, most recent share first."""
        ...

    async def followers(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        """The accounts following ``user_id``, most recent follow first."""
        ...

    async def following(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        """The accounts ``user_id`` follows, most recent follow first."""
        ...

    async def blocked(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        """The accounts ``user_id`` blocks, most recent block first."""
        ...

    async def muted(self, user_id: UUID, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        """The accounts ``user_id`` mutes, most recent mute first."""
        ...

    async def comments(
        self, post_id: UUID, parent_id: UUID | None, page: PageRequest[Cursor]
    ) -> Page[Comment, Cursor]:
        """Top-level comments of the post (``parent_id`` None) or the replies to one, oldest
        first, so a conversation reads in order."""
        ...

    async def comment(self, comment_id: UUID) -> Comment | None: ...

    async def comments_by_id(self, comment_ids: Collection[UUID]) -> dict[UUID, Comment]:
        """The comments that still exist among ``comment_ids``, by id (one statement)."""
        ...
