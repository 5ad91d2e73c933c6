"""One suite for the one-time token and username-hold ports, on the fake and on PostgreSQL:
a token is found and claimed only while usable, exactly one of concurrent claims wins, and
holds keep the later end."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from social.adapters.postgres.unit_of_work import SqlaUnitOfWork
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.domain.accounts.one_time_tokens import TokenPurpose, mint_one_time_token
from social.domain.accounts.ports import AccountsUnitOfWork
from tests.conftest import TEST_SECRET
from tests.contract.stores import make_user
from tests.fakes.accounts import AccountsStore, InMemoryUnitOfWork

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
HOUR = timedelta(hours=1)
Uow = Callable[[], AccountsUnitOfWork]


@pytest.fixture(params=["fake", "postgres"])
def uow(request: pytest.FixtureRequest) -> Uow:
    if request.param == "fake":
        store = AccountsStore()
        return lambda: InMemoryUnitOfWork(store)
    database = request.getfixturevalue("database")
    cipher = EmailCipher(KeyRing.from_secret(TEST_SECRET))
    return lambda: SqlaUnitOfWork(database.sessions, cipher)


async def test_a_token_is_usable_once_until_it_expires(uow: Uow) -> None:
    user = make_user("alice")
    _, record = mint_one_time_token(user.id, TokenPurpose.RESET_PASSWORD, now=NOW, ttl=HOUR)
    async with uow() as tx:
        await tx.users.add(user)
        await tx.account_tokens.add(record)
        assert await tx.account_tokens.user_for_email_key(tx.account_tokens.email_key(user.email))
        assert await tx.account_tokens.user_for_email_key("00" * 32) is None
        await tx.commit()
    async with uow() as tx:
        tokens = tx.account_tokens
        assert await tokens.find(record.token_hash, TokenPurpose.VERIFY_EMAIL, NOW) is None
        assert await tokens.find(record.token_hash, TokenPurpose.RESET_PASSWORD, NOW + HOUR) is None
        assert await tokens.find(record.token_hash, TokenPurpose.RESET_PASSWORD, NOW) == record
        claimed = await tokens.claim(record.token_hash, TokenPurpose.RESET_PASSWORD, NOW)
        assert claimed is not None and claimed.used_at == NOW and claimed.user_id == user.id
        assert await tokens.claim(record.token_hash, TokenPurpose.RESET_PASSWORD, NOW) is None
        await tx.commit()
    async with uow() as tx:
        assert await tx.account_tokens.discard(user.id, TokenPurpose.RESET_PASSWORD) == 1
        assert await tx.account_tokens.delete_expired(NOW + 2 * HOUR) == 0
        await tx.commit()


async def test_of_concurrent_claims_exactly_one_wins(uow: Uow) -> None:
    user = make_user("alice")
    _, record = mint_one_time_token(user.id, TokenPurpose.VERIFY_EMAIL, now=NOW, ttl=HOUR)
    async with uow() as tx:
        await tx.users.add(user)
        await tx.account_tokens.add(record)
        await tx.commit()

    async def claim() -> bool:
        async with uow() as tx:
            won = await tx.account_tokens.claim(record.token_hash, TokenPurpose.VERIFY_EMAIL, NOW)
            await tx.commit()
        return won is not None

    assert sorted(await asyncio.gather(*(claim() for _ in range(5)))) == [False] * 4 + [True]
    async with uow() as tx:
        assert await tx.account_tokens.delete_expired(NOW + 2 * HOUR) == 1
        await tx.commit()


async def test_holds_keep_the_later_end_and_expire(uow: Uow) -> None:
    async with uow() as tx:
        await tx.username_holds.hold("alice", NOW + 2 * HOUR)
        await tx.username_holds.hold("alice", NOW + HOUR)
        await tx.username_holds.hold("bob", NOW + HOUR)
        await tx.commit()
    async with uow() as tx:
        holds = tx.username_holds
        assert await holds.is_held("alice", NOW + HOUR + timedelta(minutes=1))
        assert not await holds.is_held("bob", NOW + HOUR)
        assert not await holds.is_held("carol", NOW)
        assert await holds.release_expired(NOW + HOUR + timedelta(minutes=1)) == 1
        assert await holds.release_expired(NOW + 3 * HOUR) == 1
        await tx.commit()
