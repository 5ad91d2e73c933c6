"""The use cases, wired by the real composition root to in-memory fakes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from social.bootstrap import UseCases, build_use_cases
from social.domain.accounts.model import IssuedTokens, User
from social.domain.accounts.register_user import RegisterUserCommand
from social.domain.shared.identity import Viewer
from social.settings import Settings
from tests.fakes.accounts import AccountsStore, FakePasswordHasher, FakeTokenIssuer
from tests.fakes.adapters import fake_adapters
from tests.fakes.clock import MutableClock
from tests.fakes.storage import InMemoryMediaStorage

PASSWORD = "a sturdy passphrase 42"


@dataclass
class Accounts:
    store: AccountsStore
    clock: MutableClock
    hasher: FakePasswordHasher
    storage: InMemoryMediaStorage
    uc: UseCases

    def __getattr__(self, name: str) -> Any:
        """Short names for the use cases the tests call most."""
        aliases = {
            "register": "register_user",
            "refresh": "refresh_session",
            "authenticate": "authenticate",
            "purge": "purge_expired_sessions",
        }
        return getattr(self.uc, aliases.get(name, name))

    async def sign_up(self, username: str = "alice") -> tuple[User, IssuedTokens, Viewer]:
        user, tokens = await self.uc.register_user.execute(
            RegisterUserCommand(
                username=username, email=f"{username}@example.com", password=PASSWORD
            )
        )
        return user, tokens, await self.uc.authenticate.execute(tokens.access_token)

    def user(self, viewer: Viewer) -> User:
        return self.store.users[viewer.user_id]


@pytest.fixture
def accounts() -> Accounts:
    store, clock, hasher = AccountsStore(), MutableClock(), FakePasswordHasher()
    storage = InMemoryMediaStorage(clock=clock)
    adapters = fake_adapters(
        Settings.from_values(environment="test"),
        store=store,
        clock=clock,
        hasher=hasher,
        tokens=FakeTokenIssuer(clock),
        storage=storage,
    )
    return Accounts(
        store=store, clock=clock, hasher=hasher, storage=storage, uc=build_use_cases(adapters)
    )
