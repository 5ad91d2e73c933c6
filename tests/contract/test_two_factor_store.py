"""One suite for the two-factor store (``TwoFactorRepository``), on the fake and on PostgreSQL:
the secret round-trips (sealed at rest in PostgreSQL), the last step is an atomic
compare-and-set, recovery codes work once, disabling erases everything."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from social.adapters.postgres.database import Database
from social.adapters.postgres.unit_of_work import SqlaUnitOfWork
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.adapters.security.totp_secret_cipher import TotpSecretCipher
from social.domain.accounts.model import User
from social.domain.accounts.two_factor import TotpEnrolment
from social.domain.accounts.two_factor_ports import TwoFactorUnitOfWork
from tests.conftest import TEST_SECRET
from tests.contract.stores import STORE_NOW, make_user
from tests.fakes.accounts import AccountsStore, InMemoryUnitOfWork

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@dataclass
class Backend:
    uow: Callable[[], TwoFactorUnitOfWork]
    database: Database | None = None


@pytest.fixture(params=["fake", "postgres"])
def two_factor(request: pytest.FixtureRequest) -> Backend:
    if request.param == "fake":
        store = AccountsStore()
        return Backend(lambda: InMemoryUnitOfWork(store))
    database: Database = request.getfixturevalue("database")
    keys = KeyRing.from_secret(TEST_SECRET)
    cipher, sealer = EmailCipher(keys), TotpSecretCipher(keys)
    return Backend(lambda: SqlaUnitOfWork(database.sessions, cipher, totp_cipher=sealer), database)


async def enrolled(backend: Backend) -> User:
    user = make_user()
    async with backend.uow() as uow:
        await uow.users.add(user)
        await uow.two_factor.start(TotpEnrolment(user.id, "OLDSECRET", STORE_NOW))
        await uow.two_factor.start(TotpEnrolment(user.id, SECRET, STORE_NOW))  # replaces
        await uow.commit()
    return user


async def test_a_pending_enrolment_round_trips_and_enabling_sets_the_flag(
    two_factor: Backend,
) -> None:
    user = await enrolled(two_factor)
    async with two_factor.uow() as uow:
        assert await uow.two_factor.get(user.id) == TotpEnrolment(user.id, SECRET, STORE_NOW)
        assert (await uow.users.get(user.id)).two_factor_enabled is False  # type: ignore[union-attr]
        await uow.two_factor.enable(user.id, step=100, recovery_hashes=[b"a", b"b"], at=STORE_NOW)
        await uow.commit()
    async with two_factor.uow() as uow:
        found = await uow.users.get(user.id)
        assert found is not None and found.two_factor_enabled
        assert (await uow.two_factor.get(user.id)) == TotpEnrolment(user.id, SECRET, STORE_NOW, 100)
        await uow.users.update(found)  # an ordinary update leaves the flag alone
        await uow.commit()
    async with two_factor.uow() as uow:
        assert (await uow.users.get(user.id)).two_factor_enabled  # type: ignore[union-attr]


async def test_the_last_step_only_moves_forward(two_factor: Backend) -> None:
    user = await enrolled(two_factor)
    async with two_factor.uow() as uow:
        await uow.two_factor.enable(user.id, step=100, recovery_hashes=[], at=STORE_NOW)
        assert not await uow.two_factor.claim_step(user.id, 100)
        assert not await uow.two_factor.claim_step(user.id, 99)
        assert await uow.two_factor.claim_step(user.id, 101)
        assert not await uow.two_factor.claim_step(user.id, 101)
        await uow.commit()


async def test_recovery_codes_work_once_and_only_for_their_account(two_factor: Backend) -> None:
    user = await enrolled(two_factor)
    other = make_user("bob")
    async with two_factor.uow() as uow:
        await uow.users.add(other)
        await uow.two_factor.enable(user.id, step=1, recovery_hashes=[b"x", b"y"], at=STORE_NOW)
        await uow.commit()
    async with two_factor.uow() as uow:
        assert not await uow.two_factor.use_recovery_code(other.id, b"x", STORE_NOW)
        assert not await uow.two_factor.use_recovery_code(user.id, b"z", STORE_NOW)
        assert await uow.two_factor.use_recovery_code(user.id, b"x", STORE_NOW)
        assert not await uow.two_factor.use_recovery_code(user.id, b"x", STORE_NOW)
        await uow.commit()
    async with two_factor.uow() as uow:
        assert not await uow.two_factor.use_recovery_code(user.id, b"x", STORE_NOW)
        assert await uow.two_factor.use_recovery_code(user.id, b"y", STORE_NOW)


async def test_disabling_erases_the_secret_and_the_codes(two_factor: Backend) -> None:
    user = await enrolled(two_factor)
    async with two_factor.uow() as uow:
        await uow.two_factor.enable(user.id, step=1, recovery_hashes=[b"x"], at=STORE_NOW)
        await uow.two_factor.disable(user.id)
        await uow.commit()
    async with two_factor.uow() as uow:
        assert await uow.two_factor.get(user.id) is None
        assert not (await uow.users.get(user.id)).two_factor_enabled  # type: ignore[union-attr]
        assert not await uow.two_factor.use_recovery_code(user.id, b"x", STORE_NOW)


async def test_concurrent_claims_of_one_step_let_exactly_one_through(two_factor: Backend) -> None:
    user = await enrolled(two_factor)
    async with two_factor.uow() as uow:
        await uow.two_factor.enable(user.id, step=1, recovery_hashes=[], at=STORE_NOW)
        await uow.commit()

    async def claim() -> bool:
        async with two_factor.uow() as uow:
            won = await uow.two_factor.claim_step(user.id, 2)
            await uow.commit()
            return won

    results = await asyncio.gather(*(claim() for _ in range(8)))
    assert sum(results) == 1


async def test_the_secret_is_sealed_at_rest(two_factor: Backend) -> None:
    if two_factor.database is None:
        pytest.skip("only PostgreSQL stores bytes")
    user = await enrolled(two_factor)
    async with two_factor.database.sessions() as session:
        row = (
            await session.execute(
                text("SELECT id, secret_ciphertext FROM totp_credentials WHERE user_id = :u"),
                {"u": user.id},
            )
        ).one()
    assert SECRET.encode() not in row.secret_ciphertext
    sealer = TotpSecretCipher(KeyRing.from_secret(TEST_SECRET))
    assert sealer.decrypt(row.secret_ciphertext, "t1", context=row.id.bytes) == SECRET
    with pytest.raises(ValueError, match="failed authentication"):  # bound to its row
        sealer.decrypt(row.secret_ciphertext, "t1", context=user.id.bytes)
    with pytest.raises(ValueError, match="failed authentication"):  # another secret: no key
        TotpSecretCipher(KeyRing.from_secret(TEST_SECRET + b"x")).decrypt(
            row.secret_ciphertext, "t1", context=row.id.bytes
        )
