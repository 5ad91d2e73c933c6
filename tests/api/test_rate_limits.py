"""Rate limits for every endpoint class (OPS-1): per user, per IP when anonymous, the standard
headers, and proxies believed only when configured."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient

from social.adapters.http.client_ip import Networks, client_ip
from social.adapters.postgres.database import Database
from social.app import create_app
from tests.api.conftest import Api, api_settings, bearer


async def test_writes_are_limited_per_user_with_the_standard_headers(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    settings = api_settings(database_url, tmp_path, rate_limit_writes=3, rate_limit_reads=5)
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        alice, bob = await api.token_for("alice"), await api.token_for("bob")
        statuses = []
        for _ in range(4):
            response = await client.patch("/api/v1/me", json={"bio": "hi"}, headers=bearer(alice))
            statuses.append(response.status_code)
        assert statuses == [200, 200, 200, 429]
        assert response.headers["content-type"].startswith("application/problem+json")
        assert 1 <= int(response.headers["retry-after"]) <= 60
        assert response.headers["ratelimit-limit"] == "3"
        assert response.headers["ratelimit-remaining"] == "0"
        ok = await client.patch("/api/v1/me", json={"bio": "hi"}, headers=bearer(bob))
        assert ok.status_code == 200 and ok.headers["ratelimit-remaining"] == "2"
        reads = [
            (await client.get("/api/v1/me", headers=bearer(alice))).status_code for _ in range(6)
        ]
        assert reads == [200] * 5 + [429]  # reads have their own budget


async def test_anonymous_callers_count_per_ip_and_a_forged_header_changes_nothing(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    settings = api_settings(database_url, tmp_path, rate_limit_reads=2)
    async with AsyncTestClient(app=create_app(settings)) as client:
        statuses = []
        for forwarded in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
            response = await client.get("/api/v1/explore", headers={"x-forwarded-for": forwarded})
            statuses.append(response.status_code)
    assert statuses == [200, 200, 429]  # one caller, whatever it claims


def _scope(peer: str, forwarded: str | None) -> Any:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return {"client": (peer, 5000), "headers": headers}


def test_forwarded_addresses_are_believed_from_our_proxies_only() -> None:
    proxies = Networks(["10.0.0.0/8", "192.0.2.7"])
    assert client_ip(_scope("198.51.100.9", "203.0.113.1"), proxies) == "198.51.100.9"
    assert client_ip(_scope("10.1.2.3", "203.0.113.1"), proxies) == "203.0.113.1"
    # the client's own claim comes first; every proxy appends the peer it saw
    assert (
        client_ip(_scope("10.1.2.3", "6.6.6.6, 203.0.113.1, 192.0.2.7"), proxies) == "203.0.113.1"
    )
    assert client_ip(_scope("10.1.2.3", None), proxies) == "10.1.2.3"
    assert client_ip(_scope("10.1.2.3", "not-an-ip"), proxies) == "not-an-ip"
    assert client_ip(_scope("10.1.2.3", "203.0.113.1"), Networks([])) == "10.1.2.3"
