"""The real argon2id hasher: parameters, verification, and the upgrade on login (AUTH-2)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from social.adapters.security.argon2_hasher import Argon2PasswordHasher
from social.domain.accounts.log_in import LogIn, LogInCommand
from social.domain.accounts.register_user import RegisterUser, RegisterUserCommand
from social.domain.accounts.rules import AccountLimits
from tests.fakes.accounts import AccountsStore, FakeTokenIssuer, InMemoryUnitOfWork
from tests.fakes.shared import MutableClock

PASSWORD = "a sturdy passphrase 42"


def hasher(time_cost: int, memory_kib: int = 19_456) -> Argon2PasswordHasher:
    return Argon2PasswordHasher(
        time_cost=time_cost, memory_kib=memory_kib, parallelism=1, max_threads=2
    )


async def test_hashes_are_argon2id_and_verify() -> None:
    subject = hasher(2)
    digest = await subject.hash(PASSWORD)
    assert digest.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert await subject.verify(digest, PASSWORD)
    assert not await subject.verify(digest, PASSWORD + "!")
    assert not await subject.verify("not a hash", PASSWORD)
    await subject.verify_dummy(PASSWORD)
    subject.close()


@pytest.mark.parametrize(("time_cost", "memory_kib"), [(1, 65_536), (2, 8_192)])
def test_below_the_owasp_minimum_is_refused(time_cost: int, memory_kib: int) -> None:
    with pytest.raises(ValueError, match="OWASP"):
        hasher(time_cost, memory_kib)


async def test_login_upgrades_a_hash_made_with_older_parameters() -> None:
    store, clock = AccountsStore(), MutableClock()
    tokens = FakeTokenIssuer(clock)

    def uow() -> InMemoryUnitOfWork:
        return InMemoryUnitOfWork(store)

    old, new = hasher(2), hasher(3)
    register = RegisterUser(
        uow=uow,
        hasher=old,
        tokens=tokens,
        clock=clock,
        limits=AccountLimits(),
        refresh_ttl=timedelta(days=1),
    )
    user, _ = await register.execute(
        RegisterUserCommand(username="alice", email="alice@example.com", password=PASSWORD)
    )
    assert ",t=2," in store.users[user.id].password_hash
    log_in = LogIn(uow=uow, hasher=new, tokens=tokens, clock=clock, refresh_ttl=timedelta(days=1))
    await log_in.execute(LogInCommand(login="alice", password=PASSWORD))
    upgraded = store.users[user.id].password_hash
    assert ",t=3," in upgraded and await new.verify(upgraded, PASSWORD)
    old.close()
    new.close()
