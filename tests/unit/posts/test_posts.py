"""Posts: create, read, edit, delete and who sees them (POST-3 … POST-5) on fakes."""

from __future__ import annotations

from typing import Any

import pytest

from social.domain.media.jobs import DiscardPostMedia
from social.domain.posts.change_post import EditPostCommand
from social.domain.posts.create_post import CreatePostCommand, PlaceInput
from social.domain.profiles.update_profile import UpdateProfileCommand
from social.domain.shared.errors import Forbidden, Invalid, NotFound
from social.domain.shared.jobs import RetractFeedEntry
from social.domain.shared.pagination import PageRequest
from social.domain.shared.search_changes import ChangeKind
from tests.fakes.media import FAKE_IMAGE, FAKE_VIDEO
from tests.fakes.reads import shown
from tests.unit.harness import Accounts, chunks, ready_media


async def test_a_post_with_images_a_video_tags_and_a_place(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    await accounts.sign_up("bob")
    media = [await ready_media(accounts, alice, FAKE_IMAGE) for _ in range(3)]
    media.append(await ready_media(accounts, alice, FAKE_VIDEO))
    command = CreatePostCommand(
        caption="Sunset at #Kuta with @Bob and @nobody_here #bali #BALI",
        media_ids=tuple(m.id for m in media),
        tags=("#Travel", "beach"),
        place=PlaceInput("Kuta Beach", -8.7184, 115.1686),
    )
    view = await accounts.create_post.execute(alice, command)
    post = accounts.store.posts[view.state.id]
    assert post.tags == ("kuta", "bali", "travel", "beach")
    assert post.mentions == ("bob", "nobody_here")
    assert [m["id"] for m in shown(view)["media"]] == [str(m.id) for m in media]
    assert post.place is not None and post.place.name == "Kuta Beach"
    assert accounts.user(alice).posts_count == 1
    assert (ChangeKind.POST, post.id) in [
        (c.kind, c.target_id) for c in accounts.store.search_changes
    ]
    seen = await accounts.get_post.execute(None, post.id)
    assert shown(seen.author)["username"] == "alice"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"caption": "x" * 2201}, "caption"),
        ({"media_ids": ()}, "media_ids"),
        ({"tags": tuple(f"t{i}" for i in range(31))}, "tags"),
        ({"tags": ("not a tag!",)}, "tags"),
        ({"place": PlaceInput("Nowhere", 91.0, 0.0)}, "place.latitude"),
        ({"place": PlaceInput("", 0.0, 181.0)}, "place.name"),
    ],
)
async def test_invalid_posts_name_the_field(
    accounts: Accounts, change: dict[str, Any], field: str
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    item = await ready_media(accounts, alice, FAKE_IMAGE)
    command = CreatePostCommand(caption="hi", media_ids=(item.id,))
    with pytest.raises(Invalid) as caught:
        await accounts.create_post.execute(
            alice, CreatePostCommand(**{**_fields(command), **change})
        )
    assert field in [e.field for e in caught.value.errors]


def _fields(command: CreatePostCommand) -> dict[str, Any]:
    """The command's fields as keyword arguments (each of its own type, hence ``Any``)."""
    return {name: getattr(command, name) for name in command.__slots__}


async def test_media_must_be_ready_owned_and_unused(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    pending = await accounts.upload_media.execute(alice, chunks(FAKE_IMAGE))
    bobs = await ready_media(accounts, bob, FAKE_IMAGE)
    mine = await ready_media(accounts, alice, FAKE_IMAGE)
    for media_id in (pending.id, bobs.id):
        with pytest.raises(Invalid):
            await accounts.create_post.execute(
                alice, CreatePostCommand(caption="", media_ids=(media_id,))
            )
    await accounts.create_post.execute(alice, CreatePostCommand(caption="", media_ids=(mine.id,)))
    with pytest.raises(Invalid):
        await accounts.create_post.execute(
            alice, CreatePostCommand(caption="", media_ids=(mine.id,))
        )


async def test_idempotent_post_creation(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    item = await ready_media(accounts, alice, FAKE_IMAGE)
    command = CreatePostCommand(caption="once", media_ids=(item.id,))
    first = await accounts.create_post.execute(alice, command, idempotency_key="abc")
    again = await accounts.create_post.execute(alice, command, idempotency_key="abc")
    assert first.state.id == again.state.id
    assert accounts.user(alice).posts_count == 1


async def test_private_posts_are_for_followers_only(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, carol = await accounts.sign_up("carol")
    await accounts.update_profile.execute(alice, UpdateProfileCommand(is_private=True))
    item = await ready_media(accounts, alice, FAKE_IMAGE)
    post = (await accounts.create_post.execute(alice, CreatePostCommand("", (item.id,)))).state
    await accounts.follow_user.execute(bob, "alice")
    request = (await accounts.list_follow_requests.execute(alice, PageRequest())).items[0]
    await accounts.decide_follow_request.execute(alice, request.request.id, approve=True)
    for viewer in (None, carol):
        with pytest.raises(NotFound):
            await accounts.get_post.execute(viewer, post.id)
    assert (await accounts.get_post.execute(bob, post.id)).state.id == post.id
    await accounts.block_user.execute(alice, "bob")
    with pytest.raises(NotFound):
        await accounts.get_post.execute(bob, post.id)


async def test_editing_keeps_given_tags_and_records_the_time(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    item = await ready_media(accounts, alice, FAKE_IMAGE)
    post = (
        await accounts.create_post.execute(
            alice, CreatePostCommand("#one first", (item.id,), tags=("extra",))
        )
    ).state
    accounts.clock.advance(minutes=5)
    await accounts.edit_post.execute(alice, post.id, EditPostCommand(caption="#two second"))
    edited = accounts.store.posts[post.id]
    assert edited.tags == ("two", "extra") and edited.edited_at == accounts.clock.now()
    shown_cleared = shown(
        await accounts.edit_post.execute(alice, post.id, EditPostCommand(place=None, tags=()))
    )
    assert shown_cleared["tags"] == ["two"] and shown_cleared["place"] is None
    cleared = accounts.store.posts[post.id]
    assert cleared.tags == ("two",) and cleared.place is None
    with pytest.raises(Forbidden):
        await accounts.edit_post.execute(bob, post.id, EditPostCommand(caption="mine now"))


async def test_deleting_removes_the_post_and_queues_its_media(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    item = await ready_media(accounts, alice, FAKE_IMAGE)
    post = (await accounts.create_post.execute(alice, CreatePostCommand("", (item.id,)))).state
    with pytest.raises(Forbidden):
        await accounts.delete_post.execute(bob, post.id)
    await accounts.delete_post.execute(alice, post.id)
    assert accounts.user(alice).posts_count == 0
    with pytest.raises(NotFound):
        await accounts.get_post.execute(alice, post.id)
    assert accounts.store.jobs[-2:] == [
        DiscardPostMedia((item.id,)),
        RetractFeedEntry(entry_id=post.id, actor_id=post.author_id),
    ]
    await accounts.discard_media.execute([item.id])
    assert accounts.storage.objects == {} and accounts.store.media == {}
