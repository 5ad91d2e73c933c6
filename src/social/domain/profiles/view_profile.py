"""Look at someone's profile by username or id (PROF-1, read side)."""

from __future__ import annotations

from social.domain.graph.model import AccountRef
from social.domain.reads.cards import Reads, show_account
from social.domain.reads.model import AccountCard
from social.domain.shared.identity import Viewer

__all__ = ["ViewProfile"]


class ViewProfile:
    """Rules: anyone, signed in or not, may see an active account's profile (counts included,
    also for private accounts); suspended and deleted accounts, and accounts blocking or blocked
    by the viewer, do not exist for the viewer. A signed-in viewer also gets the relationship."""

    def __init__(self, *, reads: Reads) -> None:
        self._reads = reads

    async def execute(self, viewer: Viewer | None, account: AccountRef) -> AccountCard:
        return await show_account(self._reads, viewer, account)
