"""What the app-API read tests share: posts made through the native API, and Link walking."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

from litestar import Litestar

from tests.api.conftest import Api, bearer, eventually

LINK = re.compile(r'<([^>]+)>; rel="(next|prev)"')


def links(response: Any) -> dict[str, dict[str, str]]:
    """``rel`` → the query of its URL (first values), from a ``Link`` header."""
    found = {}
    for url, rel in LINK.findall(response.headers.get("link", "")):
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https") and parts.netloc, url  # absolute
        found[rel] = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return found


async def walk(api: Api, path: str, token: str | None, **params: Any) -> list[str]:
    """Every status id of a list, page after page by ``rel="next"``, as Mastodon.py's
    ``fetch_remaining`` does (it keeps only ``max_id`` from the link, plus its own params)."""
    headers = bearer(token) if token else {}
    seen: list[str] = []
    query = dict(params)
    for _ in range(50):
        response = await api.client.get(path, params=query, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        assert isinstance(page, list)
        if not page:
            return seen
        seen += [status["id"] for status in page]
        following = links(response).get("next")
        if following is None:
            return seen
        max_id = following["max_id"]
        assert re.fullmatch(r"[A-Za-z0-9_.~-]+", max_id), max_id  # copied raw by clients
        query = {**params, "max_id": max_id}
    raise AssertionError("the list never ended")


async def feed_ids(api: Api, token: str) -> list[str]:
    """The native home feed's item ids (post ids, share ids), every page."""
    ids: list[str] = []
    cursor = None
    while True:
        params = {"limit": 100} | ({"cursor": cursor} if cursor else {})
        response = await api.client.get("/api/v1/feed", params=params, headers=bearer(token))
        body = response.json()
        ids += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return ids


async def feed_holds(api: Api, token: str, count: int) -> None:
    async def arrived() -> bool:
        return len(await feed_ids(api, token)) >= count

    await eventually(arrived, 60)


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    """The ASGI lifespan driven by hand, so the app runs in this event loop."""
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    task = asyncio.create_task(app(scope, inbox.get, outbox.put))  # type: ignore[arg-type]
    await inbox.put({"type": "lifespan.startup"})
    assert (await outbox.get())["type"] == "lifespan.startup.complete"
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await outbox.get()
        await task


async def asgi_get(app: Litestar, path: str, token: str) -> tuple[int, bytes]:
    """``GET path?limit=20`` straight through the ASGI app: the status and the body."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"limit=20",
        "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("bench", 80),
        "root_path": "",
        "state": {},
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)  # type: ignore[arg-type]
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])
