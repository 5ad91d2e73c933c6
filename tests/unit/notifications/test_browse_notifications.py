"""Notifications as apps page them, on fakes: subjects, hidden ones left out, windows either
way, one by id, dismiss and clear (NOTIF-1)."""

from __future__ import annotations

from uuid import UUID

import pytest

from social.domain.interactions.comment_on_post import CommentCommand
from social.domain.notifications.browse_notifications import (
    NotificationBatch,
    NotificationItem,
    NotificationWindow,
)
from social.domain.posts.create_post import CreatePostCommand
from social.domain.profiles.update_profile import UpdateProfileCommand
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.notification_kinds import NotificationKind
from tests.fakes.media import FAKE_IMAGE
from tests.fakes.reads import shown
from tests.unit.harness import Accounts, ready_media


async def a_post(accounts: Accounts, author: Viewer, caption: str = "hello") -> UUID:
    media = await ready_media(accounts, author, FAKE_IMAGE)
    view = await accounts.create_post.execute(author, CreatePostCommand(caption, (media.id,)))
    post_id: UUID = view.state.id
    return post_id


async def browse(
    accounts: Accounts, viewer: Viewer, window: NotificationWindow | None = None
) -> list[NotificationItem]:
    await accounts.run_jobs()
    batch: NotificationBatch = await accounts.browse_notifications.execute(
        viewer, window or NotificationWindow()
    )
    return batch.items


def described(items: list[NotificationItem]) -> list[tuple[str, str]]:
    return [(i.notification.kind.value, shown(i.actor)["username"]) for i in items]


async def test_each_comes_with_its_subject(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    post = await a_post(accounts, alice)
    await accounts.follow_user.execute(bob, "alice")
    accounts.clock.advance(seconds=1)
    await accounts.like_post.execute(bob, post)
    accounts.clock.advance(seconds=1)
    top = await accounts.comment_on_post.execute(bob, post, CommentCommand("nice"))
    accounts.clock.advance(seconds=1)
    reply = await accounts.comment_on_post.execute(
        alice, post, CommentCommand("thanks", parent_id=top.comment.id)
    )
    commented, liked, followed = await browse(accounts, alice)
    assert (followed.post, followed.comment) == (None, None)
    assert liked.post is not None and liked.post.state.id == post and liked.comment is None
    assert commented.post is None and commented.comment is not None
    assert commented.comment.comment.id == top.comment.id
    assert commented.comment.answers_account_id == alice.user_id  # the post's author
    (replied,) = await browse(accounts, bob)
    assert replied.comment is not None and replied.comment.comment.id == reply.comment.id
    assert replied.comment.answers_account_id == bob.user_id  # the parent comment's author

    only = await browse(
        accounts, alice, NotificationWindow(kinds=frozenset({NotificationKind.LIKE}))
    )
    assert described(only) == [("like", "bob")]


async def test_hidden_subjects_and_actors_are_left_out(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    await a_post(accounts, carol, "with @alice")
    await accounts.follow_user.execute(bob, "alice")
    found = await browse(accounts, alice)
    assert sorted(described(found)) == [("follow", "bob"), ("mention", "carol")]
    mention = next(i for i in found if i.notification.kind is NotificationKind.MENTION)
    assert (await accounts.get_notification.execute(alice, mention.notification.id)).post
    # carol's account goes private: her post is no longer the viewer's to see
    await accounts.update_profile.execute(carol, UpdateProfileCommand(is_private=True))
    assert described(await browse(accounts, alice)) == [("follow", "bob")]
    with pytest.raises(NotFound):
        await accounts.get_notification.execute(alice, mention.notification.id)
    await accounts.block_user.execute(alice, "bob")  # the actor hidden since
    assert await browse(accounts, alice) == []


async def test_windows_one_dismiss_and_clear(accounts: Accounts) -> None:
    _, _, star = await accounts.sign_up("star")
    fans = [(await accounts.sign_up(f"fan{i}"))[2] for i in range(5)]
    for fan in fans:
        await accounts.follow_user.execute(fan, "star")
        accounts.clock.advance(seconds=1)
    everything = await browse(accounts, star, NotificationWindow(limit=10))
    ids = [i.notification.id for i in everything]
    assert described(everything) == [("follow", f"fan{i}") for i in reversed(range(5))]

    batch = await accounts.browse_notifications.execute(star, NotificationWindow(limit=2))
    assert [i.notification.id for i in batch.items] == ids[:2]
    assert (batch.newest, batch.oldest, batch.more) == (ids[0], ids[1], True)
    older = NotificationWindow(limit=10, older_than=ids[1])
    batch = await accounts.browse_notifications.execute(star, older)
    assert [i.notification.id for i in batch.items] == ids[2:] and not batch.more
    newest = NotificationWindow(limit=2, newer_than=ids[4])
    assert [i.notification.id for i in await browse(accounts, star, newest)] == ids[:2]
    adjacent = NotificationWindow(limit=2, newer_than=ids[4], adjacent=True)
    assert [i.notification.id for i in await browse(accounts, star, adjacent)] == ids[2:4]
    between = NotificationWindow(limit=10, older_than=ids[0], newer_than=ids[3])
    batch = await accounts.browse_notifications.execute(star, between)
    assert [i.notification.id for i in batch.items] == ids[1:3] and not batch.more

    one = await accounts.get_notification.execute(star, ids[2])
    assert one.notification.id == ids[2]
    with pytest.raises(NotFound):
        await accounts.get_notification.execute(fans[0], ids[2])
    with pytest.raises(NotFound):
        await accounts.dismiss_notification.execute(fans[0], ids[2])
    await accounts.dismiss_notification.execute(star, ids[2])
    with pytest.raises(NotFound):
        await accounts.get_notification.execute(star, ids[2])
    # (a dismissed one marks its place by the time in its id: the fake clock's times are not
    # its ids', so tests/api/mastodon/test_notifications.py shows that on the real clock)
    assert await accounts.clear_notifications.execute(star) == 4
    assert await browse(accounts, star) == []
    assert await accounts.clear_notifications.execute(star) == 0
