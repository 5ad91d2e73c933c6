"""The outbox on PostgreSQL: dispatched right after commit, and relayed when that was missed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import text

from social.adapters.postgres.database import Database
from social.adapters.postgres.outbox import OutboxEntry, relay_outbox
from social.adapters.postgres.unit_of_work import SqlaUnitOfWork
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.domain.media.jobs import RemoveStoredObjects
from social.domain.shared.jobs import PurgeDeletedAccount
from tests.conftest import TEST_SECRET

ACCOUNT = UUID("0190a6d2-0000-7000-8000-000000000001")


class Recorder:
    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail
        self.entries: list[OutboxEntry] = []

    async def __call__(self, entries: Sequence[OutboxEntry]) -> None:
        if self.fail:
            raise ConnectionError("queue down")
        self.entries.extend(entries)


async def outbox_rows(database: Database) -> int:
    async with database.engine.connect() as connection:
        return int(
            (await connection.execute(text("SELECT count(*) FROM outbox_jobs"))).scalar_one()
        )


async def test_committed_jobs_are_dispatched_and_forgotten(database: Database) -> None:
    recorder = Recorder()
    cipher = EmailCipher(KeyRing.from_secret(TEST_SECRET))
    async with SqlaUnitOfWork(database.sessions, cipher, dispatch=recorder) as uow:
        await uow.jobs.enqueue(PurgeDeletedAccount(ACCOUNT))
        await uow.commit()
    assert [(e.job, e.arguments) for e in recorder.entries] == [
        ("purge_account", {"user_id": str(ACCOUNT)})
    ]
    assert await outbox_rows(database) == 0


async def test_a_missed_dispatch_is_relayed_once(database: Database) -> None:
    down = Recorder(fail=True)
    cipher = EmailCipher(KeyRing.from_secret(TEST_SECRET))
    async with SqlaUnitOfWork(database.sessions, cipher, dispatch=down) as uow:
        await uow.jobs.enqueue(RemoveStoredObjects(("a", "b")))
        await uow.commit()  # the queue is down: the job must survive in the outbox
    assert await outbox_rows(database) == 1

    relay = Recorder()
    later = datetime.now(UTC) + timedelta(minutes=1)
    fresh = await relay_outbox(
        database.sessions, relay, now=datetime.now(UTC), older_than=timedelta(seconds=30)
    )
    assert fresh == 0  # too young: its own dispatch may still be under way
    assert (
        await relay_outbox(database.sessions, relay, now=later, older_than=timedelta(seconds=30))
        == 1
    )
    assert [(e.job, e.arguments) for e in relay.entries] == [
        ("delete_stored_objects", {"keys": ["a", "b"]})
    ]
    assert (
        await relay_outbox(database.sessions, relay, now=later, older_than=timedelta(seconds=30))
        == 0
    )
    assert await outbox_rows(database) == 0


async def test_rolled_back_jobs_never_run(database: Database) -> None:
    recorder = Recorder()
    cipher = EmailCipher(KeyRing.from_secret(TEST_SECRET))
    async with SqlaUnitOfWork(database.sessions, cipher, dispatch=recorder) as uow:
        await uow.jobs.enqueue(PurgeDeletedAccount(ACCOUNT))
    assert recorder.entries == []
    assert await outbox_rows(database) == 0
