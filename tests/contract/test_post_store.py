"""One suite for the post, idempotency-key and loose-media storage, on the fake and on
PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from social.domain.accounts.model import User
from social.domain.media.model import MediaItem, MediaKind, MediaPurpose, MediaStatus
from social.domain.posts.model import Place, Post
from social.domain.shared.errors import Conflict
from social.domain.shared.ids import new_id
from tests.contract.stores import Backend, users

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


async def uploads(
    backend: Backend,
    owner: User,
    *ages: timedelta,
    purpose: MediaPurpose = MediaPurpose.POST,
    status: MediaStatus = MediaStatus.READY,
) -> list[MediaItem]:
    """One media record per age, created that long before ``NOW``."""
    made = [
        MediaItem(
            id=new_id(),
            owner_id=owner.id,
            kind=MediaKind.IMAGE,
            purpose=purpose,
            status=status,
            created_at=NOW - age,
        )
        for age in ages
    ]
    async with backend.uow() as uow:
        for item in made:
            await uow.media.add(item)
        await uow.commit()
    return made


def a_post(author: User, media: list[MediaItem], **changes: Any) -> Post:
    post = Post(
        id=new_id(),
        author_id=author.id,
        caption="",
        tags=(),
        mentions=(),
        media_ids=tuple(m.id for m in media),
        created_at=NOW,
    )
    return replace(post, **changes)


async def posts_count(backend: Backend, user: User) -> int:
    async with backend.uow() as uow:
        current = await uow.users.get(user.id)
    assert current is not None
    return current.posts_count


async def test_posts_round_trip_every_field(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    media = await uploads(backend, alice, *(timedelta(minutes=i) for i in range(4)))
    full = a_post(
        alice,
        [media[2], media[0], media[1]],
        caption="Sunset at #beach with @bob\nsecond line",
        tags=("beach", "café"),
        extra_tags=("café",),
        mentions=("bob",),
        place=Place("Lisbon", 38.7223, -9.1393),
        comments_enabled=False,
        edited_at=NOW + timedelta(hours=1, microseconds=5),
        likes_count=7,
        comments_count=3,
        shares_count=1,
    )
    plain = a_post(alice, [media[3]], created_at=NOW - timedelta(days=1))
    async with backend.uow() as uow:
        await uow.posts.add(full)
        await uow.posts.add(plain)
        await uow.commit()
    stored = replace(full, likes_count=0, comments_count=0, shares_count=0)
    async with backend.uow() as uow:
        assert await uow.posts.get(full.id) == stored
        assert await uow.posts.get(plain.id) == plain
        assert await uow.posts.get_many([plain.id, full.id, new_id()]) == {
            full.id: stored,
            plain.id: plain,
        }
    assert stored.media_ids == (media[2].id, media[0].id, media[1].id)


async def test_unknown_posts_are_missing(backend: Backend) -> None:
    async with backend.uow() as uow:
        assert await uow.posts.get(new_id()) is None
        assert await uow.posts.get_many([]) == {}
        assert await uow.posts.get_many([new_id(), new_id()]) == {}
        assert await uow.posts.attached_media([]) == set()
        assert await uow.posts.ids_by_author(new_id()) == []


async def test_add_and_delete_count_the_authors_posts_once(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    media = await uploads(backend, alice, timedelta(0), timedelta(0))
    first, second = a_post(alice, media[:1]), a_post(alice, media[1:])
    async with backend.uow() as uow:
        await uow.posts.add(first)
        await uow.posts.add(second)
        await uow.commit()
    assert await posts_count(backend, alice) == 2
    async with backend.uow() as uow:
        assert await uow.posts.delete(first.id)
        assert not await uow.posts.delete(first.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert not await uow.posts.delete(first.id)
        assert not await uow.posts.delete(new_id())
        await uow.commit()
        assert await uow.posts.get(first.id) is None
        assert await uow.posts.get(second.id) == second
    assert await posts_count(backend, alice) == 1
    assert await posts_count(backend, bob) == 0


async def test_a_media_item_belongs_to_one_post_at_most(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    media = await uploads(backend, alice, timedelta(0), timedelta(0), timedelta(0))
    first = a_post(alice, media[:2])
    async with backend.uow() as uow:
        await uow.posts.add(first)
        await uow.commit()
    thief = a_post(alice, [media[2], media[1]])
    twice = a_post(alice, [media[2], media[2]])
    for post in (thief, twice):
        async with backend.uow() as uow:
            with pytest.raises(Conflict) as caught:
                await uow.posts.add(post)
        assert caught.value.field == "media_ids"
    async with backend.uow() as uow:
        assert await uow.posts.get_many([thief.id, twice.id]) == {}
        assert await uow.posts.attached_media(m.id for m in media) == {media[0].id, media[1].id}
    assert await posts_count(backend, alice) == 1


async def test_update_writes_the_content_but_never_counters(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    media = await uploads(backend, alice, timedelta(0), timedelta(0))
    post = a_post(alice, media, caption="old #one", tags=("one",), mentions=("bob",))
    async with backend.uow() as uow:
        await uow.posts.add(post)
        await uow.commit()
    edited = replace(
        post,
        caption="new #two @carol",
        tags=("two", "extra"),
        extra_tags=("extra",),
        mentions=("carol",),
        place=Place("Porto", 41.1579, -8.6291),
        comments_enabled=False,
        edited_at=NOW + timedelta(minutes=5),
    )
    async with backend.uow() as uow:
        await uow.posts.update(
            replace(edited, media_ids=(), likes_count=9, comments_count=9, shares_count=9)
        )
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.posts.get(post.id) == edited
        unplaced = replace(edited, place=None, comments_enabled=True, edited_at=NOW + timedelta(1))
        await uow.posts.update(unplaced)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.posts.get(post.id) == unplaced
        with pytest.raises(LookupError):
            await uow.posts.update(a_post(alice, []))
    assert await posts_count(backend, alice) == 1


async def test_attached_media_and_posts_by_author(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    mine = await uploads(backend, alice, timedelta(0), timedelta(0), timedelta(0))
    (theirs,) = await uploads(backend, bob, timedelta(0))
    first, second = a_post(alice, mine[:1]), a_post(alice, mine[1:2])
    other = a_post(bob, [theirs])
    async with backend.uow() as uow:
        for post in (first, second, other):
            await uow.posts.add(post)
        await uow.commit()
    async with backend.uow() as uow:
        ids = [m.id for m in [*mine, theirs]]
        assert await uow.posts.attached_media([*ids, new_id()]) == {
            mine[0].id,
            mine[1].id,
            theirs.id,
        }
        assert await uow.posts.attached_media([mine[2].id]) == set()
        assert sorted(await uow.posts.ids_by_author(alice.id)) == sorted([first.id, second.id])
        assert await uow.posts.ids_by_author(bob.id) == [other.id]
        await uow.posts.delete(first.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.posts.attached_media(ids) == {mine[1].id, theirs.id}
        assert await uow.posts.ids_by_author(alice.id) == [second.id]


async def test_uncommitted_work_is_rolled_back(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    media = await uploads(backend, alice, timedelta(0))
    dropped, rolled_back = a_post(alice, media), a_post(alice, media)
    async with backend.uow() as uow:
        await uow.posts.add(dropped)
        await uow.idempotency.remember(alice.id, "post", "k", dropped.id)
    async with backend.uow() as uow:
        await uow.posts.add(rolled_back)
        await uow.rollback()
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.posts.get_many([dropped.id, rolled_back.id]) == {}
        assert await uow.posts.attached_media([media[0].id]) == set()
        assert await uow.posts.ids_by_author(alice.id) == []
        assert await uow.idempotency.recall(alice.id, "post", "k") is None
    assert await posts_count(backend, alice) == 0


async def test_idempotency_keys_recall_the_first_claim(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    first, second = new_id(), new_id()
    async with backend.uow() as uow:
        assert await uow.idempotency.recall(alice.id, "post", "k1") is None
        await uow.idempotency.remember(alice.id, "post", "k1", first)
        assert await uow.idempotency.recall(alice.id, "post", "k1") == first
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.idempotency.recall(alice.id, "post", "k1") == first
        with pytest.raises(Conflict):
            await uow.idempotency.remember(alice.id, "post", "k1", second)
    others = {(bob.id, "post", "k1"), (alice.id, "comment", "k1"), (alice.id, "post", "k2")}
    async with backend.uow() as uow:
        for owner_id, scope, key in others:
            assert await uow.idempotency.recall(owner_id, scope, key) is None
            await uow.idempotency.remember(owner_id, scope, key, second)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.idempotency.recall(alice.id, "post", "k1") == first
        for owner_id, scope, key in others:
            assert await uow.idempotency.recall(owner_id, scope, key) == second


async def test_old_idempotency_keys_are_forgotten_in_batches(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    async with backend.uow() as uow:
        for i in range(5):
            await uow.idempotency.remember(alice.id, "post", f"k{i}", new_id())
        await uow.commit()
    now = datetime.now(UTC)
    async with backend.uow() as uow:
        assert await uow.idempotency.forget_before(now - timedelta(hours=1), 10) == 0
        assert await uow.idempotency.forget_before(now + timedelta(hours=1), 3) == 3
        await uow.commit()
    async with backend.uow() as uow:
        left = [k for i in range(5) if await uow.idempotency.recall(alice.id, "post", k := f"k{i}")]
        assert len(left) == 2
        assert await uow.idempotency.forget_before(now + timedelta(hours=1), 10) == 2
        await uow.commit()
    async with backend.uow() as uow:  # a forgotten key can be claimed again
        await uow.idempotency.remember(alice.id, "post", "k0", new_id())


async def test_unattached_before_finds_old_loose_post_media(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    day = timedelta(days=1)
    oldest, old, used = await uploads(backend, alice, 3 * day, 2 * day, 4 * day)
    (pending,) = await uploads(backend, alice, day, status=MediaStatus.PROCESSING)
    await uploads(backend, alice, 5 * day, purpose=MediaPurpose.AVATAR)
    await uploads(backend, alice, timedelta(0), -day)  # at and after the cutoff
    post = a_post(alice, [used])
    async with backend.uow() as uow:
        await uow.posts.add(post)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.media.unattached_before(NOW, 10) == [oldest, old, pending]
        assert await uow.media.unattached_before(NOW, 2) == [oldest, old]
        assert await uow.media.unattached_before(NOW - 2 * day, 10) == [oldest]
        assert await uow.posts.delete(post.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.media.unattached_before(NOW, 10) == [used, oldest, old, pending]
