"""Helpers of the app API's account tests: people with their ids and tokens, and pages
followed through their ``Link`` headers as Mastodon.py follows them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from httpx import Response

from tests.api.conftest import Api, bearer

__all__ = ["Person", "links", "person", "walk"]

_LINK = re.compile(r'<([^>]+)>;\s*rel="(\w+)"')


@dataclass(frozen=True)
class Person:
    username: str
    id: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return bearer(self.token)


async def person(api: Api, username: str, *, private: bool = False) -> Person:
    registered = await api.register(username)
    token = str(registered["tokens"]["access_token"])
    if private:
        changed = await api.client.patch(
            "/api/v1/me", json={"is_private": True}, headers=bearer(token)
        )
        assert changed.status_code == 200, changed.text
    return Person(username, str(registered["user"]["id"]), token)


def links(response: Response) -> dict[str, str]:
    """``rel`` → URL of the ``Link`` header."""
    return {rel: url for url, rel in _LINK.findall(response.headers.get("link", ""))}


async def walk(
    api: Api, path: str, headers: dict[str, str], **params: Any
) -> tuple[list[list[dict[str, Any]]], list[str]]:
    """Every page of a list (as Mastodon.py's ``fetch_remaining``: only ``max_id`` of the
    ``next`` link is kept, with the client's own parameters), and the ``next`` URLs seen."""
    pages: list[list[dict[str, Any]]] = []
    nexts: list[str] = []
    query = dict(params)
    for _ in range(100):
        response = await api.client.get(path, params=query, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        if not page:
            return pages, nexts
        pages.append(page)
        following = links(response).get("next")
        if following is None:
            return pages, nexts
        nexts.append(following)
        found = dict(parse_qsl(urlsplit(following).query))
        query = {**params, "max_id": found["max_id"]}
    raise AssertionError("the list never ended")
