"""One suite for the Web Push subscription store (``PushSubscriptionRepository``), on the fake
and on PostgreSQL: a device reads back as written, subscribing the same endpoint again keeps
its id and replaces its keys and kinds, removal is per user, and an account takes its devices
with it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any
from uuid import UUID

from social.domain.notifications.push_ports import PushSubscription
from social.domain.shared.ids import new_id
from social.domain.shared.notification_kinds import NotificationKind
from tests.contract.stores import STORE_NOW, Backend, backend, users

__all__ = ["backend"]

ENDPOINT = "https://push.example.net/send/abc"


def device(user_id: UUID, endpoint: str = ENDPOINT, **changes: Any) -> PushSubscription:
    made = PushSubscription(
        id=new_id(),
        user_id=user_id,
        endpoint=endpoint,
        p256dh="BPk" + "A" * 84,
        auth="c2VjcmV0LXNlY3JldC0xMg",
        kinds=frozenset({NotificationKind.LIKE, NotificationKind.FOLLOW}),
        created_at=STORE_NOW,
    )
    return replace(made, **changes)


async def test_a_device_reads_back_as_written(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    written = device(alice.id)
    async with backend.uow() as uow:
        assert await uow.push_subscriptions.add(written) == written
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.push_subscriptions.get(written.id) == written
        assert list(await uow.push_subscriptions.for_user(alice.id)) == [written]
        assert await uow.push_subscriptions.get(new_id()) is None


async def test_an_empty_kind_set_means_every_kind(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    written = device(alice.id, kinds=frozenset())
    async with backend.uow() as uow:
        await uow.push_subscriptions.add(written)
        await uow.commit()
    async with backend.uow() as uow:
        stored = await uow.push_subscriptions.get(written.id)
    assert stored is not None and stored.kinds == frozenset()
    assert all(stored.wants(kind) for kind in NotificationKind)


async def test_subscribing_an_endpoint_again_keeps_the_id_and_replaces_keys_and_kinds(
    backend: Backend,
) -> None:
    (alice,) = await users(backend, "alice")
    first = device(alice.id)
    again = device(
        alice.id,
        p256dh="BNew" + "B" * 83,
        auth="bmV3LWF1dGgtc2VjcmV0MQ",
        kinds=frozenset({NotificationKind.MENTION}),
        created_at=STORE_NOW + timedelta(hours=1),
    )
    async with backend.uow() as uow:
        await uow.push_subscriptions.add(first)
        await uow.commit()
    async with backend.uow() as uow:
        kept = await uow.push_subscriptions.add(again)
        await uow.commit()
    expected = PushSubscription(
        id=first.id,
        user_id=alice.id,
        endpoint=ENDPOINT,
        p256dh=again.p256dh,
        auth=again.auth,
        kinds=frozenset({NotificationKind.MENTION}),
        created_at=STORE_NOW,
    )
    assert kept == expected
    async with backend.uow() as uow:
        assert list(await uow.push_subscriptions.for_user(alice.id)) == [expected]
        assert await uow.push_subscriptions.get(again.id) is None


async def test_the_same_endpoint_of_two_users_is_two_devices(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    async with backend.uow() as uow:
        mine = await uow.push_subscriptions.add(device(alice.id))
        theirs = await uow.push_subscriptions.add(device(bob.id))
        await uow.commit()
    assert mine.id != theirs.id
    async with backend.uow() as uow:
        assert [s.id for s in await uow.push_subscriptions.for_user(alice.id)] == [mine.id]
        assert [s.id for s in await uow.push_subscriptions.for_user(bob.id)] == [theirs.id]


async def test_a_users_devices_come_oldest_first(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    made = [
        device(alice.id, f"https://push.example.net/send/{n}", created_at=STORE_NOW - timedelta(n))
        for n in range(3)
    ]
    async with backend.uow() as uow:
        for subscription in made:
            await uow.push_subscriptions.add(subscription)
        await uow.commit()
    async with backend.uow() as uow:
        found = await uow.push_subscriptions.for_user(alice.id)
    assert [s.id for s in found] == [s.id for s in reversed(made)]


async def test_removing_is_only_the_owners_and_only_once(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    written = device(alice.id)
    async with backend.uow() as uow:
        await uow.push_subscriptions.add(written)
        await uow.commit()
    async with backend.uow() as uow:
        assert not await uow.push_subscriptions.remove(written.id, user_id=bob.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.push_subscriptions.get(written.id) == written
        assert await uow.push_subscriptions.remove(written.id, user_id=alice.id)
        assert not await uow.push_subscriptions.remove(written.id, user_id=alice.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.push_subscriptions.get(written.id) is None
        assert list(await uow.push_subscriptions.for_user(alice.id)) == []


async def test_removing_without_an_owner_removes_anyones(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    written = device(alice.id)
    async with backend.uow() as uow:
        await uow.push_subscriptions.add(written)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.push_subscriptions.remove(written.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.push_subscriptions.get(written.id) is None


async def test_an_account_takes_its_devices_with_it(backend: Backend) -> None:
    alice, bob = await users(backend, "alice", "bob")
    mine, theirs = device(alice.id), device(bob.id)
    async with backend.uow() as uow:
        await uow.push_subscriptions.add(mine)
        await uow.push_subscriptions.add(theirs)
        await uow.commit()
    async with backend.uow() as uow:
        await uow.users.delete(alice.id)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.push_subscriptions.get(mine.id) is None
        assert list(await uow.push_subscriptions.for_user(alice.id)) == []
        assert await uow.push_subscriptions.get(theirs.id) == theirs


async def test_a_rolled_back_subscription_is_not_stored(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    written = device(alice.id)
    async with backend.uow() as uow:
        await uow.push_subscriptions.add(written)  # no commit
    async with backend.uow() as uow:
        assert await uow.push_subscriptions.get(written.id) is None
