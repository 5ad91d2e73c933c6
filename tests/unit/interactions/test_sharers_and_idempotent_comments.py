"""Who shares a post, and comments made once per ``Idempotency-Key``, on fakes."""

from __future__ import annotations

import pytest

from social.domain.interactions.comment_on_post import CommentCommand
from social.domain.interactions.read_status import ShareStatus
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
    found = await accounts.read_status.execute(None, shared.share_id)
    assert isinstance(found, ShareStatus) and found.post.state.id == post.id
    with pytest.raises(Forbidden):
        await accounts.withdraw_share.execute(alice, shared.share_id)
    left = await accounts.withdraw_share.execute(bob, shared.share_id)
    assert (left.shared, left.shares_count, left.share_id) == (False, 0, None)
    with pytest.raises(NotFound):
        await accounts.withdraw_share.execute(bob, shared.share_id)
    with pytest.raises(NotFound):
        await accounts.read_status.execute(bob, shared.share_id)
