"""What the read model needs: a fresh overlay from the database, presentations from a cache."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol
from uuid import UUID

from social.domain.reads.model import Overlay, Presentations

__all__ = ["PresentedViews", "ViewerOverlay"]


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
