"""Sign-in with OpenID Connect, end to end against the real local provider (zitadel/oidc's
example server, started by ``scripts/services.sh``: users ada, ben (verified emails) and cy
(unverified)). The provider's login form is driven over HTTP like a browser would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update

from social.adapters.postgres.account_tables import UserRow
from social.adapters.postgres.database import Database
from social.adapters.postgres.oidc_tables import OidcLoginRow
from social.app import create_app
from social.bootstrap import open_adapters
from social.settings import Settings
from tests.api.conftest import PASSWORD, api_settings, bearer
from tests.fakes.shared import MutableClock
from tests.services import require_env

PROVIDER_PASSWORD = "oidc-test-password"
CALLBACK = "http://social.test/api/v1/auth/oidc/local/callback"


def oidc_settings(database_url: str, tmp_path: Path) -> Settings:
    issuer = require_env("OpenID provider", "SOCIAL_TEST_OIDC_ISSUER")["SOCIAL_TEST_OIDC_ISSUER"]
    return api_settings(
        database_url,
        tmp_path,
        public_url="http://social.test",
        oidc_provider_name="local",
        oidc_display_name="Local provider",
        oidc_issuer=issuer,
        oidc_client_id="web",
        oidc_client_secret="secret",
    )


@pytest.fixture
async def client(
    database: Database, database_url: str, tmp_path: Path
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=create_app(oidc_settings(database_url, tmp_path))) as c:
        yield c


async def provider_login(authorization_url: str, username: str) -> dict[str, str]:
    """Sign in at the provider as ``username``; the query it sends the browser back with."""
    async with httpx.AsyncClient() as browser:
        asked = await browser.get(authorization_url)
        assert asked.status_code == 302, asked.text
        form_url = urljoin(authorization_url, asked.headers["location"])
        form = await browser.get(form_url)
        assert 'name="password"' in form.text
        request_id = parse_qs(urlsplit(form_url).query)["authRequestID"][0]
        posted = await browser.post(
            urljoin(authorization_url, "/login/username"),
            data={"id": request_id, "username": username, "password": PROVIDER_PASSWORD},
        )
        assert posted.status_code == 302, posted.text
        back = await browser.get(urljoin(authorization_url, posted.headers["location"]))
        assert back.status_code == 302, back.text
        location = back.headers["location"]
    assert location.startswith(CALLBACK + "?"), location
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


async def start(client: httpx.AsyncClient) -> str:
    started = await client.get("/api/v1/auth/oidc/local/start")
    assert started.status_code == 200, started.text
    assert "social_oidc" in started.cookies
    url: str = started.json()["authorization_url"]
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["redirect_uri"] == [CALLBACK]
    return url


async def sign_in(client: httpx.AsyncClient, username: str) -> httpx.Response:
    returned = await provider_login(await start(client), username)
    return await client.get("/api/v1/auth/oidc/local/callback", params=returned)


async def me(client: httpx.AsyncClient, tokens: dict[str, Any]) -> dict[str, Any]:
    answer = await client.get("/api/v1/me", headers=bearer(tokens["access_token"]))
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


async def test_providers_are_listed(client: AsyncTestClient[Litestar]) -> None:
    listed = await client.get("/api/v1/auth/oidc/providers")
    assert listed.status_code == 200
    assert [p["name"] for p in listed.json()["items"]] == ["local"]
    assert (await client.get("/api/v1/auth/oidc/nope/start")).status_code == 404


async def test_first_sign_in_creates_an_account_and_the_next_signs_into_it(
    client: AsyncTestClient[Litestar],
) -> None:
    first = await sign_in(client, "ada")
    assert first.status_code == 200, first.text
    account = await me(client, first.json())
    assert account["username"] == "ada"
    second = await sign_in(client, "ada")
    assert second.status_code == 200, second.text
    assert (await me(client, second.json()))["id"] == account["id"]
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": second.json()["refresh_token"]}
    )
    assert refreshed.status_code == 200


async def test_a_forged_state_is_refused(client: AsyncTestClient[Litestar]) -> None:
    returned = await provider_login(await start(client), "ada")
    forged = await client.get(
        "/api/v1/auth/oidc/local/callback", params=returned | {"state": "forged-state"}
    )
    assert forged.status_code == 401
    assert forged.json()["type"].endswith("oidc-refused")


async def test_a_code_works_once(client: AsyncTestClient[Litestar]) -> None:
    returned = await provider_login(await start(client), "ada")
    assert (
        await client.get("/api/v1/auth/oidc/local/callback", params=returned)
    ).status_code == 200
    again = await client.get("/api/v1/auth/oidc/local/callback", params=returned)
    assert again.status_code == 401


async def test_another_browser_cannot_finish_the_sign_in(
    client: AsyncTestClient[Litestar],
) -> None:
    returned = await provider_login(await start(client), "ada")
    client.cookies.clear()
    planted = await client.get("/api/v1/auth/oidc/local/callback", params=returned)
    assert planted.status_code == 401


async def test_a_code_from_another_sign_in_is_refused(
    client: AsyncTestClient[Litestar],
) -> None:
    """The code of sign-in A presented with the state of sign-in B: B's PKCE verifier does
    not match A's challenge, so the provider refuses the code (had it not, A's nonce would)."""
    code_of_a = (await provider_login(await start(client), "ada"))["code"]
    state_of_b = (await provider_login(await start(client), "ada"))["state"]
    mixed = await client.get(
        "/api/v1/auth/oidc/local/callback", params={"code": code_of_a, "state": state_of_b}
    )
    assert mixed.status_code == 401
    assert mixed.json()["type"].endswith("oidc-refused")


async def test_a_tampered_stored_nonce_is_refused(
    client: AsyncTestClient[Litestar], database: Database
) -> None:
    returned = await provider_login(await start(client), "ada")
    async with database.sessions() as session:
        await session.execute(update(OidcLoginRow).values(nonce="not-the-nonce-sent"))
        await session.commit()
    refused = await client.get("/api/v1/auth/oidc/local/callback", params=returned)
    assert refused.status_code == 401
    assert "nonce" in refused.json()["detail"]


async def test_an_existing_account_links_only_when_both_emails_are_verified(
    client: AsyncTestClient[Litestar], database: Database
) -> None:
    body = {"username": "benjamin", "email": "ben@oidc.test", "password": PASSWORD}
    assert (await client.post("/api/v1/auth/register", json=body)).status_code == 201
    refused = await sign_in(client, "ben")  # ours is not verified yet
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("oidc-link-refused")
    async with database.sessions() as session:
        await session.execute(
            update(UserRow)
            .where(UserRow.username == "benjamin")
            .values(email_verified_at=UserRow.created_at)
        )
        await session.commit()
    linked = await sign_in(client, "ben")
    assert linked.status_code == 200, linked.text
    assert (await me(client, linked.json()))["username"] == "benjamin"


async def test_an_unverified_provider_email_never_links(
    client: AsyncTestClient[Litestar], database: Database
) -> None:
    body = {"username": "cyrus", "email": "cy@oidc.test", "password": PASSWORD}
    assert (await client.post("/api/v1/auth/register", json=body)).status_code == 201
    async with database.sessions() as session:
        await session.execute(update(UserRow).values(email_verified_at=UserRow.created_at))
        await session.commit()
    refused = await sign_in(client, "cy")
    assert refused.status_code == 409


@asynccontextmanager
async def app_ahead(settings: Settings, ahead: timedelta) -> AsyncIterator[httpx.AsyncClient]:
    """The app on its real adapters with a clock ``ahead`` of the provider's."""
    async with open_adapters(settings) as opened:
        clock = MutableClock(opened.clock.now() + ahead)
        app = create_app(settings, adapters=replace(opened, clock=clock))
        transport = httpx.ASGITransport(app=cast("Any", app))
        async with (
            app.lifespan(),
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as c,
        ):
            yield c


