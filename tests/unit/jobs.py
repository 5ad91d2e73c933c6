"""Run the jobs the use cases queued on the fake store, as the worker would (in order)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from social.domain.notifications.model import NotificationKind
from social.domain.notifications.notify import NotifyCommand
from tests.unit.accounts.conftest import Accounts

__all__ = ["run_jobs"]


def _notify_command(args: dict[str, Any]) -> NotifyCommand:
    def maybe(name: str) -> UUID | None:
        return UUID(args[name]) if args.get(name) else None

    return NotifyCommand(
        kind=NotificationKind(args["kind"]),
        actor_id=UUID(args["actor_id"]),
        post_id=maybe("post_id"),
        comment_id=maybe("comment_id"),
        user_id=maybe("user_id"),
    )


async def run_jobs(accounts: Accounts, *names: str) -> None:
    """Run the queued jobs (only those named, when names are given) since the last call."""
    jobs = accounts.store.jobs
    start: int = getattr(accounts.store, "jobs_run", 0)
    accounts.store.jobs_run = len(jobs)  # type: ignore[attr-defined]
    uc = accounts.uc
    for name, args in jobs[start:]:
        if names and name not in names:
            continue
        if name == "fan_out_post":
            await uc.fan_out.post(UUID(args["post_id"]))
        elif name == "fan_out_share":
            await uc.fan_out.share(UUID(args["share_id"]))
        elif name == "retract_feed_entry":
            await uc.retract_from_feeds.execute(UUID(args["entry_id"]), UUID(args["actor_id"]))
        elif name == "refresh_feed":
            await uc.refresh_feed.execute(UUID(args["owner_id"]))
        elif name == "drop_from_feed":
            await uc.drop_from_feed.execute(UUID(args["owner_id"]), UUID(args["actor_id"]))
        elif name == "notify":
            await uc.notify.execute(_notify_command(args))
        elif name == "withdraw_notifications":
            await uc.withdraw_notifications.execute(_notify_command(args))
