"""Delivery to push services (RFC 8030) through one shared aiohttp session (``PushSender``).

The address policy runs at connection time: names are resolved by ``GuardedResolver``, which
refuses the whole name when any address is not allowed and hands aiohttp only the addresses it
checked, so a DNS answer that changes between the check and the connection (rebinding) changes
nothing. Address literals never reach a resolver; ``parse_endpoint`` checks those. Redirects
are not followed, and at most ``MAX_BODY_BYTES`` of an answer is read.
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from social.adapters.push.address_policy import (
    Lookup,
    check_addresses,
    parse_endpoint,
    system_lookup,
)
from social.adapters.push.encryption import encrypt
from social.adapters.push.vapid import VapidKey
from social.domain.notifications.push_ports import PushMessage, PushOutcome, PushSubscription
from social.domain.shared.errors import Invalid

__all__ = ["MAX_BODY_BYTES", "GuardedResolver", "RefusedAddress", "WebPushSender"]

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
_URGENCIES = frozenset({"very-low", "low", "normal", "high"})
_TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")
_DELIVERED = frozenset({200, 201, 202})
_GONE = frozenset({404, 410})


class RefusedAddress(Exception):
    """A name resolved to an address the policy refuses (deliberately not an ``OSError``:
    aiohttp passes it through instead of retrying another address)."""

    def __init__(self, invalid: Invalid) -> None:
        super().__init__(invalid.message)
        self.invalid = invalid


class GuardedResolver(AbstractResolver):
    """Resolves like the system does, then refuses unless every address is allowed."""

    def __init__(self, *, allow_loopback: bool, lookup: Lookup | None = None) -> None:
        self._allow_loopback = allow_loopback
        self._lookup = lookup or system_lookup

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        name = host.rstrip(".").lower()
        addresses = await self._lookup(name, port)
        try:
            check_addresses(name, addresses, allow_loopback=self._allow_loopback)
        except Invalid as exc:
            raise RefusedAddress(exc) from None
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=socket.IPPROTO_TCP,
                flags=socket.AI_NUMERICHOST,
            )
            for address in addresses
        ]

    async def close(self) -> None:
        return None


class WebPushSender:
    """Encrypts for the device, signs with the VAPID key and posts to its push service."""

    def __init__(
        self,
        vapid: VapidKey,
        *,
        subject: str,
        timeout_s: float,
        allow_loopback: bool = False,
        lookup: Lookup | None = None,
    ) -> None:
        self._vapid = vapid
        self._subject = subject
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._allow_loopback = allow_loopback
        self._lookup = lookup
        self._session: aiohttp.ClientSession | None = None
        self._session_lock = asyncio.Lock()

    @property
    def public_key(self) -> str:
        return self._vapid.public_key

    async def send(self, subscription: PushSubscription, message: PushMessage) -> PushOutcome:
        where = _describe(subscription)
        try:
            parse_endpoint(subscription.endpoint, allow_loopback=self._allow_loopback)
            headers = self._headers(subscription, message)
            body = encrypt(message.payload, p256dh=subscription.p256dh, auth=subscription.auth)
        except (Invalid, ValueError) as exc:
            log.warning("push to %s refused before sending: %s", where, exc)
            return PushOutcome.REFUSED
        session = await self._open()
        try:
            async with session.post(
                subscription.endpoint, data=body, headers=headers, allow_redirects=False
            ) as response:
                await response.content.read(MAX_BODY_BYTES)
                status = response.status
        except RefusedAddress as exc:
            log.warning("push to %s refused at connection time: %s", where, exc)
            return PushOutcome.REFUSED
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            refused = _refused_cause(exc)
            if refused is not None:
                log.warning("push to %s refused at connection time: %s", where, refused)
                return PushOutcome.REFUSED
            log.info("push to %s failed, will retry: %r", where, exc)
            return PushOutcome.RETRY
        return _outcome(status, where)

    def _headers(self, subscription: PushSubscription, message: PushMessage) -> dict[str, str]:
        if message.urgency not in _URGENCIES:
            raise ValueError(f"urgency {message.urgency!r} is not one of RFC 8030's")
        if message.ttl_s < 0:
            raise ValueError("a push TTL cannot be negative")
        headers = {
            "Authorization": self._vapid.authorization(subscription.endpoint, self._subject),
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
            "TTL": str(message.ttl_s),
            "Urgency": message.urgency,
        }
        if message.topic is not None:
            if not _TOPIC.fullmatch(message.topic):
                raise ValueError("a push topic is 1 to 32 characters of [A-Za-z0-9_-]")
            headers["Topic"] = message.topic
        return headers

    async def _open(self) -> aiohttp.ClientSession:
        async with self._session_lock:
            if self._session is None or self._session.closed:
                connector = aiohttp.TCPConnector(
                    resolver=GuardedResolver(
                        allow_loopback=self._allow_loopback, lookup=self._lookup
                    ),
                    use_dns_cache=False,
                    limit=64,
                )
                self._session = aiohttp.ClientSession(
                    connector=connector,
                    timeout=self._timeout,
                    trust_env=False,
                    auto_decompress=False,
                    headers={"User-Agent": "social-webpush"},
                )
            return self._session

    async def close(self) -> None:
        """Close the shared session (the composition root calls it on shutdown)."""
        async with self._session_lock:
            if self._session is not None:
                await self._session.close()
                self._session = None


def _refused_cause(exc: BaseException) -> RefusedAddress | None:
    """The policy refusal behind an aiohttp error, if that is what it wraps."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, RefusedAddress):
            return seen
        os_error = getattr(seen, "os_error", None)
        if isinstance(os_error, RefusedAddress):
            return os_error
        seen = seen.__cause__ or seen.__context__
    return None


def _outcome(status: int, where: str) -> PushOutcome:
    if status in _DELIVERED:
        return PushOutcome.DELIVERED
    if status in _GONE:
        log.info("push subscription %s is gone (%d)", where, status)
        return PushOutcome.GONE
    if status == 429 or status >= 500:
        log.info("push service for %s answered %d, will retry", where, status)
        return PushOutcome.RETRY
    log.warning("push service for %s refused the push (%d)", where, status)
    return PushOutcome.REFUSED


def _describe(subscription: PushSubscription) -> str:
    """A subscription in logs: its id and push service host, never the endpoint's secret path."""
    try:
        host = urlsplit(subscription.endpoint).hostname or "?"
    except ValueError:
        host = "?"
    return f"{subscription.id} at {host}"
