"""These tests reuse the accounts harness (one fake store, the real composition root), and run
the feed jobs the use cases queued, as the worker would."""

from __future__ import annotations

from social.domain.shared.jobs import (
    DropActorFromFeed,
    FanOutPost,
    FanOutShare,
    RefreshHomeFeed,
    RetractFeedEntry,
)
from tests.unit.accounts.conftest import Accounts, accounts

__all__ = ["accounts", "run_feed_jobs"]

FEED_JOBS = (FanOutPost, FanOutShare, RetractFeedEntry, RefreshHomeFeed, DropActorFromFeed)


async def run_feed_jobs(accounts: Accounts) -> None:
    await accounts.run_jobs(*FEED_JOBS)
