"""What the stream announces of home feeds, and how an announcement is read back for one
socket (the app API's ``update`` and ``delete``): by the home feed's own rules."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from social.domain.feed.model import FeedItemKind
from social.domain.notifications.model import StreamEvent
from social.domain.shared.identity import Viewer
from tests.unit.feed.conftest import run_feed_jobs
from tests.unit.feed.test_home_feed import post
from tests.unit.harness import Accounts


async def _next(events: AsyncIterator[StreamEvent], name: str) -> StreamEvent:
    async with asyncio.timeout(1):
        async for event in events:
            if event.event == name:
                return event
    raise AssertionError(f"no {name} event")


async def test_an_announced_post_is_shown_as_the_feed_shows_it(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await accounts.follow_user.execute(bob, "alice")
    await run_feed_jobs(accounts)
    async with accounts.uc.fan_out._stream.subscribe(bob.user_id) as events:
        post_id = await post(accounts, alice, "hello")
        await run_feed_jobs(accounts)
        announced = await _next(events, "feed_item")
    view = await accounts.home_feed.pushed(bob, announced)
    assert view is not None and view.post.state.id == post_id and view.shared_by is None
    assert view.entry.kind is FeedItemKind.POST
    assert view.entry.post_author_id == alice.user_id  # read from the post, not the event

    await accounts.mute_user.execute(bob, "alice")
    assert await accounts.home_feed.pushed(bob, announced) is None  # the feed hides it now
    _, _, carol = await accounts.sign_up("carol")
    assert await accounts.home_feed.pushed(carol, announced) is None  # carol follows nobody


async def test_an_announced_share_keeps_its_sharer(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    await accounts.follow_user.execute(carol, "bob")
    await run_feed_jobs(accounts)
    original = await post(accounts, alice, "worth sharing")
    async with accounts.uc.fan_out._stream.subscribe(carol.user_id) as events:
        await accounts.share_post.execute(bob, original)
        await run_feed_jobs(accounts)
        announced = await _next(events, "feed_item")
    view = await accounts.home_feed.pushed(carol, announced)
    assert view is not None and view.shared_by is not None
    assert view.entry.kind is FeedItemKind.SHARE and view.post.state.id == original
    assert view.entry.post_author_id == alice.user_id


async def test_a_deleted_post_is_announced_to_its_author_and_followers(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await accounts.follow_user.execute(bob, "alice")
    post_id = await post(accounts, alice, "soon gone")
    await run_feed_jobs(accounts)
    stream = accounts.uc.fan_out._stream
    heard: dict[str, StreamEvent] = {}

    async def listen(viewer: Viewer, name: str) -> None:
        async with stream.subscribe(viewer.user_id) as events:
            ready.set()
            heard[name] = await _next(events, "feed_item_removed")

    tasks = []
    for viewer, name in ((alice, "alice"), (bob, "bob")):
        ready = asyncio.Event()
        tasks.append(asyncio.create_task(listen(viewer, name)))
        await ready.wait()  # subscribed before anything is published
    await accounts.delete_post.execute(alice, post_id)
    await run_feed_jobs(accounts)
    await asyncio.wait_for(asyncio.gather(*tasks), 1)
    assert {name: event.data for name, event in heard.items()} == {
        "alice": {"id": str(post_id)},
        "bob": {"id": str(post_id)},
    }


async def test_a_malformed_announcement_shows_nothing(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    bad = StreamEvent("feed_item", {"id": "not a uuid"})
    assert await accounts.home_feed.pushed(alice, bad) is None