async def test_an_expired_id_token_is_refused(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    """The provider issues ID tokens for an hour: two hours later, by our clock, its real
    token has expired."""
    async with app_ahead(oidc_settings(database_url, tmp_path), timedelta(hours=2)) as c:
        refused = await sign_in(c, "ada")
    assert refused.status_code == 401
    assert "expired" in refused.json()["detail"]


async def test_sign_ins_count_on_the_login_budget(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    settings = oidc_settings(database_url, tmp_path).with_values(rate_limit_login=2)
    async with AsyncTestClient(app=create_app(settings)) as c:
        assert (await c.get("/api/v1/auth/oidc/local/start")).status_code == 200
        refused = await c.get("/api/v1/auth/oidc/local/callback?code=x&state=y")
        assert refused.status_code == 401
        limited = await c.get("/api/v1/auth/oidc/local/start")
        assert limited.status_code == 429


async def test_a_signed_in_account_links_an_identity_whatever_the_emails(
    client: AsyncTestClient[Litestar],
) -> None:
    body = {"username": "benjamin", "email": "ben@oidc.test", "password": PASSWORD}
    registered = await client.post("/api/v1/auth/register", json=body)
    token = registered.json()["tokens"]["access_token"]
    assert (await sign_in(client, "ben")).status_code == 409  # unverified here: no auto-link
    assert (await client.post("/api/v1/me/oidc/local/link")).status_code == 401
    started = await client.post("/api/v1/me/oidc/local/link", headers=bearer(token))
    assert started.status_code == 200, started.text
    returned = await provider_login(started.json()["authorization_url"], "ben")
    linked = await client.get("/api/v1/auth/oidc/local/callback", params=returned)
    assert linked.status_code == 200, linked.text
    assert (await me(client, linked.json()))["username"] == "benjamin"
    again = await sign_in(client, "ben")
    assert again.status_code == 200
    assert (await me(client, again.json()))["username"] == "benjamin"


async def test_an_identity_linked_to_one_account_cannot_be_linked_to_another(
    client: AsyncTestClient[Litestar],
) -> None:
    assert (await sign_in(client, "ada")).status_code == 200  # ada's identity: a new account
    body = {"username": "other", "email": "other@example.com", "password": PASSWORD}
    token = (await client.post("/api/v1/auth/register", json=body)).json()["tokens"]
    started = await client.post("/api/v1/me/oidc/local/link", headers=bearer(token["access_token"]))
    returned = await provider_login(started.json()["authorization_url"], "ada")
    refused = await client.get("/api/v1/auth/oidc/local/callback", params=returned)
    assert refused.status_code == 409
