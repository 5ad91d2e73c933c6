"""The ``FaceReferences`` contract, on the in-memory fake and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from social.adapters.faces.postgres_references import PostgresFaceReferences
from social.adapters.postgres.database import Database
from social.adapters.postgres.read_pool import ReadPool
from social.domain.faces.model import EMBEDDING_SIZE
from social.domain.faces.reference import FaceReference, FaceReferences
from tests.contract.stores import Backend, postgres_backend, users
from tests.fakes.faces import InMemoryFaceReferences

WHEN = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture
def references(backend: Backend) -> FaceReferences:
    if backend.database is None:
        return InMemoryFaceReferences()
    return PostgresFaceReferences(backend.database.sessions)


async def test_one_reference_per_user_replaced_and_deleted(
    backend: Backend, references: FaceReferences
) -> None:
    alice, bob = await users(backend, "alice", "bob")
    first = FaceReference(alice.id, tuple([0.25] * EMBEDDING_SIZE), WHEN)
    await references.put(first)
    assert await references.get(alice.id) == first
    assert await references.get(bob.id) is None

    again = FaceReference(alice.id, tuple([-0.5] * EMBEDDING_SIZE), WHEN.replace(hour=11))
    await references.put(again)
    assert await references.get(alice.id) == again

    assert await references.delete(alice.id) is True
    assert await references.get(alice.id) is None
    assert await references.delete(alice.id) is False


async def test_a_reference_of_another_size_is_refused(
    backend: Backend, references: FaceReferences
) -> None:
    [alice] = await users(backend, "alice")
    with pytest.raises(ValueError, match="128"):
        await references.put(FaceReference(alice.id, (0.1,), WHEN))


async def test_the_reference_goes_with_the_account_on_postgresql(
    database: Database, read_pool: ReadPool
) -> None:
    """The purge deletes the user row; the foreign key takes the reference with it (the fake
    store has no foreign keys: this is PostgreSQL's cascade)."""
    backend = postgres_backend(database, read_pool)
    references = PostgresFaceReferences(database.sessions)
    [alice] = await users(backend, "alice")
    await references.put(FaceReference(alice.id, tuple([0.25] * EMBEDDING_SIZE), WHEN))
    async with backend.uow() as uow:
        await uow.users.delete(alice.id)
        await uow.commit()
    assert await references.get(alice.id) is None
