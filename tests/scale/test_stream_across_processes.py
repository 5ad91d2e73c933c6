"""A WebSocket held by one API process hears of what a request to the other one caused: the
request commits on A, a ``social worker`` process runs the notification job and publishes on
Redis, and B pushes it to its socket. Also through nginx, whose config passes the upgrade on."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import websockets
from benchmarks.scale_out.stack import Stack
from websockets.asyncio.client import ClientConnection

from tests.scale.workload import Ledger, register

WAIT_S = 30.0
"""How long a socket may wait for its event before the test fails (not a measurement)."""


async def next_event(socket: ClientConnection, kind: str) -> dict[str, Any]:
    """The first message of ``kind`` (heartbeats and others skipped)."""

    seen: list[str] = []

    async def wait() -> dict[str, Any]:
        while True:
            message = json.loads(await socket.recv())
            if message["event"] == kind:
                return dict(message["data"])
            seen.append(message["event"])

    try:
        return await asyncio.wait_for(wait(), WAIT_S)
    except TimeoutError:
        raise AssertionError(f"no {kind} within {WAIT_S:.0f} s; heard only {seen}") from None


def ws_url(base: str, token: str) -> str:
    return f"{base.replace('http://', 'ws://')}/api/v1/stream?access_token={token}"


async def test_an_event_caused_on_one_process_reaches_a_socket_held_by_the_other(
    stack: Stack,
) -> None:
    ledger = Ledger()
    async with (
        httpx.AsyncClient(base_url=stack.api_url(0), timeout=30) as on_a,
        httpx.AsyncClient(base_url=stack.url, timeout=30) as through_nginx,
    ):
        alice, bob, carol = await register(on_a, ["alice", "bob", "carol"], ledger)
        async with (
            websockets.connect(ws_url(stack.api_url(1), bob.token)) as held_by_b,
            websockets.connect(ws_url(stack.url, carol.token)) as via_nginx,
        ):
            assert (await next_event(held_by_b, "ready"))["user_id"] == str(bob.user_id)
            assert (await next_event(via_nginx, "ready"))["user_id"] == str(carol.user_id)
            await alice.follow(bob)  # on process A
            heard = await next_event(held_by_b, "notification")
            assert heard["kind"] == "follow" and heard["actor"]["username"] == "alice"
            carol.http = through_nginx
            alice.http = through_nginx
            await alice.follow(carol)
            heard = await next_event(via_nginx, "notification")
            assert heard["kind"] == "follow" and heard["actor"]["username"] == "alice"
    assert ledger.retries.total() == 0
