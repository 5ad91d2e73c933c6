"""The accounts a user blocks and the ones they mute (PROF-3), each undone from the list with
the unblock and unmute of the profile."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID

from social.domain.graph.model import Ties
from social.domain.reads.cards import Reads, cards
from social.domain.reads.model import AccountCard
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["ListBlocks", "ListMutes"]

NO_TIES = Ties()


class ListBlocks:
    """Rules: only the viewer's own blocks, most recent first, by cursor; every account still
    active and still blocked (a block blocks both ways, so no other list can show them)."""

    def __init__(self, *, reads: Reads) -> None:
        self._reads = reads

    async def execute(self, viewer: Viewer, page: PageRequest[Cursor]) -> Page[AccountCard, Cursor]:
        ids = await self._reads.listings.blocked(viewer.user_id, page)
        return await _own_list(self._reads, viewer, ids, lambda ties: ties.blocking)


class ListMutes:
    """Rules: only the viewer's own mutes, most recent first, by cursor; accounts still active
    and still muted, except those that block the viewer (hidden from them, as everywhere) unless
    the viewer blocks them too."""

    def __init__(self, *, reads: Reads) -> None:
        self._reads = reads

    async def execute(self, viewer: Viewer, page: PageRequest[Cursor]) -> Page[AccountCard, Cursor]:
        ids = await self._reads.listings.muted(viewer.user_id, page)
        return await _own_list(
            self._reads, viewer, ids, lambda t: t.muting and (t.blocking or not t.blocked_by)
        )


async def _own_list(
    reads: Reads,
    viewer: Viewer,
    ids: Page[UUID, Cursor],
    keep: Callable[[Ties], bool],
) -> Page[AccountCard, Cursor]:
    """The page's accounts as cards, judged on the fresh overlay (an edge undone since the
    listing is left out); the cursor is kept, so the next page continues after the last id."""
    return Page(items=await _shown(reads, viewer, ids.items, keep), next_cursor=ids.next_cursor)


async def _shown(
    reads: Reads, viewer: Viewer, account_ids: Sequence[UUID], keep: Callable[[Ties], bool]
) -> list[AccountCard]:
    if not account_ids:
        return []
    overlay = await reads.overlay.overlay(viewer.user_id, account_ids=account_ids)
    accounts = overlay.accounts
    visible = [
        account
        for account_id in account_ids
        if (account := accounts.get(account_id)) is not None
        and account.is_active
        and keep(overlay.ties.get(account_id, NO_TIES))
    ]
    people = (await cards(reads.views, viewer, overlay, (), visible)).accounts
    return [people[a.id] for a in visible if a.id in people]
