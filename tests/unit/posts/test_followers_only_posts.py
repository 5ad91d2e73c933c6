"""A followers-only post (the app API's ``private`` visibility) is only for a private account:
a post's audience is its author's, so a public account's would be silently public."""

from __future__ import annotations

import pytest

from social.domain.posts.create_post import CreatePostCommand
from social.domain.profiles.update_profile import UpdateProfileCommand
from social.domain.shared.errors import Invalid
from tests.fakes.media import FAKE_IMAGE
from tests.unit.harness import Accounts, ready_media


async def test_a_followers_only_post_needs_a_private_account(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    item = await ready_media(accounts, alice, FAKE_IMAGE)
    command = CreatePostCommand("for friends", (item.id,), followers_only=True)
    with pytest.raises(Invalid, match="visibility: followers-only posts need a private"):
        await accounts.create_post.execute(alice, command)
    assert accounts.user(alice).posts_count == 0
    await accounts.update_profile.execute(alice, UpdateProfileCommand(is_private=True))
    card = await accounts.create_post.execute(alice, command)
    assert card.author.state.is_private and accounts.user(alice).posts_count == 1
