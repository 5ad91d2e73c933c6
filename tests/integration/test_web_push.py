"""Web Push for real: the sender encrypts, signs and posts to a local push service, and the test's
browser decrypts what arrived with the subscription's private key."""

from __future__ import annotations

import asyncio
import json
import struct
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import replace

import pytest

from social.adapters.push.endpoint_guard import PublicEndpointGuard
from social.adapters.push.vapid import VapidKey
from social.adapters.push.webpush import WebPushSender
from social.domain.notifications.push_ports import PushMessage, PushOutcome, PushSubscription
from tests.push_receiver import Browser, PushReceiver, running_receiver, verify_vapid

SUBJECT = "mailto:push-ops@example.com"
PAYLOAD = json.dumps({"kind": "like", "body": "alice liked your post"}).encode()
MESSAGE = PushMessage(payload=PAYLOAD, ttl_s=3600, urgency="high", topic="like-p1")


@pytest.fixture
async def receiver() -> AsyncIterator[PushReceiver]:
    async with running_receiver() as running:
        yield running


@pytest.fixture
async def sender() -> AsyncIterator[WebPushSender]:
    sender = WebPushSender(VapidKey.generate(), subject=SUBJECT, timeout_s=5, allow_loopback=True)
    yield sender
    await sender.close()


async def test_a_delivered_push_decrypts_to_the_payload_and_carries_a_valid_vapid_token(
    receiver: PushReceiver, sender: WebPushSender
) -> None:
    browser = Browser()
    outcome = await sender.send(browser.subscription(receiver.endpoint("/push/abc")), MESSAGE)

    assert outcome is PushOutcome.DELIVERED
    [request] = receiver.requests
    assert (request.method, request.path) == ("POST", "/push/abc")
    assert browser.decrypt(request.body) == PAYLOAD
    assert request.headers["Content-Encoding"] == "aes128gcm"
    assert request.headers["Content-Type"] == "application/octet-stream"
    assert request.headers["TTL"] == "3600"
    assert request.headers["Urgency"] == "high"
    assert request.headers["Topic"] == "like-p1"
    claims = verify_vapid(request.headers["Authorization"], audience=receiver.origin)
    assert claims.public_key == sender.public_key
    assert claims.subject == SUBJECT
    assert claims.expires_at <= time.time() + 12 * 3600 + 5
    # RFC 8291 §4: one record of a 4096-byte body, keyed by the sender's ephemeral public key
    salt, record_size, key_id_length = request.body[:16], *struct.unpack("!IB", request.body[16:21])
    assert (record_size, key_id_length, len(salt)) == (4096, 65, 16)
    assert len(request.body) <= 4096


async def test_each_push_is_encrypted_afresh_and_only_its_device_can_read_it(
    receiver: PushReceiver, sender: WebPushSender
) -> None:
    browser, other = Browser(), Browser()
    subscription = browser.subscription(receiver.endpoint())
    outcomes = await asyncio.gather(*(sender.send(subscription, MESSAGE) for _ in range(4)))

    assert outcomes == [PushOutcome.DELIVERED] * 4
    bodies = [request.body for request in receiver.requests]
    assert len(set(bodies)) == 4  # a fresh salt and ephemeral key every time
    assert {browser.decrypt(body) for body in bodies} == {PAYLOAD}
    with pytest.raises(Exception, match="Decryption error"):
        other.decrypt(bodies[0])


async def test_no_topic_means_no_topic_header(
    receiver: PushReceiver, sender: WebPushSender
) -> None:
    message = PushMessage(payload=b"{}", ttl_s=0)
    assert await sender.send(Browser().subscription(receiver.endpoint()), message) is (
        PushOutcome.DELIVERED
    )
    [request] = receiver.requests
    assert "Topic" not in request.headers
    assert (request.headers["TTL"], request.headers["Urgency"]) == ("0", "normal")


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, PushOutcome.DELIVERED),
        (202, PushOutcome.DELIVERED),
        (404, PushOutcome.GONE),
        (410, PushOutcome.GONE),
        (429, PushOutcome.RETRY),
        (500, PushOutcome.RETRY),
        (503, PushOutcome.RETRY),
        (400, PushOutcome.REFUSED),
        (401, PushOutcome.REFUSED),
        (403, PushOutcome.REFUSED),
        (413, PushOutcome.REFUSED),
    ],
)
async def test_push_service_answers_map_to_outcomes(
    status: int, outcome: PushOutcome, receiver: PushReceiver, sender: WebPushSender
) -> None:
    receiver.status = status
    receiver.answer_body = b"x" * 200_000  # a long answer is cut, not read whole
    assert await sender.send(Browser().subscription(receiver.endpoint()), MESSAGE) is outcome
    assert len(receiver.requests) == 1


async def test_a_slow_push_service_is_retried_later(receiver: PushReceiver) -> None:
    receiver.delay_s = 2.0
    sender = WebPushSender(VapidKey.generate(), subject="", timeout_s=0.3, allow_loopback=True)
    try:
        started = time.monotonic()
        outcome = await sender.send(Browser().subscription(receiver.endpoint()), MESSAGE)
        assert outcome is PushOutcome.RETRY
        assert time.monotonic() - started < 1.9  # cut by the timeout, not answered (2 s)
    finally:
        await sender.close()


