"""The app API shows the same rate limits as Mastodon clients read them: ``X-RateLimit-Limit``,
``-Remaining`` and ``-Reset`` (an RFC 3339 time) together, from the same counts as the native
``RateLimit-*``; a refusal is ``429 {"error"}`` with ``Retry-After``. An app token counts against
its user, whose native token shares the budget."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from httpx import Response
from litestar.testing import AsyncTestClient

from social.adapters.postgres.database import Database
from social.app import create_app
from tests.api.conftest import Api, api_settings, bearer
from tests.api.mastodon.tokens import app_token

HOME = "/api/v1/timelines/home"


def _limits(response: Response) -> tuple[int, int, datetime]:
    """The three headers, checked against the standard ones they mirror."""
    headers = response.headers
    limit, remaining = int(headers["x-ratelimit-limit"]), int(headers["x-ratelimit-remaining"])
    assert (limit, remaining) == (
        int(headers["ratelimit-limit"]),
        int(headers["ratelimit-remaining"]),
    )
    reset_text = headers["x-ratelimit-reset"]
    assert reset_text.endswith("Z"), reset_text
    reset = datetime.fromisoformat(reset_text)
    now = datetime.now(UTC)
    window = int(headers["ratelimit-reset"])
    assert (
        now - timedelta(seconds=5)
        <= reset - timedelta(seconds=window)
        <= now + timedelta(seconds=5)
    )
    return limit, remaining, reset


async def test_app_api_answers_carry_the_three_headers(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    settings = api_settings(database_url, tmp_path, rate_limit_reads=50)
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        await api.register("alice")
        token = bearer(await app_token(api, "alice"))
        first = await client.get(HOME, headers=token)
        assert first.status_code == 200, first.text
        limit, remaining, reset = _limits(first)
        assert (limit, remaining) == (50, 49)
        assert timedelta(0) < reset - datetime.now(UTC) <= timedelta(seconds=61)
        second = await client.get(HOME, headers=token)
        assert _limits(second)[:2] == (50, 48)

        anonymous = await client.get("/api/v2/instance")  # /api/v2 reads count too (per IP)
        assert anonymous.status_code == 200 and _limits(anonymous)[0] == 50
        native = await client.get("/api/v1/me", headers=bearer(await api.token_for("bob")))
        assert "ratelimit-limit" in native.headers
        assert "x-ratelimit-limit" not in native.headers  # the native API keeps its headers


async def test_a_refusal_is_the_app_apis_429_and_the_user_shares_one_budget(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    settings = api_settings(database_url, tmp_path, rate_limit_reads=3)
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        jwt = bearer(await api.token_for("alice"))
        app = bearer(await app_token(api, "alice"))
        assert (await client.get("/api/v1/me", headers=jwt)).status_code == 200
        assert (await client.get(HOME, headers=jwt)).status_code == 200  # a JWT is welcome
        assert (await client.get(HOME, headers=app)).status_code == 200
        refused = await client.get(HOME, headers=app)
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/json")
        assert refused.json() == {"error": "Too many requests"}
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert _limits(refused)[:2] == (3, 0)
        native = await client.get("/api/v1/me", headers=jwt)  # the same user, the same count
        assert native.status_code == 429
        assert native.headers["content-type"].startswith("application/problem+json")
        other = await client.get(HOME, headers=bearer(await _bob(api)))
        assert other.status_code == 200  # another user, another budget


async def _bob(api: Api) -> str:
    await api.register("bob")
    return await app_token(api, "bob")


async def test_the_document_lists_the_headers_of_the_app_api(api: Api) -> None:
    document = (await api.client.get("/schema/openapi.json")).json()
    headers = document["components"]["headers"]
    assert headers["X-RateLimit-Reset"]["schema"]["format"] == "date-time"
    home = document["paths"][HOME]["get"]
    for response in home["responses"].values():
        for name in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"):
            assert response["headers"][name]["$ref"].endswith(name)
    native = document["paths"]["/api/v1/feed"]["get"]["responses"]["200"]["headers"]
    assert "X-RateLimit-Limit" not in native
