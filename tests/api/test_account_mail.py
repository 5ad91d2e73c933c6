"""The mailed account flows end to end on the embedded default (issue 15: AUTH-8 and held
usernames): jobs run in the app's own worker, mail is read from the ``.eml`` files under the
data directory. The request side runs on a ``MutableClock`` the test moves; the worker (which
mints the tokens and purges accounts) keeps real time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from social.adapters.postgres.database import Database
from social.app import create_app
from social.bootstrap import build_use_cases
from tests.api.conftest import PASSWORD, Api, api_settings, bearer, eventually
from tests.api.mailbox import Mailbox
from tests.fakes.shared import MutableClock

VERIFY = "Confirm your email address"
RESET = "Reset your password"
NOTICE = "Security notice for your account"
NEW_PASSWORD = "another sturdy phrase 7"


class MailWorld:
    def __init__(self, api: Api, clock: MutableClock, mailbox: Mailbox) -> None:
        self.api, self.clock, self.mailbox = api, clock, mailbox

    async def post(self, path: str, body: Any = None, token: str | None = None) -> Any:
        headers = bearer(token) if token else None
        return await self.api.client.post(f"/api/v1{path}", json=body, headers=headers)

    async def me(self, token: str) -> Any:
        return await self.api.client.get("/api/v1/me", headers=bearer(token))


World = Callable[..., AbstractAsyncContextManager[MailWorld]]


@pytest.fixture
def mail_world(database: Database, database_url: str, tmp_path: Path) -> World:
    @asynccontextmanager
    async def world(**settings: Any) -> AsyncIterator[MailWorld]:
        app = create_app(
            api_settings(database_url, tmp_path, run_worker_in_process=True, **settings)
        )
        clock = MutableClock(datetime.now(UTC))
        async with AsyncTestClient(app=app) as client:
            app.state.adapters.clock = clock  # the requests' clock; the worker's stays real
            app.state.use_cases = build_use_cases(app.state.adapters)
            yield MailWorld(Api(client=client, database=database), clock, Mailbox(tmp_path))

    return world


async def test_the_verification_link_works_once_and_expires(mail_world: World) -> None:
    async with mail_world() as world:
        alice = await world.api.register("alice")
        token = alice["tokens"]["access_token"]
        assert alice["user"]["email_verified"] is False
        mail = await world.mailbox.next("alice@example.com", VERIFY)
        assert f"http://127.0.0.1:8000/verify-email?token={mail.token()}" in mail.text
        assert f'href="http://127.0.0.1:8000/verify-email?token={mail.token()}"' in mail.html
        assert (await world.post("/auth/email/verify", {"token": mail.token()})).status_code == 204
        assert (await world.me(token)).json()["email_verified"] is True
        again = await world.post("/auth/email/verify", {"token": mail.token()})
        assert again.status_code == 422
        assert again.json()["type"] == "/problems/invalid-token"
        assert again.json()["errors"] == [
            {"field": "token", "message": "is invalid, already used or expired"}
        ]

        bob = await world.api.register("bob")
        resent = await world.post("/me/email/verification", token=bob["tokens"]["access_token"])
        assert (resent.status_code, resent.content) == (202, b"")
        first = await world.mailbox.next("bob@example.com", VERIFY)
        second = await world.mailbox.next("bob@example.com", VERIFY, after=1)
        assert first.token() != second.token()
        world.clock.advance(hours=24, minutes=5)  # (the request clock started earlier)
        for mail in (first, second):
            late = await world.post("/auth/email/verify", {"token": mail.token()})
            assert late.status_code == 422 and late.json()["type"] == "/problems/invalid-token"


async def test_forgot_password_answers_the_same_for_unknown_addresses(mail_world: World) -> None:
    async with mail_world() as world:
        await world.api.register("alice")
        unknown = await world.post("/auth/password/forgot", {"email": "nobody@example.com"})
        known = await world.post("/auth/password/forgot", {"email": "alice@example.com"})
        assert unknown.status_code == known.status_code == 202
        assert unknown.content == known.content == b""
        # what differs between any two requests: their ids, the clock, and the IP's budget
        # (its seconds to reset may tick between the two)
        varying = {"x-request-id", "date", "ratelimit-remaining", "ratelimit-reset"}

        def same(response: Any) -> dict[str, str]:
            return {k: v for k, v in response.headers.items() if k.lower() not in varying}

        assert same(unknown) == same(known)
        remaining = [int(r.headers["ratelimit-remaining"]) for r in (unknown, known)]
        assert remaining[0] - remaining[1] == 1  # each counted once against the IP
        resets = [int(r.headers["ratelimit-reset"]) for r in (unknown, known)]
        assert abs(resets[0] - resets[1]) <= 1  # the same window
        await world.mailbox.next("alice@example.com", RESET)
        assert world.mailbox.to("nobody@example.com") == []
        bad = await world.post("/auth/password/forgot", {"email": "not an address"})
        assert bad.status_code == 422


async def test_a_reset_ends_every_session_and_works_once(mail_world: World) -> None:
    async with mail_world() as world:
        first = (await world.api.register("alice"))["tokens"]
        login = {"login": "alice", "password": PASSWORD}
        second = (await world.post("/auth/login", login)).json()
        await world.post("/auth/password/forgot", {"email": "alice@example.com"})
        token = (await world.mailbox.next("alice@example.com", RESET)).token()
        weak = await world.post("/auth/password/reset", {"token": token, "new_password": "short"})
        assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "new_password"
        body = {"token": token, "new_password": NEW_PASSWORD}
        assert (await world.post("/auth/password/reset", body)).status_code == 204
        for tokens in (first, second):
            assert (await world.me(tokens["access_token"])).status_code == 401
            refresh = await world.post("/auth/refresh", {"refresh_token": tokens["refresh_token"]})
            assert refresh.status_code == 401
        assert (await world.post("/auth/login", login)).status_code == 401
        fresh = await world.post("/auth/login", {"login": "alice", "password": NEW_PASSWORD})
        assert fresh.status_code == 200
        assert (await world.me(fresh.json()["access_token"])).json()["email_verified"] is True
        reused = await world.post("/auth/password/reset", body | {"new_password": "a third one 55"})
        assert reused.status_code == 422 and reused.json()["type"] == "/problems/invalid-token"
        notice = await world.mailbox.next("alice@example.com", NOTICE)
        assert "was reset" in notice.text


async def test_a_reset_link_expires_after_an_hour(mail_world: World) -> None:
    async with mail_world() as world:
        await world.api.register("alice")
        await world.post("/auth/password/forgot", {"email": "alice@example.com"})
        token = (await world.mailbox.next("alice@example.com", RESET)).token()
        world.clock.advance(hours=1, minutes=5)
        body = {"token": token, "new_password": NEW_PASSWORD}
        late = await world.post("/auth/password/reset", body)
        assert late.status_code == 422 and late.json()["type"] == "/problems/invalid-token"


async def test_forgot_password_is_limited_per_ip_and_per_address(mail_world: World) -> None:
    async with mail_world(
        rate_limit_password_forgot=4, rate_limit_password_forgot_per_email=2
    ) as world:
        answers = [
            (await world.post("/auth/password/forgot", {"email": "x@example.com"})).status_code
            for _ in range(3)
        ]
        assert answers == [202, 202, 429]  # the address's limit
        other = await world.post("/auth/password/forgot", {"email": "y@example.com"})
        assert other.status_code == 202  # the fourth from this IP
        over = await world.post("/auth/password/forgot", {"email": "z@example.com"})
        assert over.status_code == 429 and "retry-after" in over.headers  # the IP's limit


async def test_a_password_change_is_mailed(mail_world: World) -> None:
    async with mail_world() as world:
        token = (await world.api.register("alice"))["tokens"]["access_token"]
        body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        assert (await world.post("/me/password", body, token=token)).status_code == 204
        notice = await world.mailbox.next("alice@example.com", NOTICE)
        assert "password of your account was changed" in notice.text


async def test_a_deleted_username_is_held_then_free(mail_world: World) -> None:
    async with mail_world(username_hold_days=30) as world:
        token = (await world.api.register("carol"))["tokens"]["access_token"]
        deleted = await world.api.client.request(
            "DELETE", "/api/v1/me", json={"password": PASSWORD}, headers=bearer(token)
        )
        assert deleted.status_code == 202

        async def purged() -> bool:
            async with world.api.database.sessions() as session:
                query = text("SELECT count(*) FROM users WHERE username = 'carol'")
                return (await session.execute(query)).scalar() == 0

        await eventually(purged)
        await world.api.register("dave")
        body = {"email": "new@example.com", "password": PASSWORD}
        held = await world.post("/auth/register", body | {"username": "carol"})
        live = await world.post("/auth/register", body | {"username": "dave"})
        assert held.status_code == live.status_code == 409
        assert held.json() == live.json()
        world.clock.advance(days=30, minutes=5)
        free = await world.post("/auth/register", body | {"username": "carol"})
        assert free.status_code == 201, free.text
