"""The use cases, wired by the real composition root to in-memory fakes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from social.adapters.jobs.registry import run_job
from social.bootstrap import build_use_cases
from social.domain.accounts.model import IssuedTokens, User
from social.domain.accounts.register_user import RegisterUserCommand
from social.domain.shared.identity import Viewer
from social.domain.shared.jobs import Job
from social.settings import Settings
from tests.fakes.accounts import AccountsStore, FakePasswordHasher, FakeTokenIssuer
from tests.fakes.adapters import NamedUseCases, fake_adapters
from tests.fakes.clock import MutableClock
from tests.fakes.storage import InMemoryMediaStorage

PASSWORD = "a sturdy passphrase 42"


@dataclass
class Accounts:
    store: AccountsStore
    clock: MutableClock
    hasher: FakePasswordHasher
    storage: InMemoryMediaStorage
    uc: NamedUseCases
    jobs_run: int = 0
    """How many of ``store.jobs`` ``run_jobs`` has gone past."""

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

    async def run_jobs(self, *kinds: type[Job]) -> None:
        """Run the jobs queued since the last call, in order, through the worker's registry
        (only those of the given types, when types are given; the others are passed over)."""
        queued, start = self.store.jobs, self.jobs_run
        self.jobs_run = len(queued)
        for job in queued[start:]:
            if not kinds or type(job) in kinds:
                await run_job(self.uc, job)


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
        store=store,
        clock=clock,
        hasher=hasher,
        storage=storage,
        uc=NamedUseCases(build_use_cases(adapters)),
    )
