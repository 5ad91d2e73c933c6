"""What the store suites share: a unit of work on the fake or on PostgreSQL, and accounts.

``backend`` is a fixture (import it into a suite's module and every test taking it runs once
per store); ``users`` adds plain active accounts, with ``changes`` applied to each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import pytest

from social.adapters.postgres.database import Database
from social.adapters.postgres.feed_source import AsyncpgFeedSource
from social.adapters.postgres.listings import AsyncpgListings
from social.adapters.postgres.overlay import AsyncpgViewerOverlay
from social.adapters.postgres.presented_content import AsyncpgContentSource
from social.adapters.postgres.read_pool import ReadPool
from social.adapters.postgres.unit_of_work import SqlaUnitOfWork
from social.adapters.read_model.content import ContentSource
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.bootstrap import AppUnitOfWork
from social.domain.accounts.model import AccountStatus, User
from social.domain.feed.ports import FeedSource
from social.domain.reads.ports import Listings, ViewerOverlay
from social.domain.shared.identity import Role
from social.domain.shared.ids import new_id
from tests.conftest import TEST_SECRET
from tests.fakes.accounts import AccountsStore, InMemoryUnitOfWork
from tests.fakes.feed import InMemoryFeedSource
from tests.fakes.reads import InMemoryContentSource, InMemoryListings, InMemoryViewerOverlay

__all__ = ["STORE_NOW", "Backend", "backend", "make_user", "postgres_backend", "users"]

STORE_NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


@dataclass
class Backend:
    """Units of work on the fake or on PostgreSQL, and the read-side adapters over the same
    data (they read what is committed, outside any unit of work)."""

    uow: Callable[[], AppUnitOfWork]
    feed_source: FeedSource
    overlay: ViewerOverlay
    contents: ContentSource
    listings: Listings
    database: Database | None = None


@pytest.fixture(params=["fake", "postgres"])
def backend(request: pytest.FixtureRequest) -> Backend:
    """Sync on purpose: ``getfixturevalue`` of an async fixture needs the loop to be idle."""
    if request.param == "fake":
        store = AccountsStore()
        return Backend(
            lambda: InMemoryUnitOfWork(store),
            InMemoryFeedSource(store),
            InMemoryViewerOverlay(store),
            InMemoryContentSource(store),
            InMemoryListings(store),
        )
    return postgres_backend(
        request.getfixturevalue("database"), request.getfixturevalue("read_pool")
    )


def postgres_backend(database: Database, pool: ReadPool) -> Backend:
    cipher = EmailCipher(KeyRing.from_secret(TEST_SECRET))
    return Backend(
        lambda: SqlaUnitOfWork(database.sessions, cipher),
        AsyncpgFeedSource(pool),
        AsyncpgViewerOverlay(pool),
        AsyncpgContentSource(pool),
        AsyncpgListings(pool, planned=pool),
        database,
    )


def make_user(username: str = "alice", **changes: Any) -> User:
    """An active user named ``username`` (and ``changes``), not stored."""
    user = User(
        id=new_id(),
        username=username,
        email=f"{username}@example.com",
        password_hash="h",
        display_name="",
        bio="",
        website=None,
        is_private=False,
        role=Role.USER,
        status=AccountStatus.ACTIVE,
        created_at=STORE_NOW,
        updated_at=STORE_NOW,
    )
    return replace(user, **changes)


async def users(backend: Backend, *names: str, **changes: Any) -> list[User]:
    made = [make_user(name, **changes) for name in names]
    async with backend.uow() as uow:
        for user in made:
            await uow.users.add(user)
        await uow.commit()
    return made
