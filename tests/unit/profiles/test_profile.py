"""Own account, profile edits and public profiles (PROF-1 read side, PROF-2 fields)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from social.domain.accounts.model import AccountStatus
from social.domain.graph.model import Relationship
from social.domain.profiles.update_profile import UpdateProfileCommand
from social.domain.shared.errors import Invalid, NotFound
from tests.fakes.reads import shown
from tests.unit.harness import Accounts


async def test_update_profile_changes_only_given_fields(accounts: Accounts) -> None:
    _, _, viewer = await accounts.sign_up()
    updated = (
        await accounts.update_profile.execute(
            viewer, UpdateProfileCommand(display_name="Alice A.", website="alice.dev")
        )
    ).user
    assert (updated.display_name, updated.website, updated.bio) == (
        "Alice A.",
        "https://alice.dev",
        "",
    )
    again = (
        await accounts.update_profile.execute(viewer, UpdateProfileCommand(is_private=True))
    ).user
    assert again.display_name == "Alice A." and again.is_private
    cleared = (await accounts.update_profile.execute(viewer, UpdateProfileCommand(website=""))).user
    assert cleared.website is None
    assert (await accounts.get_me.execute(viewer)).user.website is None


async def test_invalid_profile_edits_change_nothing(accounts: Accounts) -> None:
    _, _, viewer = await accounts.sign_up()
    with pytest.raises(Invalid) as caught:
        await accounts.update_profile.execute(
            viewer, UpdateProfileCommand(display_name="ok", bio="x" * 151, website="ftp://x")
        )
    assert {e.field for e in caught.value.errors} == {"bio", "website"}
    assert (await accounts.get_me.execute(viewer)).user.display_name == ""


async def test_profiles_are_public_and_carry_a_relationship_for_viewers(accounts: Accounts) -> None:
    await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    anonymous = await accounts.view_profile.execute(None, "ALICE")
    assert shown(anonymous)["username"] == "alice" and anonymous.relationship is None
    seen_by_bob = await accounts.view_profile.execute(bob, "alice")
    assert seen_by_bob.relationship == Relationship()


async def test_suspended_and_unknown_users_are_not_found(accounts: Accounts) -> None:
    user, _, _ = await accounts.sign_up("alice")
    with pytest.raises(NotFound):
        await accounts.view_profile.execute(None, "nobody")
    accounts.store.users[user.id] = replace(user, status=AccountStatus.SUSPENDED)
    with pytest.raises(NotFound):
        await accounts.view_profile.execute(None, "alice")
