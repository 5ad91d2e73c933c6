"""What the push tests share: a post, a device, the pushes ``Notify`` queued, and running them
through the worker's registry."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from social.adapters.jobs.registry import run_job
from social.domain.notifications.jobs import DeliverPush
from social.domain.notifications.model import Notification
from social.domain.notifications.push_ports import PushSubscription
from social.domain.notifications.push_subscriptions import SubscribePushCommand
from social.domain.posts.create_post import CreatePostCommand
from social.domain.shared.identity import Viewer
from social.domain.shared.jobs import SendNotification
from tests.fakes.media import FAKE_IMAGE
from tests.fakes.push import RecordingPushSender, browser_keys
from tests.unit.harness import Accounts, ready_media

__all__ = [
    "TTL_S",
    "a_device",
    "a_post",
    "deliver",
    "notification",
    "payload",
    "queued_pushes",
]

TTL_S = 86_400  # the default push_ttl_s


async def a_post(accounts: Accounts, author: Viewer, caption: str = "hello") -> UUID:
    media = await ready_media(accounts, author, FAKE_IMAGE)
    view = await accounts.create_post.execute(author, CreatePostCommand(caption, (media.id,)))
    post_id: UUID = view.state.id
    return post_id


async def a_device(
    accounts: Accounts, viewer: Viewer, name: str = "phone", kinds: list[str] | None = None
) -> PushSubscription:
    p256dh, auth = browser_keys()
    command = SubscribePushCommand(f"https://push.example.net/{name}", p256dh, auth, kinds)
    device: PushSubscription = await accounts.subscribe_push.execute(viewer, command)
    return device


async def queued_pushes(accounts: Accounts) -> list[DeliverPush]:
    """Run the notification jobs queued so far; the pushes they queued (not run)."""
    await accounts.run_jobs(SendNotification)
    return [job for job in accounts.store.jobs if isinstance(job, DeliverPush)]


async def deliver(accounts: Accounts, jobs: list[DeliverPush]) -> list[Any]:
    return [await run_job(accounts.uc, job) for job in jobs]


def notification(accounts: Accounts, job: DeliverPush) -> Notification:
    return accounts.store.notifications[job.notification_id]


def payload(sender: RecordingPushSender, n: int = 0) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(sender.sent[n][1].payload)
    return found
