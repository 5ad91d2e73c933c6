"""Web Push (NOTIF-3), on in every mode: the VAPID key from settings or, in the embedded mode,
generated once into the data directory at start-up; one sender (a shared HTTP session, closed
with the rest) and the endpoint guard, both under the same loopback rule."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

from social.adapters.push.endpoint_guard import PublicEndpointGuard
from social.adapters.push.vapid import VapidKey
from social.adapters.push.webpush import WebPushSender
from social.settings import Settings

__all__ = ["open_push"]


async def open_push(
    settings: Settings, stack: AsyncExitStack
) -> tuple[WebPushSender, PublicEndpointGuard]:
    push = settings.push
    vapid = await asyncio.to_thread(
        VapidKey.load, push.push_vapid_private_key, settings.process.data_dir
    )
    sender = WebPushSender(
        vapid,
        subject=push.push_vapid_subject or settings.base_url,
        timeout_s=push.push_timeout_s,
        allow_loopback=push.push_allow_loopback,
    )
    stack.push_async_callback(sender.close)
    return sender, PublicEndpointGuard(allow_loopback=push.push_allow_loopback)
