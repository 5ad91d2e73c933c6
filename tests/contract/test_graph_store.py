"""One suite for the graph and media repositories, on the fake and on PostgreSQL; plus the
concurrency proof that follower counters equal the rows they count."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest
from sqlalchemy import text

from social.adapters.postgres.database import Database
from social.adapters.postgres.read_pool import ReadPool
from social.domain.accounts.model import User
from social.domain.graph.model import Follow, FollowRequest, Ties
from social.domain.media.jobs import RemoveStoredObjects
from social.domain.media.model import MediaItem, MediaKind, MediaPurpose, MediaStatus, Variant
from social.domain.shared.ids import new_id
from social.domain.shared.jobs import Job, PurgeDeletedAccount
from social.domain.shared.pagination import Cursor, Page, PageRequest
from tests.contract.stores import Backend, postgres_backend, users

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


async def counts(backend: Backend, user: User) -> tuple[int, int]:
    async with backend.uow() as uow:
        current = await uow.users.get(user.id)
    assert current is not None
    return current.followers_count, current.following_count


async def test_follows_change_counters_once(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    async with backend.uow() as uow:
        assert await uow.graph.add_follow(Follow(new_id(), alice.id, bob.id, NOW))
        assert not await uow.graph.add_follow(Follow(new_id(), alice.id, bob.id, NOW))
        await uow.commit()
    assert await counts(backend, alice) == (0, 1)
    assert await counts(backend, bob) == (1, 0)
    async with backend.uow() as uow:
        assert await uow.graph.remove_follow(alice.id, bob.id)
        assert not await uow.graph.remove_follow(alice.id, bob.id)
        await uow.commit()
    assert await counts(backend, alice) == await counts(backend, bob) == (0, 0)


async def test_ties_see_every_edge_from_the_viewer(backend: Backend) -> None:
    alice, bob, carol, dave = await users(backend, "alice", "bob", "carol", "dave")
    async with backend.uow() as uow:
        await uow.graph.add_follow(Follow(new_id(), alice.id, bob.id, NOW))
        await uow.graph.add_follow(Follow(new_id(), bob.id, alice.id, NOW))
        await uow.graph.add_request(FollowRequest(new_id(), alice.id, carol.id, NOW))
        await uow.graph.add_block(dave.id, alice.id, NOW)
        await uow.graph.add_mute(alice.id, carol.id, NOW)
        await uow.commit()
        ties = await uow.graph.ties(alice.id, [bob.id, carol.id, dave.id])
    assert ties == {
        bob.id: Ties(following=True, followed_by=True),
        carol.id: Ties(requested=True, muting=True),
        dave.id: Ties(blocked_by=True),
    }
    async with backend.uow() as uow:
        assert await uow.graph.ties(alice.id, []) == {}
        assert (await uow.graph.ties(dave.id, [alice.id]))[alice.id] == Ties(blocking=True)


async def test_requests_blocks_and_mutes_are_idempotent(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    request = FollowRequest(new_id(), alice.id, bob.id, NOW)
    async with backend.uow() as uow:
        assert await uow.graph.add_request(request)
        assert not await uow.graph.add_request(FollowRequest(new_id(), alice.id, bob.id, NOW))
        assert await uow.graph.get_request(request.id) == request
        assert await uow.graph.all_pending_requests(bob.id) == [request]
        assert await uow.graph.count_pending_requests(bob.id) == 1
        assert await uow.graph.count_pending_requests(alice.id) == 0
        assert await uow.graph.add_block(alice.id, bob.id, NOW)
        assert not await uow.graph.add_block(alice.id, bob.id, NOW)
        assert await uow.graph.add_mute(alice.id, bob.id, NOW)
        assert not await uow.graph.add_mute(alice.id, bob.id, NOW)
        assert await uow.graph.remove_request(alice.id, bob.id)
        assert not await uow.graph.remove_request(alice.id, bob.id)
        assert await uow.graph.count_pending_requests(bob.id) == 0
        assert await uow.graph.remove_block(alice.id, bob.id)
        assert not await uow.graph.remove_block(alice.id, bob.id)
        assert await uow.graph.remove_mute(alice.id, bob.id)
        assert not await uow.graph.remove_mute(alice.id, bob.id)
        await uow.commit()


async def test_connection_and_request_pages_walk_newest_first(backend: Backend) -> None:
    star, *fans = await users(backend, "star", *(f"fan{i:02}" for i in range(12)))
    async with backend.uow() as uow:
        for i, fan in enumerate(fans):
            at = NOW + timedelta(seconds=i // 2)  # pairs share a timestamp: ids break the tie
            await uow.graph.add_follow(Follow(new_id(), fan.id, star.id, at))
            await uow.graph.add_request(FollowRequest(new_id(), fan.id, star.id, at))
        await uow.commit()
    for listing in ("followers", "pending_requests"):
        seen: list[Any] = []
        after: Cursor | None = None
        while True:
            request = PageRequest(limit=5, after=after)
            if listing == "followers":
                page: Page[Any, Cursor] = await backend.listings.followers(star.id, request)
            else:
                async with backend.uow() as uow:
                    page = await uow.graph.pending_requests(star.id, request)
            seen += [item if listing == "followers" else item.requester_id for item in page.items]
            if page.next_cursor is None:
                break
            after = page.next_cursor
        assert seen == [fan.id for fan in reversed(fans)], listing
    following = await backend.listings.following(fans[0].id, PageRequest())
    assert following.items == [star.id] and following.next_cursor is None


async def test_block_and_mute_lists_walk_newest_first(backend: Backend) -> None:
    owner, other, *targets = await users(backend, "owner", "other", *(f"t{i:02}" for i in range(7)))
    async with backend.uow() as uow:
        for i, target in enumerate(targets):
            at = NOW + timedelta(seconds=i // 2)  # pairs share a timestamp: the tie is broken
            await uow.graph.add_block(owner.id, target.id, at)
            await uow.graph.add_mute(owner.id, target.id, at)
        await uow.graph.add_block(other.id, targets[0].id, NOW)
        await uow.commit()
    for listing in (backend.listings.blocked, backend.listings.muted):
        seen: list[Any] = []
        after: Cursor | None = None
        while True:
            page = await listing(owner.id, PageRequest(limit=3, after=after))
            seen += page.items
            if page.next_cursor is None:
                break
            after = page.next_cursor
        assert sorted(seen) == sorted(t.id for t in targets) and len(seen) == len(targets)
        times = {t.id: i // 2 for i, t in enumerate(targets)}
        assert [times[i] for i in seen] == sorted(times.values(), reverse=True), listing
    assert (await backend.listings.blocked(other.id, PageRequest())).items == [targets[0].id]
    assert (await backend.listings.muted(other.id, PageRequest())).items == []


async def test_remove_all_edges_fixes_the_other_side(backend: Backend) -> None:
    gone, bob, carol = await users(backend, "gone", "bob", "carol")
    async with backend.uow() as uow:
        await uow.graph.add_follow(Follow(new_id(), gone.id, bob.id, NOW))
        await uow.graph.add_follow(Follow(new_id(), carol.id, gone.id, NOW))
        await uow.graph.add_follow(Follow(new_id(), carol.id, bob.id, NOW))
        await uow.graph.add_request(FollowRequest(new_id(), bob.id, gone.id, NOW))
        await uow.graph.add_block(bob.id, gone.id, NOW)
        await uow.graph.add_mute(gone.id, carol.id, NOW)
        await uow.commit()
    async with backend.uow() as uow:
        await uow.graph.remove_all_edges(gone.id)
        await uow.graph.remove_all_edges(gone.id)
        await uow.commit()
        ties = await uow.graph.ties(gone.id, [bob.id, carol.id])
    assert ties == {bob.id: Ties(), carol.id: Ties()}
    assert await counts(backend, bob) == (1, 0)
    assert await counts(backend, carol) == (0, 1)


async def test_media_records_round_trip(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    item = MediaItem(
        id=new_id(),
        owner_id=alice.id,
        kind=MediaKind.IMAGE,
        purpose=MediaPurpose.AVATAR,
        status=MediaStatus.READY,
        created_at=NOW,
        width=800,
        height=600,
        blurhash="LEHV6n",
        variants=(Variant("small", 150, 150, "avatars/a/small.jpg", "image/jpeg"),),
    )
    async with backend.uow() as uow:
        await uow.media.add(item)
        await uow.users.update(replace(alice, avatar_media_id=item.id, updated_at=NOW))
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.media.get(item.id) == item
        assert await uow.media.get_many([item.id, new_id()]) == {item.id: item}
        assert await uow.media.owned_by(alice.id) == [item]
        failed = replace(item, status=MediaStatus.FAILED, error="bad")
        await uow.media.update(failed)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.media.get(item.id) == failed
        await uow.media.delete(item.id)
        await uow.media.delete(item.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.media.get(item.id) is None
        after = await uow.users.get(alice.id)
    assert after is not None and after.avatar_media_id is None  # the reference goes with it


@dataclass(frozen=True, slots=True)
class Unwritable(Job):
    job_name: ClassVar[str] = "bad"
    when: object


async def test_jobs_commit_with_the_transaction(backend: Backend) -> None:
    account = new_id()
    async with backend.uow() as uow:
        await uow.jobs.enqueue(RemoveStoredObjects(("a",)))
    async with backend.uow() as uow:
        await uow.jobs.enqueue(PurgeDeletedAccount(account))
        with pytest.raises(TypeError):
            await uow.jobs.enqueue(Unwritable(when=object()))
        await uow.commit()
    if backend.database is None:
        return
    async with backend.database.engine.connect() as connection:
        rows = (await connection.execute(text("SELECT job, arguments FROM outbox_jobs"))).all()
    assert [(row.job, row.arguments) for row in rows] == [
        ("purge_account", {"user_id": str(account)})
    ]


async def test_concurrent_follows_keep_counters_exact(
    database: Database, read_pool: ReadPool
) -> None:
    """Many follow/unfollow calls at once, in both directions: counters == COUNT(*)."""
    backend = postgres_backend(database, read_pool)
    people = await users(backend, *(f"user{i}" for i in range(8)))
    rng = random.Random(7)

    async def act() -> None:
        a, b = rng.sample(people, 2)
        async with backend.uow() as uow:
            if rng.random() < 0.6:
                await uow.graph.add_follow(Follow(new_id(), a.id, b.id, NOW))
            else:
                await uow.graph.remove_follow(a.id, b.id)
            await uow.commit()

    for _ in range(4):
        await asyncio.gather(*(act() for _ in range(60)))
    async with database.engine.connect() as connection:
        mismatches = (
            await connection.execute(
                text("""
                    SELECT u.username FROM users u
                    WHERE u.followers_count
                          <> (SELECT count(*) FROM follows WHERE followee_id = u.id)
                       OR u.following_count
                          <> (SELECT count(*) FROM follows WHERE follower_id = u.id)
                """)
            )
        ).all()
        total = (await connection.execute(text("SELECT count(*) FROM follows"))).scalar_one()
    assert mismatches == []
    assert total > 0
