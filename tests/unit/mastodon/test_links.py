"""Mastodon's paging parameters over our cursors, and the Link header."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from uuid import UUID

import pytest
from litestar import Litestar, Request, get
from litestar.testing import TestClient

from social.adapters.http.pagination import encode_cursor
from social.adapters.mastodon.links import clamp_limit, link_header, time_paging
from social.domain.shared.errors import Invalid
from social.domain.shared.ids import new_id
from social.domain.shared.pagination import Cursor

AT = datetime(2026, 12, 3, 18, 42, 2, 123456, tzinfo=UTC)


def test_limit_is_clamped_not_refused() -> None:
    assert clamp_limit(None) == 20
    assert clamp_limit(0) == 1 and clamp_limit(80) == 40 and clamp_limit(7) == 7


def test_max_id_as_our_token_reads_exactly_after_it() -> None:
    cursor = Cursor(AT, new_id())
    paging = time_paging(10, encode_cursor(cursor))
    assert paging.request.after == cursor and paging.request.limit == 10
    items = [(AT, new_id())]
    assert paging.keep(items, lambda item: item) == items  # nothing filtered


def test_max_id_as_a_plain_id_reads_from_its_millisecond_and_keeps_smaller_ids() -> None:
    older, given, same_ms_later = new_id(), new_id(), new_id()
    paging = time_paging(None, str(given))
    after = paging.request.after
    assert after is not None and after.id == given
    millis = datetime.fromtimestamp((given.int >> 80) / 1000, tz=UTC)
    assert after.at == millis + timedelta(milliseconds=2)
    rows = [(AT, same_ms_later), (AT, given), (AT, older)]
    assert paging.keep(rows, lambda row: row) == [(AT, older)]


def test_since_and_min_id_cut_the_first_page() -> None:
    given = Cursor(AT - timedelta(seconds=1), new_id())
    newer = Cursor(AT, new_id())  # made after: a greater id
    rows = [(newer.at, newer.id), (given.at, given.id)]
    for paging in (
        time_paging(None, None, min_id=encode_cursor(given)),
        time_paging(None, None, since_id=encode_cursor(given)),
        time_paging(None, None, since_id=str(given.id)),
        time_paging(None, None, min_id=str(given.id)),
    ):
        assert paging.request.after is None and paging.cut
        assert paging.keep(rows, lambda row: row) == [(newer.at, newer.id)]


@pytest.mark.parametrize("bad", ["nope", "0190a4c2-7a3e-4000-8000-000000000000", "W10"])
def test_anything_else_is_a_422_naming_the_parameter(bad: str) -> None:
    with pytest.raises(Invalid) as raised:
        time_paging(None, bad)
    assert "max_id" in str(raised.value.errors)


def test_the_link_header_is_absolute_and_keeps_the_clients_own_parameters() -> None:
    cursor, first = Cursor(AT, UUID(int=5)), Cursor(AT, UUID(int=9))

    @get("/api/v1/timelines/tag/cats", sync_to_thread=False)
    def handler(request: Request[Any, Any, Any]) -> dict[str, str]:
        return link_header(request, "https://social.example", cursor, first)

    with TestClient(Litestar([handler])) as client:
        query = {"limit": "5", "only_media": "1", "max_id": "x", "since_id": "y"}
        header = client.get("/api/v1/timelines/tag/cats", params=query).json()["Link"]
    found = {}
    for url, rel in re.findall(r'<([^>]+)>; rel="(next|prev)"', header):
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
            "https://social.example/api/v1/timelines/tag/cats"
        )
        found[rel] = dict(parse_qsl(parts.query))
    assert found == {
        "next": {"limit": "5", "only_media": "1", "max_id": encode_cursor(cursor)},
        "prev": {"limit": "5", "only_media": "1", "min_id": encode_cursor(first)},
    }
