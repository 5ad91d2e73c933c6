"""Likes, comments, shares and bookmarks on fakes (INT-1 … INT-5)."""

from __future__ import annotations

import asyncio

import pytest

from social.domain.interactions.comment_on_post import CommentCommand
from social.domain.posts.change_post import EditPostCommand
from social.domain.posts.create_post import CreatePostCommand
from social.domain.profiles.update_profile import UpdateProfileCommand
from social.domain.reads.model import PostCard
from social.domain.shared.errors import Forbidden, Invalid, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.jobs import (
    FanOutShare,
    RetractFeedEntry,
    SendNotification,
    WithdrawNotification,
)
from social.domain.shared.pagination import PageRequest
from tests.fakes.media import FAKE_IMAGE
from tests.fakes.reads import shown
from tests.unit.harness import Accounts, ready_media


async def a_post(accounts: Accounts, author: Viewer, caption: str = "hello") -> PostCard:
    media = await ready_media(accounts, author, FAKE_IMAGE)
    card: PostCard = await accounts.create_post.execute(
        author, CreatePostCommand(caption, (media.id,))
    )
    return card


async def test_likes_are_idempotent_and_counted_once(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    post = (await a_post(accounts, alice)).state
    first = await accounts.like_post.execute(bob, post.id)
    again = await accounts.like_post.execute(bob, post.id)
    mine = await accounts.like_post.execute(alice, post.id)
    assert (first.likes_count, again.likes_count, mine.likes_count) == (1, 1, 2)
    seen = await accounts.get_post.execute(bob, post.id)
    assert seen.flags.liked and seen.state.likes_count == 2
    assert not (await accounts.get_post.execute(None, post.id)).flags.liked
    likers = await accounts.list_likers.execute(None, post.id, PageRequest())
    assert [shown(v)["username"] for v in likers.items] == ["alice", "bob"]
    assert (await accounts.unlike_post.execute(bob, post.id)).likes_count == 1
    assert (await accounts.unlike_post.execute(bob, post.id)).likes_count == 1


async def test_blocked_and_private_posts_cannot_be_touched(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    post = (await a_post(accounts, alice)).state
    await accounts.block_user.execute(alice, "bob")
    for attempt in (
        accounts.like_post.execute(bob, post.id),
        accounts.share_post.execute(bob, post.id),
        accounts.bookmark_post.execute(bob, post.id),
        accounts.comment_on_post.execute(bob, post.id, CommentCommand("hi")),
        accounts.list_comments.execute(bob, post.id, None, PageRequest()),
    ):
        with pytest.raises(NotFound):
            await attempt
    await accounts.update_profile.execute(alice, UpdateProfileCommand(is_private=True))
    with pytest.raises(NotFound):
        await accounts.like_post.execute(carol, post.id)
    await accounts.follow_user.execute(carol, "alice")
    (request,) = (await accounts.list_follow_requests.execute(alice, PageRequest())).items
    await accounts.decide_follow_request.execute(alice, request.request.id, approve=True)
    assert (await accounts.like_post.execute(carol, post.id)).liked
    with pytest.raises(Forbidden, match="private"):
        await accounts.share_post.execute(carol, post.id)


async def test_shares_cannot_be_of_ones_own_post_and_reach_the_fan_out(
    accounts: Accounts,
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    post = (await a_post(accounts, alice)).state
    with pytest.raises(Forbidden):
        await accounts.share_post.execute(alice, post.id)
    assert (await accounts.share_post.execute(bob, post.id)).shares_count == 1
    assert (await accounts.share_post.execute(bob, post.id)).shares_count == 1
    assert [type(job) for job in accounts.store.jobs[-2:]] == [FanOutShare, SendNotification]
    assert (await accounts.get_post.execute(bob, post.id)).flags.shared
    assert (await accounts.unshare_post.execute(bob, post.id)).shares_count == 0
    assert [type(job) for job in accounts.store.jobs[-2:]] == [
        RetractFeedEntry,
        WithdrawNotification,
    ]


async def test_comments_replies_and_who_may_delete_them(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    post = (await a_post(accounts, alice)).state
    top = await accounts.comment_on_post.execute(bob, post.id, CommentCommand("  nice\x00 "))
    assert top.comment.text == "nice" and shown(top.author)["username"] == "bob"
    reply = await accounts.comment_on_post.execute(
        carol, post.id, CommentCommand("thanks", parent_id=top.comment.id)
    )
    deeper = await accounts.comment_on_post.execute(
        alice, post.id, CommentCommand("me too", parent_id=reply.comment.id)
    )
    assert deeper.comment.parent_id == top.comment.id  # one level of threading
    thread = await accounts.list_comments.execute(None, post.id, None, PageRequest())
    assert [(v.comment.text, v.comment.replies_count) for v in thread.items] == [("nice", 2)]
    replies = await accounts.list_comments.execute(None, post.id, top.comment.id, PageRequest())
    assert [v.comment.text for v in replies.items] == ["thanks", "me too"]
    assert (await accounts.get_post.execute(None, post.id)).state.comments_count == 3

    with pytest.raises(Forbidden):
        await accounts.delete_comment.execute(carol, top.comment.id)
    await accounts.delete_comment.execute(carol, reply.comment.id)  # the author
    assert (await accounts.get_post.execute(None, post.id)).state.comments_count == 2
    await accounts.delete_comment.execute(alice, top.comment.id)  # the post's author
    assert (await accounts.get_post.execute(None, post.id)).state.comments_count == 0
    with pytest.raises(NotFound):
        await accounts.delete_comment.execute(alice, top.comment.id)


@pytest.mark.parametrize(
    ("text", "parent", "field"),
    [("", False, "text"), ("x" * 1001, False, "text"), ("ok", True, "parent_id")],
)
async def test_invalid_comments_name_the_field(
    accounts: Accounts, text: str, parent: bool, field: str
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    post = (await a_post(accounts, alice)).state
    other = (await a_post(accounts, alice, "another")).state
    elsewhere = await accounts.comment_on_post.execute(alice, other.id, CommentCommand("there"))
    command = CommentCommand(text, parent_id=elsewhere.comment.id if parent else None)
    with pytest.raises(Invalid) as error:
        await accounts.comment_on_post.execute(alice, post.id, command)
    assert [e.field for e in error.value.errors] == [field]


async def test_comments_can_be_turned_off(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    post = (await a_post(accounts, alice)).state
    await accounts.edit_post.execute(alice, post.id, EditPostCommand(comments_enabled=False))
    with pytest.raises(Forbidden, match="turned off"):
        await accounts.comment_on_post.execute(bob, post.id, CommentCommand("hi"))


async def test_bookmarks_are_listed_newest_first_and_skip_hidden_posts(
    accounts: Accounts,
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    first, second = (await a_post(accounts, alice)).state, (await a_post(accounts, alice)).state
    await accounts.bookmark_post.execute(bob, first.id)
    accounts.clock.advance(seconds=1)
    await accounts.bookmark_post.execute(bob, second.id)
    saved = await accounts.list_bookmarks.execute(bob, PageRequest())
    assert [v.state.id for v in saved.items] == [second.id, first.id]
    assert all(v.flags.bookmarked for v in saved.items)
    await accounts.delete_post.execute(alice, second.id)
    saved = await accounts.list_bookmarks.execute(bob, PageRequest())
    assert [v.state.id for v in saved.items] == [first.id]
    assert await accounts.unbookmark_post.execute(bob, first.id) is False
    assert (await accounts.list_bookmarks.execute(bob, PageRequest())).items == []


async def test_counters_stay_exact_under_concurrency(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    post = (await a_post(accounts, alice)).state
    fans = [(await accounts.sign_up(f"fan{i}"))[2] for i in range(8)]
    await asyncio.gather(*(accounts.like_post.execute(f, post.id) for f in fans * 2))
    assert (await accounts.get_post.execute(None, post.id)).state.likes_count == 8


async def test_deleting_an_account_uncounts_its_interactions(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    bob_user, _, bob = await accounts.sign_up("bob")
    post = (await a_post(accounts, alice)).state
    await accounts.like_post.execute(bob, post.id)
    await accounts.share_post.execute(bob, post.id)
    top = await accounts.comment_on_post.execute(bob, post.id, CommentCommand("hi"))
    await accounts.comment_on_post.execute(
        alice, post.id, CommentCommand("hey", parent_id=top.comment.id)
    )
    await accounts.delete_account.execute(bob, "a sturdy passphrase 42")
    assert await accounts.purge_account.execute(bob_user.id)
    counts = (await accounts.get_post.execute(None, post.id)).state
    assert (counts.likes_count, counts.shares_count, counts.comments_count) == (0, 0, 0)
