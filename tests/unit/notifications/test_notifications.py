"""Events become notifications, on fakes (NOTIF-1), and reach open streams (NOTIF-2)."""

from __future__ import annotations

import asyncio

from social.domain.interactions.comment_on_post import CommentCommand
from social.domain.notifications.model import StreamEvent
from social.domain.posts.create_post import CreatePostCommand
from social.domain.profiles.update_profile import UpdateProfileCommand
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import PageRequest
from tests.fakes.media import FAKE_IMAGE
from tests.fakes.reads import shown
from tests.unit.harness import Accounts, ready_media


async def a_post(accounts: Accounts, author: Viewer, caption: str = "hello") -> object:
    media = await ready_media(accounts, author, FAKE_IMAGE)
    view = await accounts.create_post.execute(author, CreatePostCommand(caption, (media.id,)))
    return view.state.id


async def kinds(accounts: Accounts, viewer: Viewer) -> list[tuple[str, str]]:
    await accounts.run_jobs()
    page = await accounts.list_notifications.execute(viewer, PageRequest())
    return [(v.notification.kind.value, shown(v.actor)["username"]) for v in page.items]


async def test_each_kind_reaches_the_right_person_once(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    post = await a_post(accounts, alice, "with @carol and @nobody")
    await accounts.follow_user.execute(bob, "alice")
    await accounts.like_post.execute(bob, post)
    await accounts.unlike_post.execute(bob, post)
    await accounts.like_post.execute(bob, post)  # again: still one like notification
    top = await accounts.comment_on_post.execute(bob, post, CommentCommand("nice @carol"))
    accounts.clock.advance(seconds=1)
    await accounts.comment_on_post.execute(
        carol, post, CommentCommand("thanks", parent_id=top.comment.id)
    )
    await accounts.share_post.execute(carol, post)
    assert sorted(await kinds(accounts, alice)) == [
        ("comment", "bob"),
        ("comment", "carol"),
        ("follow", "bob"),
        ("like", "bob"),
        ("share", "carol"),
    ]
    assert sorted(await kinds(accounts, bob)) == [("reply", "carol")]
    assert sorted(await kinds(accounts, carol)) == [("mention", "alice"), ("mention", "bob")]


async def test_never_for_ones_own_actions_nor_from_blocked_or_muted(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    post = await a_post(accounts, alice)
    await accounts.like_post.execute(alice, post)
    await accounts.mute_user.execute(alice, "bob")
    await accounts.like_post.execute(bob, post)
    await accounts.comment_on_post.execute(carol, post, CommentCommand("first"))
    await accounts.block_user.execute(alice, "carol")
    await accounts.run_jobs()  # the comment's job runs after the block
    assert await kinds(accounts, alice) == []


async def test_undoing_takes_the_notification_back(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    post = await a_post(accounts, alice)
    await accounts.like_post.execute(bob, post)
    await accounts.follow_user.execute(bob, "alice")
    comment = await accounts.comment_on_post.execute(bob, post, CommentCommand("hi"))
    assert len(await kinds(accounts, alice)) == 3
    await accounts.unlike_post.execute(bob, post)
    await accounts.unfollow_user.execute(bob, "alice")
    await accounts.delete_comment.execute(bob, comment.comment.id)
    assert await kinds(accounts, alice) == []
    await accounts.like_post.execute(bob, post)
    assert await kinds(accounts, alice) == [("like", "bob")]
    await accounts.delete_post.execute(alice, post)
    assert await kinds(accounts, alice) == []


async def test_follow_requests_come_and_go_with_the_decision(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await accounts.update_profile.execute(alice, UpdateProfileCommand(is_private=True))
    await accounts.follow_user.execute(bob, "alice")
    assert await kinds(accounts, alice) == [("follow_request", "bob")]
    (request,) = (await accounts.list_follow_requests.execute(alice, PageRequest())).items
    await accounts.decide_follow_request.execute(alice, request.request.id, approve=True)
    assert await kinds(accounts, alice) == []


async def test_mentions_in_a_private_post_reach_followers_only(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await accounts.update_profile.execute(alice, UpdateProfileCommand(is_private=True))
    await a_post(accounts, alice, "hey @bob")
    assert await kinds(accounts, bob) == []


async def test_unread_count_and_marking_read(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    fans = [(await accounts.sign_up(f"fan{i}"))[2] for i in range(3)]
    for fan in fans:
        await accounts.follow_user.execute(fan, "alice")
        accounts.clock.advance(seconds=1)
    await accounts.run_jobs()
    assert await accounts.unread_count.execute(alice) == 3
    page = await accounts.list_notifications.execute(alice, PageRequest())
    middle = page.items[1].notification  # newest first: fan1
    assert await accounts.mark_notifications_read.execute(alice, middle.id) == 2
    assert await accounts.unread_count.execute(alice) == 1
    assert await accounts.mark_notifications_read.execute(alice) == 1
    assert await accounts.unread_count.execute(alice) == 0


async def test_a_new_notification_reaches_an_open_stream(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    stream = accounts.uc.notify._stream
    async with stream.subscribe(alice.user_id) as events:
        await accounts.follow_user.execute(bob, "alice")
        await accounts.run_jobs()
        event: StreamEvent = await asyncio.wait_for(anext(events), 1)
    assert event.event == "notification"
    assert event.data["kind"] == "follow" and event.data["actor"]["username"] == "bob"
