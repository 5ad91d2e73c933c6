"""Subscribing a device to pushes (NOTIF-3), on fakes: what a browser's subscription must hold,
one device per endpoint, at most ten per account, and only one's own unsubscribed."""

from __future__ import annotations

import base64
from dataclasses import replace
from typing import Any
from uuid import uuid4

import pytest

from social.domain.notifications.push_subscriptions import (
    MAX_DEVICES,
    SubscribePushCommand,
)
from social.domain.shared.errors import Invalid, NotFound
from social.domain.shared.notification_kinds import NotificationKind
from tests.fakes.push import FAKE_VAPID_PUBLIC_KEY, browser_keys
from tests.unit.harness import Accounts

ENDPOINT = "https://fcm.googleapis.com/fcm/send/device-token"
# SEC 1's G of P-256 is on the curve; the same x with y + 1 is not.
G_X = "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"
G_Y = "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5"


def b64(data: bytes, *, padded: bool = False) -> str:
    text = base64.urlsafe_b64encode(data).decode()
    return text if padded else text.rstrip("=")


def command(endpoint: str = ENDPOINT, **changes: Any) -> SubscribePushCommand:
    """A browser's subscription to ``endpoint`` with fresh keys (and ``changes``)."""
    p256dh, auth = browser_keys()
    return replace(SubscribePushCommand(endpoint, p256dh, auth), **changes)


def fields(error: pytest.ExceptionInfo[Invalid]) -> set[str]:
    return {e.field for e in error.value.errors}


