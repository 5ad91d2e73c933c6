"""One suite for the accounts persistence ports, run on the fake and on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

from social.adapters.postgres.session_lookup import AsyncpgActiveSessionLookup
from social.adapters.postgres.unit_of_work import SqlaUnitOfWork
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.domain.accounts.model import (
    AccountStatus,
    AuthSession,
    RefreshToken,
    User,
    hash_refresh_token,
    new_refresh_token,
)
from social.domain.accounts.ports import AccountsUnitOfWork, ActiveSessionLookup
from social.domain.accounts.refresh_session import RefreshSession
from social.domain.shared.errors import Conflict
from social.domain.shared.identity import Role
from social.domain.shared.ids import new_id
from tests.conftest import TEST_SECRET
from tests.contract.stores import make_user
from tests.fakes.accounts import (
    AccountsStore,
    FakeTokenIssuer,
    InMemoryActiveSessionLookup,
    InMemoryUnitOfWork,
)
from tests.fakes.shared import MutableClock

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


@dataclass
class Backend:
    uow: Callable[[], AccountsUnitOfWork]
    lookup: ActiveSessionLookup


@pytest.fixture(params=["fake", "postgres"])
def backend(request: pytest.FixtureRequest) -> Backend:
    """Sync on purpose: ``getfixturevalue`` of an async fixture needs the loop to be idle."""
    if request.param == "fake":
        store = AccountsStore()
        return Backend(lambda: InMemoryUnitOfWork(store), InMemoryActiveSessionLookup(store))
    database = request.getfixturevalue("database")
    cipher = EmailCipher(KeyRing.from_secret(TEST_SECRET))
    return Backend(
        lambda: SqlaUnitOfWork(database.sessions, cipher),
        AsyncpgActiveSessionLookup(request.getfixturevalue("read_pool")),
    )


async def add(backend: Backend, *users: User) -> None:
    async with backend.uow() as uow:
        for user in users:
            await uow.users.add(user)
        await uow.commit()


async def test_users_round_trip_by_id_username_and_email(backend: Backend) -> None:
    user = make_user(display_name="Alice 👩‍💻", bio="hi\nthere", website="https://a.dev")
    await add(backend, user)
    async with backend.uow() as uow:
        assert await uow.users.get(user.id) == user
        assert await uow.users.get_by_username("alice") == user
        assert await uow.users.get_by_email("alice@example.com") == user
        assert await uow.users.get_by_email("bob@example.com") is None
        assert await uow.users.get(new_id()) is None


@pytest.mark.parametrize(
    ("second", "field"),
    [
        ({"username": "alice", "email": "x@example.com"}, "username"),
        ({"username": "other", "email": "alice@example.com"}, "email"),
    ],
)
async def test_unique_username_and_email(
    backend: Backend, second: dict[str, str], field: str
) -> None:
    await add(backend, make_user())
    with pytest.raises(Conflict) as caught:
        await add(backend, make_user(**second))
    assert caught.value.field == field


async def test_update_writes_fields_but_not_counters(backend: Backend) -> None:
    user = make_user()
    await add(backend, user)
    changed = replace(
        user,
        display_name="New",
        is_private=True,
        email="new@example.com",
        role=Role.MODERATOR,
        followers_count=99,
        updated_at=NOW + timedelta(hours=1),
    )
    async with backend.uow() as uow:
        await uow.users.update(changed)
        await uow.commit()
    async with backend.uow() as uow:
        stored = await uow.users.get(user.id)
        assert stored == replace(changed, followers_count=0)
        assert await uow.users.get_by_email("new@example.com") == stored
        assert await uow.users.get_by_email("alice@example.com") is None


async def test_leaving_without_commit_rolls_back(backend: Backend) -> None:
    async with backend.uow() as uow:
        await uow.users.add(make_user())
    async with backend.uow() as uow:
        assert await uow.users.get_by_username("alice") is None


async def seed_session(
    backend: Backend, user: User, *, expires: datetime
) -> tuple[AuthSession, RefreshToken]:
    session = AuthSession(id=new_id(), user_id=user.id, created_at=NOW)
    token = RefreshToken(
        id=new_id(),
        session_id=session.id,
        token_hash=hash_refresh_token(str(new_id())),
        created_at=NOW,
        expires_at=expires,
    )
    async with backend.uow() as uow:
        await uow.sessions.add_session(session)
        await uow.sessions.add_refresh_token(token)
        await uow.commit()
    return session, token


async def test_refresh_tokens_are_found_by_hash_and_claimed_once(backend: Backend) -> None:
    user = make_user()
    await add(backend, user)
    session, token = await seed_session(backend, user, expires=NOW + timedelta(days=30))
    async with backend.uow() as uow:
        assert await uow.sessions.get_refresh_token(token.token_hash) == token
        assert await uow.sessions.get_session(session.id) == session
        assert await uow.sessions.claim_refresh_token(token.id, NOW)
        assert not await uow.sessions.claim_refresh_token(token.id, NOW)
        await uow.commit()
    async with backend.uow() as uow:
        stored = await uow.sessions.get_refresh_token(token.token_hash)
        assert stored is not None and stored.used_at == NOW


async def test_concurrent_claims_have_exactly_one_winner(backend: Backend) -> None:
    user = make_user()
    await add(backend, user)
    _, token = await seed_session(backend, user, expires=NOW + timedelta(days=30))

    async def claim() -> bool:
        async with backend.uow() as uow:
            won = await uow.sessions.claim_refresh_token(token.id, NOW)
            await uow.commit()
            return won

    results = await asyncio.gather(*(claim() for _ in range(8)))
    assert results.count(True) == 1


async def test_revocation_and_the_active_session_lookup(backend: Backend) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    await add(backend, alice, bob)
    a1, _ = await seed_session(backend, alice, expires=NOW + timedelta(days=1))
    a2, _ = await seed_session(backend, alice, expires=NOW + timedelta(days=1))
    a3, _ = await seed_session(backend, alice, expires=NOW + timedelta(days=1))
    b1, _ = await seed_session(backend, bob, expires=NOW + timedelta(days=1))
    active = await backend.lookup.find_active(a1.id)
    assert active is not None and (active.user_id, active.role) == (alice.id, Role.USER)
    async with backend.uow() as uow:
        await uow.sessions.revoke_session(a1.id, NOW, "logout")
        await uow.sessions.revoke_session(a1.id, NOW + timedelta(1), "again")
        assert (
            await uow.sessions.revoke_user_sessions(alice.id, NOW, "password-changed", keep=a2.id)
            == 1
        )
        await uow.commit()
    assert await backend.lookup.find_active(a1.id) is None
    assert await backend.lookup.find_active(a3.id) is None
    assert await backend.lookup.find_active(a2.id) is not None
    assert await backend.lookup.find_active(b1.id) is not None
    assert await backend.lookup.find_active(new_id()) is None
    many = await backend.lookup.find_active_many([a1.id, a2.id, a3.id, b1.id, new_id()])
    assert {k: (v.session_id, v.user_id) for k, v in many.items()} == {
        a2.id: (a2.id, alice.id),
        b1.id: (b1.id, bob.id),
    }
    assert await backend.lookup.find_active_many([]) == {}
    async with backend.uow() as uow:
        revoked = await uow.sessions.get_session(a1.id)
        assert revoked is not None and revoked.revoke_reason == "logout"
        await uow.users.update(replace(bob, status=AccountStatus.SUSPENDED))
        await uow.commit()
    assert await backend.lookup.find_active(b1.id) is None
    assert set(await backend.lookup.find_active_many([a2.id, b1.id])) == {a2.id}


async def test_delete_expired_forgets_dead_tokens_and_empty_sessions(backend: Backend) -> None:
    user = make_user()
    await add(backend, user)
    old_session, old = await seed_session(backend, user, expires=NOW - timedelta(seconds=1))
    live_session, live = await seed_session(backend, user, expires=NOW + timedelta(days=1))
    async with backend.uow() as uow:
        assert await uow.sessions.delete_expired(NOW + timedelta(seconds=1)) == 1
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.sessions.get_refresh_token(old.token_hash) is None
        assert await uow.sessions.get_session(old_session.id) is None
        assert await uow.sessions.get_refresh_token(live.token_hash) == live
        assert await uow.sessions.get_session(live_session.id) is not None


async def test_concurrent_refreshes_rotate_once_and_answer_alike(backend: Backend) -> None:
    """The refresh grace window on each store: of eight refreshes with one token at once, one
    claims it and the others, waiting for its commit, answer with the same pair."""
    user = make_user()
    await add(backend, user)
    session = AuthSession(id=new_id(), user_id=user.id, created_at=NOW)
    plaintext = new_refresh_token()
    async with backend.uow() as uow:
        await uow.sessions.add_session(session)
        await uow.sessions.add_refresh_token(
            RefreshToken(
                id=new_id(),
                session_id=session.id,
                token_hash=hash_refresh_token(plaintext),
                created_at=NOW,
                expires_at=NOW + timedelta(days=30),
            )
        )
        await uow.commit()
    clock = MutableClock(NOW)
    refresh = RefreshSession(
        uow=backend.uow,
        tokens=FakeTokenIssuer(clock),
        clock=clock,
        refresh_ttl=timedelta(days=30),
        sessions=backend.lookup,
        reuse_grace=timedelta(seconds=30),
    )
    pairs = await asyncio.gather(*(refresh.execute(plaintext) for _ in range(8)))
    assert len(set(pairs)) == 1
    async with backend.uow() as uow:
        successor = await uow.sessions.get_refresh_token(hash_refresh_token(pairs[0].refresh_token))
        assert successor is not None and successor.used_at is None
        stored = await uow.sessions.get_session(session.id)
        assert stored is not None and stored.revoked_at is None


async def test_live_sessions_keep_their_device_and_list_newest_first(backend: Backend) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    await add(backend, alice, bob)
    day = timedelta(days=1)
    devices = [
        AuthSession(
            id=new_id(),
            user_id=alice.id,
            created_at=NOW + timedelta(minutes=i),
            user_agent=f"Agent/{i}",
            ip="198.51.100.0/24" if i else None,
            last_used_at=NOW + timedelta(minutes=i),
        )
        for i in range(4)
    ]
    async with backend.uow() as uow:
        for i, session in enumerate(devices):
            await uow.sessions.add_session(session)
            expires = NOW - timedelta(seconds=1) if i == 1 else NOW + day  # #1 has expired
            token = RefreshToken(
                new_id(), session.id, hash_refresh_token(str(new_id())), NOW, expires
            )
            await uow.sessions.add_refresh_token(token)
        await uow.sessions.revoke_session(devices[2].id, NOW, "logout")
        await uow.sessions.touch_session(devices[0].id, NOW + timedelta(hours=1))
        await uow.commit()
    await seed_session(backend, bob, expires=NOW + day)
    async with backend.uow() as uow:
        live = await uow.sessions.live_sessions(alice.id, NOW, limit=10)
        assert live == [devices[3], replace(devices[0], last_used_at=NOW + timedelta(hours=1))]
        assert await uow.sessions.live_sessions(alice.id, NOW, limit=1) == [devices[3]]
        assert await uow.sessions.live_sessions(alice.id, NOW + 2 * day, limit=10) == []
        assert await uow.sessions.get_session(devices[3].id) == devices[3]
