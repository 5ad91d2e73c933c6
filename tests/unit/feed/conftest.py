"""These tests reuse the accounts harness (one fake store, the real composition root), and run
the feed jobs the use cases queued, as the worker would."""

from __future__ import annotations

from tests.unit.accounts.conftest import Accounts, accounts
from tests.unit.jobs import run_jobs

__all__ = ["accounts", "run_feed_jobs"]

FEED_JOBS = (
    "fan_out_post",
    "fan_out_share",
    "retract_feed_entry",
    "refresh_feed",
    "drop_from_feed",
)


async def run_feed_jobs(accounts: Accounts) -> None:
    await run_jobs(accounts, *FEED_JOBS)
