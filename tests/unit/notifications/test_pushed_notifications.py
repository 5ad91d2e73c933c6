"""A notification the stream pushed, read back for its recipient's socket (the app API's
``notification`` event): with its actor and what it is about, by the list's rules."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from uuid import UUID

from social.domain.interactions.comment_on_post import CommentCommand
from social.domain.interactions.read_status import CommentStatus
from social.domain.notifications.model import StreamEvent
from social.domain.notifications.ports import EventStream
from social.domain.reads.model import PostCard
from social.domain.shared.identity import Viewer
from social.domain.shared.notification_kinds import NotificationKind
from tests.unit.harness import Accounts
from tests.unit.notifications.test_notifications import a_post


async def pushed_to(accounts: Accounts, viewer: Viewer, action: Awaitable[object]) -> StreamEvent:
    """The notification event ``action`` makes reach ``viewer``'s stream."""
    stream: EventStream = accounts.uc.notify._stream
    async with stream.subscribe(viewer.user_id) as events:
        await action
        await accounts.run_jobs()
        async with asyncio.timeout(1):
            async for event in events:
                if event.event == "notification":
                    return event
    raise AssertionError("nothing pushed")


async def test_a_like_comes_with_its_actor_and_post(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    post_id = await a_post(accounts, alice)
    event = await pushed_to(accounts, alice, accounts.like_post.execute(bob, post_id))
    shown = await accounts.show_pushed_notification.execute(alice, event)
    assert shown is not None
    assert shown.view.notification.kind is NotificationKind.LIKE
    assert shown.view.notification.recipient_id == alice.user_id
    assert shown.view.actor.state.id == bob.user_id
    assert isinstance(shown.status, PostCard) and shown.status.state.id == post_id


async def test_a_comment_comes_with_the_comment_and_a_follow_with_nothing(
    accounts: Accounts,
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    post_id = await a_post(accounts, alice)
    assert isinstance(post_id, UUID)
    comment = accounts.comment_on_post.execute(bob, post_id, CommentCommand("nice"))
    event = await pushed_to(accounts, alice, comment)
    shown = await accounts.show_pushed_notification.execute(alice, event)
    assert shown is not None and isinstance(shown.status, CommentStatus)
    assert shown.status.comment.text == "nice" and shown.status.replied_to_id == alice.user_id

    followed = await pushed_to(accounts, alice, accounts.follow_user.execute(bob, "alice"))
    shown = await accounts.show_pushed_notification.execute(alice, followed)
    assert shown is not None and shown.status is None
    assert shown.view.notification.kind is NotificationKind.FOLLOW


async def test_nothing_is_shown_of_an_actor_blocked_since_or_a_post_gone(
    accounts: Accounts,
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    post_id = await a_post(accounts, alice)
    event = await pushed_to(accounts, alice, accounts.like_post.execute(bob, post_id))
    await accounts.delete_post.execute(alice, post_id)
    assert await accounts.show_pushed_notification.execute(alice, event) is None
    followed = await pushed_to(accounts, alice, accounts.follow_user.execute(bob, "alice"))
    await accounts.block_user.execute(alice, "bob")
    assert await accounts.show_pushed_notification.execute(alice, followed) is None
    bad = StreamEvent("notification", {"id": "x"})
    assert await accounts.show_pushed_notification.execute(alice, bad) is None
