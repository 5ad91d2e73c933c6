"""Simulated clients writing through nginx as a careful app does: a request that fails on the way
(a 502/503/504 or a broken connection) is sent again, with the same ``Idempotency-Key`` for
uploads and posts, and every write answered 2xx goes into a ledger, checked afterwards."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import httpx

from tests.api.conftest import PASSWORD
from tests.media_files import jpeg

__all__ = ["Client", "Ledger", "register"]

RETRYABLE = {502, 503, 504}
ATTEMPTS = 6


@dataclass
class Ledger:
    """The writes acknowledged (2xx) to the clients, and the requests they had to send again."""

    posts: dict[str, tuple[UUID, UUID]] = field(default_factory=dict)
    """Idempotency-Key → (author, post)."""
    likes: set[tuple[UUID, UUID]] = field(default_factory=set)
    """(who liked, post)."""
    follows: set[tuple[UUID, UUID]] = field(default_factory=set)
    retries: Counter[str] = field(default_factory=Counter)
    """Requests sent again, by client."""
    failures: list[str] = field(default_factory=list)
    """What the retried requests had met first."""


@dataclass
class Client:
    http: httpx.AsyncClient
    name: str
    token: str
    user_id: UUID
    ledger: Ledger
    sent: int = 0

    async def call(self, method: str, path: str, ok: int, **options: Any) -> httpx.Response:
        """The request, sent again after a gateway error or a broken connection."""
        headers = {"Authorization": f"Bearer {self.token}"} | options.pop("headers", {})
        for attempt in range(ATTEMPTS):
            try:
                response = await self.http.request(method, path, headers=headers, **options)
            except httpx.TransportError as exc:
                failure = f"{method} {path}: {type(exc).__name__}"
            else:
                if response.status_code == ok:
                    return response
                if response.status_code not in RETRYABLE:
                    raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
                failure = f"{method} {path}: {response.status_code}"
            self.ledger.retries[self.name] += 1
            self.ledger.failures.append(failure)
            await asyncio.sleep(0.2 * (attempt + 1))
        raise AssertionError(f"{method} {path}: still failing after {ATTEMPTS} attempts")

    async def post(self) -> UUID:
        """Upload a photo, wait for it to be processed (by a worker), post it."""
        self.sent += 1
        key = f"{self.name}-{self.sent}"
        image = jpeg((64 + self.sent, 48))
        upload = await self.call(
            "POST",
            "/api/v1/media",
            202,
            files={"file": (f"{key}.jpg", image, "image/jpeg")},
            headers={"Idempotency-Key": f"{key}-media"},
        )
        media_id = upload.json()["id"]
        for _ in range(1800):  # three minutes at most: CI runs another test beside this one,
            # and after a worker is killed one worker processes everything
            media = (await self.call("GET", f"/api/v1/media/{media_id}", 200)).json()
            if media["status"] != "processing":
                break
            await asyncio.sleep(0.1)
        assert media["status"] == "ready", media
        body = {"caption": f"post {key}", "media_ids": [media_id]}
        made = await self.call(
            "POST", "/api/v1/posts", 201, json=body, headers={"Idempotency-Key": key}
        )
        post_id = UUID(made.json()["id"])
        self.ledger.posts[key] = (self.user_id, post_id)
        return post_id

    async def like(self, post_id: UUID) -> None:
        await self.call("POST", f"/api/v1/posts/{post_id}/like", 200)
        self.ledger.likes.add((self.user_id, post_id))

    async def follow(self, other: Client) -> None:
        await self.call("POST", f"/api/v1/users/{other.name}/follow", 200)
        self.ledger.follows.add((self.user_id, other.user_id))

    async def rounds(self, others: list[Client], count: int, seed: int) -> None:
        """Each round: a post, a like of someone else's post, a follow."""
        rng = random.Random(seed)
        for _ in range(count):
            await self.post()
            theirs = [p for a, p in self.ledger.posts.values() if a != self.user_id]
            if theirs:
                await self.like(rng.choice(theirs))
            await self.follow(rng.choice(others))


async def register(http: httpx.AsyncClient, names: list[str], ledger: Ledger) -> list[Client]:
    """One account per name (before any process is killed: registering is not retried)."""

    async def one(name: str) -> Client:
        body = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
        made = await http.post("/api/v1/auth/register", json=body)
        assert made.status_code == 201, made.text
        token = made.json()["tokens"]["access_token"]
        me = await http.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        return Client(http, name, token, UUID(me.json()["id"]), ledger)

    clients: list[Client] = []
    for start in range(0, len(names), 8):  # password hashing: a few at a time
        clients += await asyncio.gather(*(one(name) for name in names[start : start + 8]))
    return clients
