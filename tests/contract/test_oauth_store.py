"""One suite for the OAuth store (``OAuthRepository``) and the grant lookup
(``AppTokenLookup``), on the fake and on PostgreSQL: apps, tokens and codes read back as
written, a code is claimed once (of two concurrent claims one wins), revoked tokens grant
nothing, and a session holding a live app token is listed and outlives the session purge."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

import pytest

from social.adapters.postgres.oauth import AsyncpgAppTokenLookup
from social.domain.accounts.authenticate_app import AppTokenGrant, AppTokenLookup
from social.domain.accounts.model import AuthSession, User
from social.domain.accounts.oauth_model import (
    AccessToken,
    AuthorizationCode,
    ClientApp,
    hash_secret,
    new_secret,
)
from social.domain.accounts.oauth_ports import OAuthUnitOfWork
from social.domain.shared.ids import new_id
from tests.contract.stores import STORE_NOW, make_user, postgres_backend
from tests.fakes.accounts import AccountsStore, InMemoryUnitOfWork
from tests.fakes.oauth import InMemoryAppTokenLookup


@dataclass
class Backend:
    uow: Callable[[], OAuthUnitOfWork]
    grants: AppTokenLookup


@pytest.fixture(params=["fake", "postgres"])
def oauth(request: pytest.FixtureRequest) -> Backend:
    if request.param == "fake":
        store = AccountsStore()
        return Backend(lambda: InMemoryUnitOfWork(store), InMemoryAppTokenLookup(store))
    pool = request.getfixturevalue("read_pool")
    backend = postgres_backend(request.getfixturevalue("database"), pool)
    return Backend(backend.uow, AsyncpgAppTokenLookup(pool))


async def add_user(oauth: Backend, name: str) -> User:
    user = make_user(name)
    async with oauth.uow() as uow:
        await uow.users.add(user)
        await uow.commit()
    return user


def make_app(**changes: object) -> ClientApp:
    app = ClientApp(
        id=new_id(),
        name="Tusky",
        website="https://tusky.example",
        redirect_uris=("https://app.example/cb", "urn:ietf:wg:oauth:2.0:oob"),
        scopes=frozenset({"read", "write:statuses", "push"}),
        client_id=new_secret(),
        client_secret_hash=hash_secret("secret"),
        created_at=STORE_NOW,
    )
    return replace(app, **changes)  # type: ignore[arg-type]


async def stored_app(oauth: Backend) -> ClientApp:
    app = make_app()
    async with oauth.uow() as uow:
        await uow.oauth.add_app(app)
        await uow.commit()
    return app


async def app_session_token(oauth: Backend, app: ClientApp) -> tuple[AccessToken, AuthSession]:
    user = await add_user(oauth, f"u{new_id().hex[-8:]}")
    session = AuthSession(id=new_id(), user_id=user.id, created_at=STORE_NOW, user_agent="a")
    token = AccessToken(
        id=new_id(),
        token_hash=hash_secret(new_secret()),
        app_id=app.id,
        scopes=frozenset({"read"}),
        created_at=STORE_NOW,
        user_id=user.id,
        session_id=session.id,
    )
    async with oauth.uow() as uow:
        await uow.sessions.add_session(session)
        await uow.oauth.add_token(token)
        await uow.commit()
    return token, session


async def test_apps_read_back_by_id_and_client_id(oauth: Backend) -> None:
    app = await stored_app(oauth)
    async with oauth.uow() as uow:
        assert await uow.oauth.get_app(app.id) == app
        assert await uow.oauth.app_by_client_id(app.client_id) == app
        assert await uow.oauth.app_by_client_id("unknown") is None
        assert await uow.oauth.get_app(new_id()) is None


async def test_tokens_read_back_and_grant_until_revoked(oauth: Backend) -> None:
    app = await stored_app(oauth)
    token, session = await app_session_token(oauth, app)
    app_only = AccessToken(
        id=new_id(),
        token_hash=hash_secret(new_secret()),
        app_id=app.id,
        scopes=frozenset({"read", "push"}),
        created_at=STORE_NOW,
    )
    async with oauth.uow() as uow:
        await uow.oauth.add_token(app_only)
        await uow.commit()
    async with oauth.uow() as uow:
        assert await uow.oauth.token_by_hash(token.token_hash) == token
        assert await uow.oauth.token_by_hash(app_only.token_hash) == app_only
        assert await uow.oauth.token_by_hash(b"unknown") is None
    assert await oauth.grants.find_grant(token.token_hash) == AppTokenGrant(
        app.id, frozenset({"read"}), token.user_id, session.id
    )
    assert await oauth.grants.find_grant(app_only.token_hash) == AppTokenGrant(
        app.id, frozenset({"read", "push"})
    )
    assert await oauth.grants.find_grant(b"unknown") is None
    later = STORE_NOW + timedelta(hours=1)
    async with oauth.uow() as uow:
        await uow.oauth.revoke_token(token.id, STORE_NOW)
        await uow.oauth.revoke_token(token.id, later)  # the first time stays
        await uow.commit()
    assert await oauth.grants.find_grant(token.token_hash) is None
    async with oauth.uow() as uow:
        found = await uow.oauth.token_by_hash(token.token_hash)
        assert found is not None and found.revoked_at == STORE_NOW


async def test_a_code_is_claimed_once(oauth: Backend) -> None:
    app = await stored_app(oauth)
    user = await add_user(oauth, "alice")
    codes = [
        AuthorizationCode(
            id=new_id(),
            code_hash=hash_secret(new_secret()),
            app_id=app.id,
            user_id=user.id,
            redirect_uri="https://app.example/cb",
            scopes=frozenset({"read"}),
            created_at=STORE_NOW,
            expires_at=STORE_NOW + timedelta(minutes=10),
            code_challenge=challenge,
        )
        for challenge in (None, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    ]
    async with oauth.uow() as uow:
        for code in codes:
            await uow.oauth.add_code(code)
        await uow.commit()
    async with oauth.uow() as uow:
        assert await uow.oauth.claim_code(codes[0].code_hash, STORE_NOW) == codes[0]
        assert await uow.oauth.claim_code(codes[0].code_hash, STORE_NOW) is None
        assert await uow.oauth.claim_code(b"unknown", STORE_NOW) is None
        await uow.commit()

    async def claim() -> AuthorizationCode | None:
        async with oauth.uow() as uow:
            claimed = await uow.oauth.claim_code(codes[1].code_hash, STORE_NOW)
            await uow.commit()
            return claimed

    results = await asyncio.gather(claim(), claim())
    assert sorted(r is None for r in results) == [False, True]
    assert codes[1] in results


async def test_expired_codes_are_deleted(oauth: Backend) -> None:
    app = await stored_app(oauth)
    user = await add_user(oauth, "alice")
    code = AuthorizationCode(
        id=new_id(),
        code_hash=hash_secret(new_secret()),
        app_id=app.id,
        user_id=user.id,
        redirect_uri="https://app.example/cb",
        scopes=frozenset({"read"}),
        created_at=STORE_NOW,
        expires_at=STORE_NOW + timedelta(minutes=10),
    )
    async with oauth.uow() as uow:
        await uow.oauth.add_code(code)
        await uow.commit()
    async with oauth.uow() as uow:
        assert await uow.oauth.delete_expired_codes(STORE_NOW) == 0
        assert await uow.oauth.delete_expired_codes(code.expires_at + timedelta(seconds=1)) == 1
        await uow.commit()
    async with oauth.uow() as uow:
        assert await uow.oauth.claim_code(code.code_hash, STORE_NOW) is None


async def test_an_app_token_session_is_listed_and_outlives_the_purge(oauth: Backend) -> None:
    app = await stored_app(oauth)
    token, session = await app_session_token(oauth, app)
    user_id = session.user_id
    far = STORE_NOW + timedelta(days=3650)
    async with oauth.uow() as uow:
        listed = await uow.sessions.live_sessions(user_id, far, limit=10)
        assert [s.id for s in listed] == [session.id]
        await uow.sessions.delete_expired(far)
        await uow.commit()
    async with oauth.uow() as uow:
        assert await uow.sessions.get_session(session.id) is not None
        assert await uow.oauth.token_by_hash(token.token_hash) is not None
        await uow.oauth.revoke_token(token.id, far)
        await uow.sessions.revoke_session(session.id, far, "app-token-revoked")
        await uow.commit()
    async with oauth.uow() as uow:
        assert await uow.sessions.live_sessions(user_id, far, limit=10) == []
        await uow.sessions.delete_expired(far + timedelta(seconds=1))
        await uow.commit()
    async with oauth.uow() as uow:  # a revoked app session goes, its token with it
        assert await uow.sessions.get_session(session.id) is None
        assert await uow.oauth.token_by_hash(token.token_hash) is None
