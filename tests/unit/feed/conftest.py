"""These tests reuse the accounts harness (one fake store, the real composition root), and run
the feed jobs the use cases queued, as the worker would."""

from __future__ import annotations

from uuid import UUID

from tests.unit.accounts.conftest import Accounts, accounts

__all__ = ["accounts", "run_feed_jobs"]


async def run_feed_jobs(accounts: Accounts) -> None:
    """Run the feed jobs queued since the last call, in order."""
    jobs = accounts.store.jobs
    start: int = getattr(accounts.store, "feed_jobs_run", 0)
    accounts.store.feed_jobs_run = len(jobs)  # type: ignore[attr-defined]
    for name, args in jobs[start:]:
        if name == "fan_out_post":
            await accounts.fan_out.post(UUID(args["post_id"]))
        elif name == "fan_out_share":
            await accounts.fan_out.share(UUID(args["share_id"]))
        elif name == "retract_feed_entry":
            await accounts.retract_from_feeds.execute(
                UUID(args["entry_id"]), UUID(args["actor_id"])
            )
        elif name == "refresh_feed":
            await accounts.refresh_feed.execute(UUID(args["owner_id"]))
        elif name == "drop_from_feed":
            await accounts.drop_from_feed.execute(UUID(args["owner_id"]), UUID(args["actor_id"]))
