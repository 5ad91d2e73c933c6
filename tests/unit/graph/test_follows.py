"""Follow, requests, block and mute rules on fakes (REL-1 … REL-3)."""

from __future__ import annotations

import pytest

from social.domain.graph.model import FollowState
from social.domain.profiles.list_connections import Connections
from social.domain.profiles.update_profile import UpdateProfileCommand
from social.domain.shared.errors import Invalid, NotFound
from social.domain.shared.pagination import PageRequest
from tests.fakes.reads import shown
from tests.unit.harness import Accounts


async def test_following_a_public_account_is_immediate_and_idempotent(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    assert await accounts.follow_user.execute(alice, "bob") is FollowState.FOLLOWING
    assert await accounts.follow_user.execute(alice, "BOB") is FollowState.FOLLOWING
    assert accounts.user(alice).following_count == 1
    assert accounts.user(bob).followers_count == 1
    view = await accounts.view_profile.execute(bob, "alice")
    assert view.relationship is not None and view.relationship.followed_by


async def test_self_follow_and_unknown_users_are_refused(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    with pytest.raises(Invalid):
        await accounts.follow_user.execute(alice, "alice")
    with pytest.raises(NotFound):
        await accounts.follow_user.execute(alice, "nobody")


async def test_private_accounts_get_requests_until_approved(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await accounts.update_profile.execute(bob, UpdateProfileCommand(is_private=True))
    assert await accounts.follow_user.execute(alice, "bob") is FollowState.REQUESTED
    assert await accounts.follow_user.execute(alice, "bob") is FollowState.REQUESTED
    with pytest.raises(NotFound):
        await accounts.list_connections.execute(alice, "bob", Connections.FOLLOWERS, PageRequest())
    pending = await accounts.list_follow_requests.execute(bob, PageRequest())
    assert [shown(p.requester)["username"] for p in pending.items] == ["alice"]
    request_id = pending.items[0].request.id
    with pytest.raises(NotFound):  # only bob decides
        await accounts.decide_follow_request.execute(alice, request_id, approve=True)
    await accounts.decide_follow_request.execute(bob, request_id, approve=True)
    assert accounts.user(bob).followers_count == 1
    followers = await accounts.list_connections.execute(
        alice, "bob", Connections.FOLLOWERS, PageRequest()
    )
    assert [shown(v)["username"] for v in followers.items] == ["alice"]
    with pytest.raises(NotFound):  # decided requests are gone
        await accounts.decide_follow_request.execute(bob, request_id, approve=False)


async def test_rejecting_and_withdrawing_requests(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await accounts.update_profile.execute(bob, UpdateProfileCommand(is_private=True))
    await accounts.follow_user.execute(alice, "bob")
    request = (await accounts.list_follow_requests.execute(bob, PageRequest())).items[0]
    await accounts.decide_follow_request.execute(bob, request.request.id, approve=False)
    assert accounts.user(bob).followers_count == 0
    await accounts.follow_user.execute(alice, "bob")
    await accounts.unfollow_user.execute(alice, "bob")
    assert (await accounts.list_follow_requests.execute(bob, PageRequest())).items == []


async def test_going_public_approves_pending_requests(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await accounts.update_profile.execute(bob, UpdateProfileCommand(is_private=True))
    await accounts.follow_user.execute(alice, "bob")
    await accounts.update_profile.execute(bob, UpdateProfileCommand(is_private=False))
    assert accounts.user(bob).followers_count == 1
    view = await accounts.view_profile.execute(alice, "bob")
    assert view.relationship is not None and view.relationship.following


async def test_blocking_cuts_every_tie_and_hides_both(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await accounts.follow_user.execute(alice, "bob")
    await accounts.follow_user.execute(bob, "alice")
    await accounts.block_user.execute(alice, "bob")
    assert accounts.user(alice).followers_count == accounts.user(alice).following_count == 0
    assert accounts.user(bob).followers_count == accounts.user(bob).following_count == 0
    with pytest.raises(NotFound):
        await accounts.view_profile.execute(bob, "alice")
    with pytest.raises(NotFound):
        await accounts.view_profile.execute(alice, "bob")
    with pytest.raises(NotFound):
        await accounts.follow_user.execute(bob, "alice")
    with pytest.raises(NotFound):
        await accounts.block_user.execute(bob, "alice")  # cannot find who blocked you
    await accounts.block_user.execute(alice, "bob")  # idempotent
    await accounts.unblock_user.execute(alice, "bob")
    assert await accounts.follow_user.execute(bob, "alice") is FollowState.FOLLOWING


async def test_blocked_users_drop_out_of_lists(accounts: Accounts) -> None:
    await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    await accounts.follow_user.execute(bob, "alice")
    await accounts.follow_user.execute(carol, "alice")
    await accounts.block_user.execute(carol, "bob")
    seen_by_carol = await accounts.list_connections.execute(
        carol, "alice", Connections.FOLLOWERS, PageRequest()
    )
    assert [shown(v)["username"] for v in seen_by_carol.items] == ["carol"]


async def test_mute_is_private_and_reversible(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    await accounts.mute_user.execute(alice, "bob")
    await accounts.mute_user.execute(alice, "bob")
    seen = await accounts.view_profile.execute(alice, "bob")
    assert seen.relationship is not None and seen.relationship.muting
    bob_sees = await accounts.view_profile.execute(bob, "alice")
    assert bob_sees.relationship is not None and not bob_sees.relationship.muting
    assert await accounts.follow_user.execute(bob, "alice") is FollowState.FOLLOWING
    await accounts.unmute_user.execute(alice, "bob")
    assert (await accounts.view_profile.execute(alice, "bob")).relationship.muting is False
    with pytest.raises(Invalid):
        await accounts.mute_user.execute(alice, "alice")
