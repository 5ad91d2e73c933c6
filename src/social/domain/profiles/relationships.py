"""How the viewer stands towards several accounts at once (REL-1, REL-3), by id."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from social.domain.graph.model import Relationship, Ties
from social.domain.reads.cards import Reads
from social.domain.shared.identity import Viewer

__all__ = ["ListRelationships"]

NO_TIES = Ties()
MAX_ACCOUNTS = 100


class ListRelationships:
    """Rules: one entry per account asked, in the order asked (a repeated id once); accounts
    that do not exist or are no longer active are left out, and so is an account that blocks
    the viewer unless the viewer blocks it too (hidden from them, as everywhere: the viewer
    never learns it is blocked). The viewer's own account has no ties."""

    def __init__(self, *, reads: Reads) -> None:
        self._reads = reads

    async def execute(
        self, viewer: Viewer, account_ids: Sequence[UUID]
    ) -> list[tuple[UUID, Relationship]]:
        wanted = list(dict.fromkeys(account_ids))[:MAX_ACCOUNTS]
        if not wanted:
            return []
        overlay = await self._reads.overlay.overlay(viewer.user_id, account_ids=wanted)
        found: list[tuple[UUID, Relationship]] = []
        for account_id in wanted:
            account = overlay.accounts.get(account_id)
            if account is None or not account.is_active:
                continue
            ties = NO_TIES if account_id == viewer.user_id else overlay.ties.get(account_id)
            ties = ties or NO_TIES
            if ties.blocked_by and not ties.blocking:
                continue
            found.append((account_id, Relationship.from_ties(ties)))
        return found
