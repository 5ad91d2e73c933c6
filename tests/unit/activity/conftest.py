"""The activity use cases, wired by the real composition root to in-memory fakes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pytest

from social.bootstrap import build_use_cases
from social.domain.activity.model import ActivityEntry, ApiClient
from social.domain.shared.identity import Role, Viewer
from social.domain.shared.ids import new_id
from social.settings import Settings
from tests.fakes.accounts import AccountsStore, InMemoryUnitOfWork
from tests.fakes.adapters import NamedUseCases, fake_adapters
from tests.fakes.shared import MutableClock


def viewer(role: Role = Role.ADMIN) -> Viewer:
    return Viewer(user_id=new_id(), role=role, session_id=new_id())


@dataclass
class Activity:
    store: AccountsStore
    clock: MutableClock
    uc: NamedUseCases
    admin: Viewer
    transactions: list[int]
    """One item per unit of work opened."""

    async def client(self, name: str) -> tuple[ApiClient, str]:
        issued = await self.uc.register_api_client.execute(self.admin, name)
        return issued.client, issued.api_key

    def traffic(self, client: ApiClient | None, at: datetime, count: int = 1) -> None:
        """Entries as if written by the activity log's writer."""
        client_id = client.id if client else None
        self.store.activity.extend(
            ActivityEntry(client_id, None, "GET", "/api/v1/me", 200, 1.5, at) for _ in range(count)
        )


@pytest.fixture
def activity() -> Activity:
    store, clock, transactions = AccountsStore(), MutableClock(), []

    def uow() -> InMemoryUnitOfWork:
        transactions.append(1)
        return InMemoryUnitOfWork(store)

    counting: Callable[[], InMemoryUnitOfWork] = uow
    adapters = fake_adapters(
        Settings.from_values(environment="test"), store=store, clock=clock, uow=counting
    )
    return Activity(store, clock, NamedUseCases(build_use_cases(adapters)), viewer(), transactions)