async def test_a_browsers_subscription_is_stored_as_one_device(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    p256dh, auth = browser_keys()
    device = await accounts.subscribe_push.execute(
        alice, SubscribePushCommand(ENDPOINT, p256dh, auth, ["like", "follow"])
    )
    assert accounts.store.push_subscriptions == {device.id: device}
    assert (device.user_id, device.endpoint, device.p256dh, device.auth) == (
        alice.user_id,
        ENDPOINT,
        p256dh,
        auth,
    )
    assert device.kinds == {NotificationKind.LIKE, NotificationKind.FOLLOW}
    assert device.created_at == accounts.clock.now()


async def test_padded_keys_are_accepted_and_stored_unpadded(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    p256dh, auth = browser_keys()
    padded = command(p256dh=p256dh + "=", auth=auth + "==")
    device = await accounts.subscribe_push.execute(alice, padded)
    assert (device.p256dh, device.auth) == (p256dh, auth)


async def test_no_kinds_or_an_empty_list_means_every_kind(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    first = await accounts.subscribe_push.execute(alice, command(kinds=None))
    second = await accounts.subscribe_push.execute(alice, command(ENDPOINT + "2", kinds=[]))
    assert first.kinds == second.kinds == frozenset()
    assert all(first.wants(kind) for kind in NotificationKind)


@pytest.mark.parametrize(
    "p256dh",
    [
        pytest.param(b64(bytes.fromhex("04" + G_X + G_Y)[:64]), id="64 bytes"),
        pytest.param(b64(bytes.fromhex("05" + G_X + G_Y)), id="not uncompressed"),
        pytest.param(b64(bytes.fromhex("02" + G_X)), id="compressed"),
        pytest.param(
            b64(bytes.fromhex("04" + G_X) + (int(G_Y, 16) + 1).to_bytes(32, "big")),
            id="off the curve",
        ),
        pytest.param(b64(b"\x04" + b"\xff" * 64), id="coordinates past the field"),
        pytest.param("BPk+/" + "A" * 82, id="base64 not base64url"),
        pytest.param("B" * 85 + "!", id="not base64"),
        pytest.param(b64(bytes.fromhex("04" + G_X + G_Y)) + "===", id="too much padding"),
        pytest.param("", id="empty"),
    ],
)
async def test_a_bad_device_key_is_refused(accounts: Accounts, p256dh: str) -> None:
    _, _, alice = await accounts.sign_up("alice")
    with pytest.raises(Invalid) as refused:
        await accounts.subscribe_push.execute(alice, command(p256dh=p256dh))
    assert fields(refused) == {"keys.p256dh"}
    assert accounts.store.push_subscriptions == {}


async def test_the_curve_generator_is_a_good_key(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    point = b64(bytes.fromhex("04" + G_X + G_Y))
    assert (await accounts.subscribe_push.execute(alice, command(p256dh=point))).p256dh == point


@pytest.mark.parametrize("auth", [b64(bytes(15)), b64(bytes(17)), b64(bytes(32)), "%%%%"])
async def test_an_auth_secret_of_other_than_16_bytes_is_refused(
    accounts: Accounts, auth: str
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    with pytest.raises(Invalid) as refused:
        await accounts.subscribe_push.execute(alice, command(auth=auth))
    assert fields(refused) == {"keys.auth"}


async def test_an_unknown_kind_is_refused_naming_it(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    with pytest.raises(Invalid) as refused:
        await accounts.subscribe_push.execute(alice, command(kinds=["like", "poke"]))
    assert fields(refused) == {"kinds"}
    assert "poke" in refused.value.errors[0].message


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://push.example.net/send/1",
        "https://127.0.0.1/send/1",
        "https://10.0.0.7/send/1",
        "https://[::1]/send/1",
        "https://localhost/send/1",
        "https://push.example.net/" + "x" * 2048,
        "",
    ],
)
async def test_an_endpoint_the_guard_refuses_or_too_long_is_refused(
    accounts: Accounts, endpoint: str
) -> None:
    _, _, alice = await accounts.sign_up("alice")
    with pytest.raises(Invalid) as refused:
        await accounts.subscribe_push.execute(alice, command(endpoint))
    assert fields(refused) == {"endpoint"}
    assert accounts.store.push_subscriptions == {}


async def test_every_bad_field_is_named_at_once(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    bad = SubscribePushCommand("http://push.example.net/1", "AAAA", "AAAA", ["nope"])
    with pytest.raises(Invalid) as refused:
        await accounts.subscribe_push.execute(alice, bad)
    assert fields(refused) == {"endpoint", "keys.p256dh", "keys.auth", "kinds"}


async def test_the_same_endpoint_again_is_the_same_device_updated(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    first = await accounts.subscribe_push.execute(alice, command(kinds=["like"]))
    accounts.clock.advance(minutes=5)
    again = await accounts.subscribe_push.execute(alice, command(kinds=["mention"]))
    assert again.id == first.id
    assert again.p256dh != first.p256dh
    assert again.kinds == {NotificationKind.MENTION}
    assert again.created_at == first.created_at
    assert list(accounts.store.push_subscriptions.values()) == [again]


async def test_past_ten_devices_the_oldest_goes(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    theirs = await accounts.subscribe_push.execute(bob, command(ENDPOINT + "/bob"))
    made = []
    for n in range(MAX_DEVICES + 2):
        accounts.clock.advance(seconds=1)
        made.append(await accounts.subscribe_push.execute(alice, command(f"{ENDPOINT}/{n}")))
    mine = [s for s in accounts.store.push_subscriptions.values() if s.user_id == alice.user_id]
    assert sorted(s.id for s in mine) == sorted(s.id for s in made[2:])
    assert theirs.id in accounts.store.push_subscriptions
    # subscribing a kept device again does not push another one out
    await accounts.subscribe_push.execute(alice, command(f"{ENDPOINT}/5"))
    assert (
        len([s for s in accounts.store.push_subscriptions.values() if s.user_id == alice.user_id])
        == MAX_DEVICES
    )


async def test_only_ones_own_device_is_unsubscribed(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    device = await accounts.subscribe_push.execute(alice, command())
    with pytest.raises(NotFound):
        await accounts.unsubscribe_push.execute(bob, device.id)
    with pytest.raises(NotFound):
        await accounts.unsubscribe_push.execute(alice, uuid4())
    assert device.id in accounts.store.push_subscriptions
    await accounts.unsubscribe_push.execute(alice, device.id)
    assert accounts.store.push_subscriptions == {}
    with pytest.raises(NotFound):
        await accounts.unsubscribe_push.execute(alice, device.id)


async def test_the_public_key_is_the_senders(accounts: Accounts) -> None:
    assert accounts.push_public_key.execute() == FAKE_VAPID_PUBLIC_KEY
