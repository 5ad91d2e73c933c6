"""A private account's owner lists the pending requests to follow it (REL-1)."""

from __future__ import annotations

from dataclasses import dataclass

from social.domain.graph.model import FollowRequest
from social.domain.profiles.ports import ProfilesUnitOfWorkFactory
from social.domain.reads.cards import Reads, show_accounts
from social.domain.reads.model import AccountCard
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest

__all__ = ["ListFollowRequests", "PendingRequest"]


@dataclass(frozen=True, slots=True)
class PendingRequest:
    request: FollowRequest
    requester: AccountCard


class ListFollowRequests:
    """Rules: only requests to the viewer, newest first; requests from accounts that are no
    longer active (or hidden by a block) are left out."""

    def __init__(self, *, uow: ProfilesUnitOfWorkFactory, reads: Reads) -> None:
        self._uow = uow
        self._reads = reads

    async def execute(
        self, viewer: Viewer, page: PageRequest[Cursor]
    ) -> Page[PendingRequest, Cursor]:
        async with self._uow() as uow:
            requests = await uow.graph.pending_requests(viewer.user_id, page)
        people = await show_accounts(
            self._reads, viewer, list(dict.fromkeys(r.requester_id for r in requests.items))
        )
        by_id = {card.state.id: card for card in people}
        items = [
            PendingRequest(request, by_id[request.requester_id])
            for request in requests.items
            if request.requester_id in by_id
        ]
        return Page(items=items, next_cursor=requests.next_cursor)
