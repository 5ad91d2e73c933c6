"""The accounts a caption mentions, by username (the app API gives each mention its id)."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from social.domain.reads.cards import Reads

__all__ = ["FindMentioned"]

MAX_NAMES = 20
"""Usernames looked up per call at most (one round trip each)."""


class FindMentioned:
    """Rules: an active account is found by its username whoever asks (a mention names it in
    the caption anyway); deleted and suspended accounts are not found."""

    def __init__(self, *, reads: Reads) -> None:
        self._reads = reads

    async def execute(self, usernames: Collection[str]) -> dict[str, UUID]:
        found: dict[str, UUID] = {}
        for username in list(usernames)[:MAX_NAMES]:
            name = username.strip().lower()
            overlay = await self._reads.overlay.account_named(None, name)
            account = next(iter(overlay.accounts.values()), None)
            if account is not None and account.is_active:
                found[username] = account.id
        return found
