"""One suite for the ``PasswordHasher`` port, on the fake and on argon2id: a hash is not the
password and verifies it alone, salts make every hash different, long and unusual passwords
are taken whole, a hash made with other parameters needs a rehash but still verifies, and
anything that is not a hash fails verification instead of raising."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from social.adapters.security.argon2_hasher import Argon2PasswordHasher
from social.domain.accounts.ports import PasswordHasher
from social.domain.accounts.rules import AccountLimits
from tests.fakes.accounts import FakePasswordHasher

PASSWORD = "a sturdy passphrase 42"
LONGEST = AccountLimits().password_max

Generation = Callable[[int], PasswordHasher]
"""A hasher of parameter generation 1 or 2: 2 is what 1 would be upgraded to."""


@pytest.fixture(params=["fake", "argon2"])
def generation(request: pytest.FixtureRequest) -> Iterator[Generation]:
    made: list[Argon2PasswordHasher] = []

    def make(number: int) -> PasswordHasher:
        if request.param == "fake":
            return FakePasswordHasher(version=number)
        hasher = Argon2PasswordHasher(
            time_cost=1 + number, memory_kib=19_456, parallelism=1, max_threads=2
        )
        made.append(hasher)
        return hasher

    yield make
    for hasher in made:
        hasher.close()


@pytest.fixture
def hasher(generation: Generation) -> PasswordHasher:
    return generation(1)


async def test_a_hash_verifies_its_password_and_no_other(hasher: PasswordHasher) -> None:
    digest = await hasher.hash(PASSWORD)
    assert digest != PASSWORD
    assert await hasher.verify(digest, PASSWORD)
    for other in (PASSWORD + "!", PASSWORD[:-1], PASSWORD.upper(), "", " " + PASSWORD):
        assert not await hasher.verify(digest, other)


async def test_every_hash_has_its_own_salt(hasher: PasswordHasher) -> None:
    first, second = await hasher.hash(PASSWORD), await hasher.hash(PASSWORD)
    assert first != second
    assert await hasher.verify(first, PASSWORD) and await hasher.verify(second, PASSWORD)


@pytest.mark.parametrize(
    "password",
    [
        "pässwörd ünïcödé 🔐 密码 пароль",
        "dollar $signs$ and $argon2id$v=19$ inside",
        "x" * LONGEST,
        "tabs\tand\nnew lines  and  spaces ",
    ],
)
async def test_unusual_passwords_within_the_limits_are_taken_whole(
    hasher: PasswordHasher, password: str
) -> None:
    digest = await hasher.hash(password)
    assert digest != password
    assert await hasher.verify(digest, password)
    assert not await hasher.verify(digest, password[:-1] + "y")  # no truncation: the last counts
    assert not await hasher.verify(digest, password.strip() + "!")


async def test_a_hash_of_other_parameters_needs_a_rehash_and_still_verifies(
    generation: Generation,
) -> None:
    old, new = generation(1), generation(2)
    digest = await old.hash(PASSWORD)
    assert not old.needs_rehash(digest)
    assert new.needs_rehash(digest)
    assert await new.verify(digest, PASSWORD)  # a login with the old hash still works
    upgraded = await new.hash(PASSWORD)
    assert not new.needs_rehash(upgraded)
    assert await new.verify(upgraded, PASSWORD)


@pytest.mark.parametrize("garbage", ["", "not a hash", PASSWORD, "$argon2id$v=19$m=1$x$y"])
async def test_anything_but_a_hash_fails_verification_quietly(
    hasher: PasswordHasher, garbage: str
) -> None:
    assert not await hasher.verify(garbage, PASSWORD)
    assert hasher.needs_rehash(garbage)


async def test_the_dummy_verification_takes_any_password_quietly(hasher: PasswordHasher) -> None:
    for password in (PASSWORD, "", "ünïcödé", "x" * LONGEST):
        await hasher.verify_dummy(password)
