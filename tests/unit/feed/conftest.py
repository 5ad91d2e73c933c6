"""The feed tests run the feed jobs the use cases queued, as the worker would (the ``accounts``
harness comes from ``tests/unit/conftest.py``)."""

from __future__ import annotations

from social.domain.shared.jobs import (
    DropActorFromFeed,
    FanOutPost,
    FanOutShare,
    RefreshHomeFeed,
    RetractFeedEntry,
)
from tests.unit.harness import Accounts

__all__ = ["run_feed_jobs"]

FEED_JOBS = (FanOutPost, FanOutShare, RetractFeedEntry, RefreshHomeFeed, DropActorFromFeed)


async def run_feed_jobs(accounts: Accounts) -> None:
    await accounts.run_jobs(*FEED_JOBS)
