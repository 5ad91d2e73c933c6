"""Seeing and removing linked OpenID Connect identities, end to end against the real local
provider (its users: ada with a verified email, cy with an unverified one)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import update

from social.adapters.postgres.account_tables import UserRow
from social.adapters.postgres.database import Database
from tests.api.conftest import bearer
from tests.api.test_oidc_flow import client, me, provider_login, sign_in
from tests.services import require_env

__all__ = ["client"]


def issuer() -> str:
    return require_env("OpenID provider", "SOCIAL_TEST_OIDC_ISSUER")["SOCIAL_TEST_OIDC_ISSUER"]


async def identities(client: AsyncTestClient[Litestar], token: str) -> list[dict[str, Any]]:
    listed = await client.get("/api/v1/me/oidc", headers=bearer(token))
    assert listed.status_code == 200, listed.text
    items: list[dict[str, Any]] = listed.json()["items"]
    return items


async def verify_email(database: Database, user_id: str) -> None:
    async with database.sessions() as session:
        await session.execute(
            update(UserRow)
            .where(UserRow.id == UUID(user_id))
            .values(email_verified_at=UserRow.created_at)
        )
        await session.commit()


async def test_the_last_way_in_is_kept_until_the_email_is_verified(
    client: AsyncTestClient[Litestar], database: Database
) -> None:
    first = await sign_in(client, "cy")  # the provider has not verified cy's email
    assert first.status_code == 200, first.text
    token = first.json()["access_token"]
    account = await me(client, first.json())
    assert account["email_verified"] is False
    (linked,) = await identities(client, token)
    assert linked["provider"] == "local" and linked["issuer"] == issuer() and linked["subject"]
    assert datetime.fromisoformat(linked["linked_at"]).tzinfo is not None
    assert (await client.get("/api/v1/me/oidc")).status_code == 401

    refused = await client.delete("/api/v1/me/oidc/local", headers=bearer(token))
    assert refused.status_code == 409, refused.text
    assert refused.json()["type"] == "/problems/oidc-unlink-refused"
    unknown = await client.delete("/api/v1/me/oidc/nope", headers=bearer(token))
    assert unknown.status_code == 404
    assert await identities(client, token) == [linked]

    await verify_email(database, account["id"])
    removed = await client.delete("/api/v1/me/oidc/local", headers=bearer(token))
    assert removed.status_code == 204, removed.text
    assert await identities(client, token) == []
    assert (await client.delete("/api/v1/me/oidc/local", headers=bearer(token))).status_code == 404

    # unlinked, cy's identity meets the sign-in rules again: the account's email is verified
    # here but not at the provider, so it does not link back by itself...
    again = await sign_in(client, "cy")
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/oidc-link-refused"
    # ...only when the signed-in owner links it
    started = await client.post("/api/v1/me/oidc/local/link", headers=bearer(token))
    assert started.status_code == 200, started.text
    returned = await provider_login(started.json()["authorization_url"], "cy")
    relinked = await client.get("/api/v1/auth/oidc/local/callback", params=returned)
    assert relinked.status_code == 200, relinked.text
    assert (await me(client, relinked.json()))["id"] == account["id"]
    (back,) = await identities(client, token)
    assert back["subject"] == linked["subject"]
    assert datetime.fromisoformat(back["linked_at"]) > datetime.fromisoformat(linked["linked_at"])


async def test_a_verified_account_unlinks_and_links_back_by_signing_in(
    client: AsyncTestClient[Litestar],
) -> None:
    first = await sign_in(client, "ada")  # verified at the provider: so is the new account
    assert first.status_code == 200, first.text
    token = first.json()["access_token"]
    account = await me(client, first.json())
    assert account["email_verified"] is True
    (linked,) = await identities(client, token)
    removed = await client.delete("/api/v1/me/oidc/local", headers=bearer(token))
    assert removed.status_code == 204, removed.text
    assert await identities(client, token) == []

    # both sides verified the email: signing in links the identity back to the same account
    again = await sign_in(client, "ada")
    assert again.status_code == 200, again.text
    assert (await me(client, again.json()))["id"] == account["id"]
    assert [i["subject"] for i in await identities(client, token)] == [linked["subject"]]
