"""Reading one's suggested accounts and dismissing one (DISC-1)."""

from __future__ import annotations

from dataclasses import dataclass

from social.domain.discovery.account_suggestions import ReasonKind, Suggestion
from social.domain.discovery.compute_suggestions import (
    ComputeAccountSuggestions,
    DebounceSuggestionRefresh,
)
from social.domain.discovery.ports import DiscoveryUnitOfWorkFactory
from social.domain.graph.lookup import find_visible_account
from social.domain.graph.model import AccountRef
from social.domain.reads.cards import Reads, show_accounts
from social.domain.reads.model import AccountCard
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Invalid
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Page, PageRequest, RankCursor

__all__ = ["DismissSuggestion", "ListSuggestedAccounts", "SuggestedAccount"]


@dataclass(frozen=True, slots=True)
class SuggestedAccount:
    account: AccountCard
    reason: str
    kind: ReasonKind
    """Which source put it there (the app API names it)."""


class ListSuggestedAccounts:
    """Rules: one read of the stored suggestions, by rank and cursor, leaving out (in that
    read) whom the viewer has followed, asked to follow, blocked, muted or dismissed since the
    computation, or who blocked or muted them, or is no longer active; then shown as cards
    through the read model (the visibility rules again). Suggestions never computed (a new
    account, or one idle long enough for the periodic job to drop them) are computed here
    once: bounded like the job, and next to nothing for a user who follows nobody.

    Refreshed when looked at: a first page read after the viewer followed someone (new friends
    of friends) is computed again first, at most once a debounce interval (``refresh``: within
    it, one refresh is queued for its end and the list as stored is shown). A follow costs no
    computation until its follower looks (computing after every follow was half of
    PostgreSQL's time under the mixed load test, mostly for users who never looked);
    unfollows, blocks and mutes need none (the read leaves them out), and the periodic job
    refreshes everyone's in time. Pages follow the stored ranks: a recomputation between two
    pages may repeat or skip some."""

    def __init__(
        self,
        *,
        uow: DiscoveryUnitOfWorkFactory,
        reads: Reads,
        compute: ComputeAccountSuggestions,
        refresh: DebounceSuggestionRefresh,
    ) -> None:
        self._uow = uow
        self._reads = reads
        self._compute = compute
        self._refresh = refresh

    async def execute(
        self, viewer: Viewer, page: PageRequest[RankCursor]
    ) -> Page[SuggestedAccount, RankCursor]:
        found = await self._stored(viewer, page)
        if found is None:
            await self._compute.execute(viewer.user_id)
            found = await self._stored(viewer, page) or Page(items=[], next_cursor=None)
        elif (
            page.after is None
            and await self._followed_since(viewer)
            and await self._refresh.execute(viewer.user_id) is not None
        ):  # computed again now (else put off: the list as stored)
            found = await self._stored(viewer, page) or Page(items=[], next_cursor=None)
        shown = await show_accounts(self._reads, viewer, [s.candidate_id for s in found.items])
        cards = {card.state.id: card for card in shown}
        items = [
            SuggestedAccount(cards[s.candidate_id], s.reason, s.kind)
            for s in found.items
            if s.candidate_id in cards
        ]
        return Page(items=items, next_cursor=found.next_cursor)

    async def _followed_since(self, viewer: Viewer) -> bool:
        async with self._uow() as uow:
            return await uow.suggestions.followed_since_run(viewer.user_id)

    async def _stored(
        self, viewer: Viewer, page: PageRequest[RankCursor]
    ) -> Page[Suggestion, RankCursor] | None:
        async with self._uow() as uow:
            return await uow.suggestions.page(viewer.user_id, page)


class DismissSuggestion:
    """Rules: the account must exist and be visible to the viewer (else not found); nobody
    dismisses themselves; dismissing again changes nothing; a dismissed account is never
    suggested to the viewer again (it leaves the stored list at once)."""

    def __init__(self, *, uow: DiscoveryUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, viewer: Viewer, account: AccountRef) -> None:
        async with self._uow() as uow:
            target, _ = await find_visible_account(uow, viewer, account)
            if target.id == viewer.user_id:
                raise Invalid.field("username", "you cannot dismiss yourself")
            await uow.suggestions.dismiss(viewer.user_id, target.id, self._clock.now())
            await uow.commit()
