"""Who shares a post, and comments made once per ``Idempotency-Key``, on fakes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from social.domain.interactions.comment_on_post import CommentCommand
from social.domain.interactions.status_target import StatusKind
from social.domain.profiles.update_profile import UpdateProfileCommand
from social.domain.shared.errors import Forbidden, NotFound
from social.domain.shared.pagination import PageRequest
from tests.fakes.reads import shown
from tests.unit.harness import Accounts
from tests.unit.interactions.test_interactions import a_post


async def test_sharers_are_listed_newest_first_as_the_post_is_seen(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    _, _, dave = await accounts.sign_up("dave")
    post = (await a_post(accounts, alice)).state
    await accounts.share_post.execute(bob, post.id)
    accounts.clock.advance(seconds=1)
    await accounts.share_post.execute(carol, post.id)
    sharers = await accounts.list_sharers.execute(None, post.id, PageRequest())
    assert [shown(card)["username"] for card in sharers.items] == ["carol", "bob"]
    await accounts.block_user.execute(dave, "carol")  # carol is hidden from dave
    seen_by_dave = await accounts.list_sharers.execute(dave, post.id, PageRequest())
    assert [shown(card)["username"] for card in seen_by_dave.items] == ["bob"]
    await accounts.block_user.execute(alice, "dave")  # the post is hidden from dave
    with pytest.raises(NotFound):
        await accounts.list_sharers.execute(dave, post.id, PageRequest())
    await accounts.unshare_post.execute(bob, post.id)
    left = await accounts.list_sharers.execute(None, post.id, PageRequest())
    assert [shown(card)["username"] for card in left.items] == ["carol"]


async def test_a_repeated_key_returns_the_first_comment(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    post = (await a_post(accounts, alice)).state
    comment = accounts.comment_on_post.execute
    first = await comment(bob, post.id, CommentCommand("nice"), idempotency_key="k1")
    again = await comment(bob, post.id, CommentCommand("nice"), idempotency_key="k1")
    other = await comment(bob, post.id, CommentCommand("nice"), idempotency_key="k2")
    assert again.comment.id == first.comment.id != other.comment.id
    assert shown(again.author)["username"] == "bob"
    assert len(accounts.store.comments) == 2
    mine = await comment(alice, post.id, CommentCommand("thanks"), idempotency_key="k1")
    assert mine.comment.id not in (first.comment.id, other.comment.id)  # keys are per person


async def test_a_share_is_named_by_its_id_and_taken_back_by_its_sharer(
    accounts: Accounts,
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    post = (await a_post(accounts, alice)).state
    shared = await accounts.share_post.execute(bob, post.id)
    again = await accounts.share_post.execute(bob, post.id)
    assert shared.share_id is not None and again.share_id == shared.share_id
    target = await accounts.find_status_target.execute(None, shared.share_id)
    assert (target.kind, target.post_id) == (StatusKind.SHARE, post.id)
    with pytest.raises(Forbidden):
        await accounts.withdraw_share.execute(alice, shared.share_id)
    left = await accounts.withdraw_share.execute(bob, shared.share_id)
    assert (left.shared, left.shares_count, left.share_id) == (False, 0, None)
    with pytest.raises(NotFound):
        await accounts.withdraw_share.execute(bob, shared.share_id)
    with pytest.raises(NotFound):
        await accounts.find_status_target.execute(bob, shared.share_id)


async def test_status_ids_name_posts_comments_and_shares_as_seen(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    post = (await a_post(accounts, alice)).state
    top = await accounts.comment_on_post.execute(bob, post.id, CommentCommand("hi"))
    reply = await accounts.comment_on_post.execute(
        alice, post.id, CommentCommand("hello", parent_id=top.comment.id)
    )
    find = accounts.find_status_target.execute
    assert (await find(None, post.id)).kind is StatusKind.POST
    found = await find(carol, reply.comment.id)
    assert (found.kind, found.post_id, found.comment) == (
        StatusKind.COMMENT,
        post.id,
        reply.comment,
    )
    await accounts.block_user.execute(bob, "carol")  # bob's thread is hidden from carol
    for hidden in (top.comment.id, reply.comment.id):
        with pytest.raises(NotFound):
            await find(carol, hidden)
    assert (await find(carol, post.id)).kind is StatusKind.POST
    await accounts.update_profile.execute(alice, UpdateProfileCommand(is_private=True))
    for status_id in (post.id, top.comment.id):
        with pytest.raises(NotFound):
            await find(None, status_id)
    assert (await find(alice, top.comment.id)).comment == replace(top.comment, replies_count=1)
    with pytest.raises(NotFound):
        await find(alice, bob.user_id)  # not a status at all


async def test_a_status_is_shown_with_the_cards_it_needs(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    post = (await a_post(accounts, alice)).state
    await accounts.like_post.execute(bob, post.id)
    top = await accounts.comment_on_post.execute(bob, post.id, CommentCommand("hi"))
    reply = await accounts.comment_on_post.execute(
        carol, post.id, CommentCommand("hello", parent_id=top.comment.id)
    )
    shared = await accounts.share_post.execute(carol, post.id)
    assert shared.share_id is not None
    show = accounts.show_status.execute

    seen = await show(bob, post.id)
    assert (seen.kind, seen.post.state.likes_count, seen.post.flags.liked) == (
        StatusKind.POST,
        1,
        True,
    )
    on_post = await show(None, top.comment.id)
    assert on_post.kind is StatusKind.COMMENT and on_post.answers_id == alice.user_id
    assert on_post.comment is not None and shown(on_post.comment.author)["username"] == "bob"
    in_thread = await show(alice, reply.comment.id)
    assert in_thread.answers_id == bob.user_id  # the reply answers the thread's author
    as_share = await show(bob, shared.share_id)
    assert as_share.kind is StatusKind.SHARE and as_share.sharer is not None
    assert shown(as_share.sharer)["username"] == "carol"
    assert as_share.post.state.id == post.id and as_share.post.state.shares_count == 1
