"""Describing an upload after the fact (the Mastodon ``PUT /api/v1/media/:id``) on fakes."""

from __future__ import annotations

import pytest

from social.domain.posts.create_post import CreatePostCommand
from social.domain.shared.errors import Invalid, NotFound
from tests.fakes.media import FAKE_IMAGE
from tests.unit.harness import Accounts, chunks, ready_media


async def test_the_owner_describes_an_upload_while_it_is_processed(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    item = await accounts.upload_media.execute(alice, chunks(FAKE_IMAGE), alt_text="first")
    described = await accounts.describe_media.execute(alice, item.id, "  a cat on a mat ")
    assert described.alt_text == "a cat on a mat"
    await accounts.process_media.execute(item.id)  # the job keeps the newer description
    ready = await accounts.get_media.execute(alice, item.id)
    assert (ready.status.value, ready.alt_text) == ("ready", "a cat on a mat")
    cleared = await accounts.describe_media.execute(alice, item.id, "")
    assert cleared.alt_text is None
    assert (await accounts.get_media.execute(alice, item.id)).alt_text is None


async def test_only_the_owner_and_only_before_a_post_shows_it(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    media = await ready_media(accounts, alice, FAKE_IMAGE)
    with pytest.raises(NotFound):
        await accounts.describe_media.execute(bob, media.id, "mine now")
    with pytest.raises(Invalid):
        await accounts.describe_media.execute(alice, media.id, "x" * 1001)
    await accounts.create_post.execute(alice, CreatePostCommand("hello", (media.id,)))
    with pytest.raises(Invalid, match="already in a post"):
        await accounts.describe_media.execute(alice, media.id, "too late")
    assert (await accounts.get_media.execute(alice, media.id)).alt_text is None
