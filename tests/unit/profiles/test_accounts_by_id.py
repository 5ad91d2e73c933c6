"""Accounts named by id as well as by username (the app API), relationships of several
accounts, one's credentials, and follow requests decided by requester, on fakes."""

from __future__ import annotations

import pytest

from social.domain.graph.model import FollowState, Relationship
from social.domain.profiles.list_connections import Connections
from social.domain.profiles.update_profile import UpdateProfileCommand
from social.domain.shared.errors import Invalid, NotFound
from social.domain.shared.ids import new_id
from social.domain.shared.pagination import PageRequest
from tests.fakes.reads import shown
from tests.unit.harness import Accounts


async def test_the_same_rules_by_id_as_by_username(accounts: Accounts) -> None:
    alice_user, _, alice = await accounts.sign_up("alice")
    bob_user, _, bob = await accounts.sign_up("bob")
    assert shown(await accounts.view_profile.execute(None, alice_user.id))["username"] == "alice"
    assert await accounts.follow_user.execute(bob, alice_user.id) is FollowState.FOLLOWING
    followers = await accounts.list_connections.execute(
        None, alice_user.id, Connections.FOLLOWERS, PageRequest()
    )
    assert [shown(card)["username"] for card in followers.items] == ["bob"]
    with pytest.raises(Invalid):
        await accounts.follow_user.execute(alice, alice_user.id)
    for missing in (new_id(), "nobody"):
        with pytest.raises(NotFound):
            await accounts.view_profile.execute(alice, missing)
        with pytest.raises(NotFound):
            await accounts.follow_user.execute(alice, missing)
    await accounts.block_user.execute(alice, bob_user.id)
    with pytest.raises(NotFound):
        await accounts.view_profile.execute(bob, alice_user.id)
    with pytest.raises(NotFound):
        await accounts.list_user_posts.execute(bob, alice_user.id, PageRequest())
    await accounts.unblock_user.execute(alice, bob_user.id)
    await accounts.mute_user.execute(alice, bob_user.id)
    assert await accounts.list_relationships.execute(alice, [bob_user.id]) == [
        (bob_user.id, Relationship(muting=True))
    ]


async def test_relationships_in_order_and_hidden_blockers(accounts: Accounts) -> None:
    alice_user, _, alice = await accounts.sign_up("alice")
    bob_user, _, bob = await accounts.sign_up("bob")
    carol_user, _, carol = await accounts.sign_up("carol")
    await accounts.follow_user.execute(alice, "bob")
    await accounts.follow_user.execute(bob, "alice")
    await accounts.block_user.execute(carol, "alice")
    asked = [carol_user.id, new_id(), bob_user.id, bob_user.id, alice_user.id]
    assert await accounts.list_relationships.execute(alice, asked) == [
        (bob_user.id, Relationship(following=True, followed_by=True)),
        (alice_user.id, Relationship()),
    ]  # carol blocks alice: alice never learns it
    assert await accounts.list_relationships.execute(carol, [alice_user.id]) == [
        (alice_user.id, Relationship(blocking=True))
    ]
    assert await accounts.list_relationships.execute(alice, []) == []


async def test_credentials_and_requests_decided_by_requester(accounts: Accounts) -> None:
    star_user, _, star = await accounts.sign_up("star")
    await accounts.update_profile.execute(
        star, UpdateProfileCommand(bio="my #bio", is_private=True)
    )
    fans = [await accounts.sign_up(f"fan{i}") for i in range(3)]
    for _, _, fan in fans:
        assert await accounts.follow_user.execute(fan, star_user.id) is FollowState.REQUESTED
    credentials = await accounts.get_credentials.execute(star)
    assert credentials.user.bio == "my #bio" and credentials.user.is_private
    assert credentials.follow_requests_count == 3
    assert shown(credentials.card)["username"] == "star"

    (first, _, first_viewer), (second, _, _), (_, _, third_viewer) = fans
    await accounts.decide_follow_request.from_requester(star, first.id, approve=True)
    await accounts.decide_follow_request.from_requester(star, second.id, approve=False)
    assert (await accounts.get_credentials.execute(star)).follow_requests_count == 1
    assert await accounts.list_relationships.execute(first_viewer, [star_user.id]) == [
        (star_user.id, Relationship(following=True))
    ]
    for decided in (first.id, second.id, new_id()):
        with pytest.raises(NotFound):
            await accounts.decide_follow_request.from_requester(star, decided, approve=True)
    with pytest.raises(NotFound):  # the requester cannot approve its own request
        await accounts.decide_follow_request.from_requester(
            third_viewer, star_user.id, approve=True
        )
