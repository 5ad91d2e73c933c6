"""What the app-API read tests share: posts made through the native API, and Link walking."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

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
