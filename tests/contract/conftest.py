"""Fixtures of the contract suites. The store suites' ``backend`` (from ``stores.py``) runs each
test on the fake and on PostgreSQL. The ``SearchIndex`` ones (``test_search_index.py``,
``test_search_queries.py``) run each test once per adapter; the OpenSearch one skips (or fails
under ``SOCIAL_REQUIRE_SERVICES=1``) without ``SOCIAL_TEST_OPENSEARCH_URL``."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator

import pytest

from social.adapters.postgres.database import Database
from social.adapters.search.opensearch_index import OpenSearchIndex
from social.adapters.search.postgres_index import PostgresSearchIndex
from social.domain.search.ports import SearchIndex
from tests.contract.stores import backend
from tests.fakes.search import InMemorySearchIndex

__all__ = ["backend"]  # the store suites' fixture: once on the fake, once on PostgreSQL


@pytest.fixture
def memory_index() -> InMemorySearchIndex:
    return InMemorySearchIndex()


@pytest.fixture
def postgres_index(database: Database) -> PostgresSearchIndex:
    return PostgresSearchIndex(database.sessions)


@pytest.fixture
def opensearch_index_name() -> str:
    return f"social-test-posts-{secrets.token_hex(6)}"


@pytest.fixture
async def opensearch_index(
    opensearch_url: str, opensearch_index_name: str
) -> AsyncIterator[OpenSearchIndex]:
    """Fresh indexes per test, so tests never see each other's documents; the wildcard takes
    the physical indexes behind both aliases (``name-…``, ``name-users-…``) and a legacy one."""
    index = OpenSearchIndex(opensearch_url, index_name=opensearch_index_name)
    try:
        yield index
    finally:
        await index.client.indices.delete(index=f"{opensearch_index_name}*")
        await index.close()


@pytest.fixture(params=["memory", "postgres", "opensearch"])
def index(request: pytest.FixtureRequest) -> SearchIndex:
    """The adapter under test, before ``ensure_index``."""
    adapter: SearchIndex = request.getfixturevalue(f"{request.param}_index")
    return adapter


@pytest.fixture
async def search(index: SearchIndex) -> SearchIndex:
    """The adapter under test, ready for writes."""
    await index.ensure_index()
    return index
