"""The unit tests' harness: the use cases, wired by the real composition root to in-memory
fakes, with helpers every context's tests share (sign up, run the queued jobs, upload media).

``tests/unit/conftest.py`` hands it to every unit test as the ``accounts`` fixture."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from social.adapters.jobs.registry import run_job
from social.bootstrap import build_use_cases
from social.domain.accounts.model import IssuedTokens, User
from social.domain.accounts.register_user import RegisterUserCommand
from social.domain.media.model import MediaItem
from social.domain.shared.identity import Viewer
from social.domain.shared.jobs import Job
from social.settings import Settings
from tests.fakes.accounts import AccountsStore, FakePasswordHasher, FakeTokenIssuer
from tests.fakes.adapters import NamedUseCases, fake_adapters
from tests.fakes.media import InMemoryMediaStorage
from tests.fakes.shared import MutableClock, RecordingJobQueue

__all__ = ["PASSWORD", "Accounts", "build_accounts", "chunks", "ready_media"]

PASSWORD = "a sturdy passphrase 42"


@dataclass
class Accounts:
    """The use cases on one fake database, and the fakes a test looks into or moves (the clock)."""

    store: AccountsStore
    clock: MutableClock
    hasher: FakePasswordHasher
    storage: InMemoryMediaStorage
    uc: NamedUseCases
    later: RecordingJobQueue = field(default_factory=RecordingJobQueue)
    """The queue outside the units of work (the adapters' ``jobs`` with ``build_accounts``):
    what jobs put off for later (``run_due_jobs``)."""
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

    async def run_due_jobs(self) -> int:
        """Run the jobs put off for later whose time has come by the clock (and those they put
        off in turn, when due too), as the worker would; how many ran."""
        ran = 0
        while due := self.later.take_due(self.clock.now()):
            for job in due:
                await run_job(self.uc, job)
                ran += 1
        return ran


def build_accounts(settings: Settings | None = None, **overrides: Any) -> Accounts:
    """A fresh fake database and the composition root's use cases on it (``settings``: the
    test environment's by default; ``overrides``: other fake adapters, by field name)."""
    store, clock, hasher = AccountsStore(), MutableClock(), FakePasswordHasher()
    storage = InMemoryMediaStorage(clock=clock)
    later = overrides.pop("jobs", None) or RecordingJobQueue()
    adapters = fake_adapters(
        settings or Settings.from_values(environment="test"),
        store=store,
        clock=clock,
        hasher=hasher,
        tokens=FakeTokenIssuer(clock),
        storage=storage,
        jobs=later,
        **overrides,
    )
    return Accounts(
        store=store,
        clock=clock,
        hasher=hasher,
        storage=storage,
        uc=NamedUseCases(build_use_cases(adapters)),
        later=later,
    )


async def chunks(data: bytes, size: int = 7) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def ready_media(accounts: Accounts, viewer: Viewer, content: bytes) -> MediaItem:
    """Upload and run the processing job, as the worker would."""
    item = await accounts.upload_media.execute(viewer, chunks(content))
    await accounts.process_media.execute(item.id)
    processed: MediaItem = await accounts.get_media.execute(viewer, item.id)
    assert processed.status.value == "ready", processed.error
    return processed