async def test_a_redirect_is_not_followed(receiver: PushReceiver, sender: WebPushSender) -> None:
    receiver.redirect_to = receiver.endpoint("/elsewhere")
    outcome = await sender.send(Browser().subscription(receiver.endpoint("/push/a")), MESSAGE)
    assert outcome is PushOutcome.REFUSED
    assert [request.path for request in receiver.requests] == ["/push/a"]


async def test_a_closed_port_is_retried(sender: WebPushSender) -> None:
    async with running_receiver() as gone:
        endpoint = gone.endpoint()
    assert await sender.send(Browser().subscription(endpoint), MESSAGE) is PushOutcome.RETRY


async def test_the_session_reopens_after_close(
    receiver: PushReceiver, sender: WebPushSender
) -> None:
    subscription = Browser().subscription(receiver.endpoint())
    assert await sender.send(subscription, MESSAGE) is PushOutcome.DELIVERED
    await sender.close()
    assert await sender.send(subscription, MESSAGE) is PushOutcome.DELIVERED
    assert len(receiver.requests) == 2


async def test_without_allow_loopback_the_local_endpoint_is_refused_before_any_request(
    receiver: PushReceiver,
) -> None:
    strict = WebPushSender(VapidKey.generate(), subject=SUBJECT, timeout_s=5)
    try:
        for endpoint in (receiver.endpoint(), f"https://127.0.0.1:{receiver.port}/push"):
            outcome = await strict.send(Browser().subscription(endpoint), MESSAGE)
            assert outcome is PushOutcome.REFUSED
    finally:
        await strict.close()
    assert receiver.requests == []


@pytest.mark.parametrize(
    "spoil",
    [
        lambda s: replace(s, p256dh="not-a-point"),
        lambda s: replace(s, p256dh=s.p256dh[:-4]),
        lambda s: replace(s, auth="c2hvcnQ"),
        lambda s: replace(s, endpoint=s.endpoint.replace("http://", "http://user:pw@")),
    ],
    ids=["p256dh-garbage", "p256dh-truncated", "auth-short", "userinfo"],
)
async def test_unusable_subscriptions_are_refused_without_a_request(
    spoil: Callable[[PushSubscription], PushSubscription],
    receiver: PushReceiver,
    sender: WebPushSender,
) -> None:
    subscription = spoil(Browser().subscription(receiver.endpoint()))
    assert await sender.send(subscription, MESSAGE) is PushOutcome.REFUSED
    assert receiver.requests == []


async def test_a_payload_over_one_record_is_refused(
    receiver: PushReceiver, sender: WebPushSender
) -> None:
    message = PushMessage(payload=b"x" * 4000, ttl_s=60)
    assert await sender.send(Browser().subscription(receiver.endpoint()), message) is (
        PushOutcome.REFUSED
    )
    assert receiver.requests == []


class SwitchingLookup:
    """A DNS that answers ``first`` once, then ``later`` (a rebinding attacker's name server)."""

    def __init__(self, first: Sequence[str], later: Sequence[str]) -> None:
        self.answers = [first, later]
        self.asked: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.asked.append((host, port))
        return self.answers[min(len(self.asked), len(self.answers)) - 1]


async def test_a_name_rebound_to_a_private_address_after_subscribing_is_refused_at_delivery() -> (
    None
):
    lookup = SwitchingLookup(first=["142.250.74.46"], later=["10.0.0.5"])
    endpoint = "https://push.rebind.example/send/abc"
    await PublicEndpointGuard(lookup=lookup).check(endpoint)  # subscribing: a public address
    sender = WebPushSender(VapidKey.generate(), subject=SUBJECT, timeout_s=5, lookup=lookup)
    try:
        outcome = await sender.send(Browser().subscription(endpoint), MESSAGE)
    finally:
        await sender.close()
    assert outcome is PushOutcome.REFUSED
    assert lookup.asked == [("push.rebind.example", 443)] * 2  # checked again when connecting


async def test_any_private_address_of_a_name_refuses_it_even_with_allow_loopback() -> None:
    lookup = SwitchingLookup(first=["127.0.0.1", "192.168.1.20"], later=["127.0.0.1"])
    sender = WebPushSender(
        VapidKey.generate(), subject=SUBJECT, timeout_s=5, allow_loopback=True, lookup=lookup
    )
    try:
        endpoint = "https://push.mixed.example/send/abc"
        outcome = await sender.send(Browser().subscription(endpoint), MESSAGE)
    finally:
        await sender.close()
    assert outcome is PushOutcome.REFUSED
    assert lookup.asked == [("push.mixed.example", 443)]


async def test_a_name_is_connected_at_the_address_the_resolver_checked() -> None:
    """The connection goes to what the guarded resolver answered: here a loopback listener that
    records the connection (the TLS handshake then fails against it, so the push is retried)."""
    connected = asyncio.Event()

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connected.set()
        writer.close()

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    lookup = SwitchingLookup(first=["127.0.0.1"], later=["127.0.0.1"])
    sender = WebPushSender(
        VapidKey.generate(), subject=SUBJECT, timeout_s=5, allow_loopback=True, lookup=lookup
    )
    try:
        endpoint = f"https://push.local-test.example:{port}/send/abc"
        outcome = await sender.send(Browser().subscription(endpoint), MESSAGE)
    finally:
        await sender.close()
        server.close()
        await server.wait_closed()
    assert outcome is PushOutcome.RETRY
    assert connected.is_set()
    assert lookup.asked == [("push.local-test.example", port)]
