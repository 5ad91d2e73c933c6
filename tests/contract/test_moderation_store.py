"""One suite for the ``ReportRepository`` and ``AuditLog`` ports, on the fake and on PostgreSQL:
reports read back as written, the open report of a reporter and target, resolution written
back, the queue (open oldest first, resolved newest first) paged without repeats or skips; the
audit log appended and paged newest first, and append-only in the database itself."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from social.adapters.postgres.database import Database
from social.adapters.postgres.read_pool import ReadPool
from social.domain.accounts.model import User
from social.domain.moderation.model import (
    AuditEntry,
    Report,
    ReportStatus,
    Resolution,
    TargetType,
)
from social.domain.shared.ids import new_id
from social.domain.shared.pagination import Cursor, Page, PageRequest
from tests.contract.stores import STORE_NOW, Backend, postgres_backend, users

MINUTE = timedelta(minutes=1)


def report(
    reporter: User,
    minutes: int = 0,
    *,
    kind: TargetType = TargetType.POST,
    target: UUID | None = None,
    id: UUID | None = None,
) -> Report:
    return Report(
        id=id or new_id(),
        reporter_id=reporter.id,
        target_type=kind,
        target_id=target or new_id(),
        reason=f"spam, {minutes} minutes in",
        created_at=STORE_NOW + minutes * MINUTE,
        target_owner_id=new_id(),
    )


def resolved(item: Report, by: User, minutes: int = 60) -> Report:
    return replace(
        item,
        status=ReportStatus.RESOLVED,
        resolution=Resolution.REMOVE_CONTENT,
        note="removed the post",
        resolved_by=by.id,
        resolved_at=STORE_NOW + minutes * MINUTE,
    )


def audit(minutes: int = 0, *, id: UUID | None = None, **details: Any) -> AuditEntry:
    return AuditEntry(
        id=id or new_id(),
        actor_id=new_id(),
        action="suspend_user",
        target_type="user",
        target_id=new_id(),
        created_at=STORE_NOW + minutes * MINUTE,
        details=details,
    )


async def add_reports(backend: Backend, *made: Report) -> None:
    async with backend.uow() as uow:
        for item in made:
            await uow.reports.add(item)
        await uow.commit()


async def resolve(backend: Backend, *done: Report) -> None:
    async with backend.uow() as uow:
        for item in done:
            await uow.reports.resolve(item)
        await uow.commit()


async def queue_pages(backend: Backend, status: ReportStatus, limit: int) -> list[list[Report]]:
    """Every page of the queue, following the cursors to the end."""
    pages: list[list[Report]] = []
    after: Cursor | None = None
    while True:
        async with backend.uow() as uow:
            page = await uow.reports.queue(status, PageRequest(limit, after))
        pages.append(page.items)
        if page.next_cursor is None:
            return pages
        assert isinstance(page.next_cursor, Cursor)
        after = page.next_cursor


async def test_a_report_reads_back_as_written(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    item = report(alice, kind=TargetType.COMMENT)
    await add_reports(backend, item)
    async with backend.uow() as uow:
        assert await uow.reports.get(item.id) == item
        assert await uow.reports.get(new_id()) is None


async def test_a_report_left_uncommitted_is_not_kept(backend: Backend) -> None:
    (alice,) = await users(backend, "alice")
    item = report(alice)
    async with backend.uow() as uow:
        await uow.reports.add(item)
    async with backend.uow() as uow:
        assert await uow.reports.get(item.id) is None
        assert (await uow.reports.queue(ReportStatus.OPEN, PageRequest())).items == []


async def test_the_open_report_of_a_reporter_and_target(backend: Backend) -> None:
    alice, bob, mod = await users(backend, "alice", "bob", "mod")
    target = new_id()
    mine = report(alice, target=target)
    await add_reports(backend, mine, report(bob, target=target))
    async with backend.uow() as uow:
        assert await uow.reports.open_by(alice.id, TargetType.POST, target) == mine
        assert await uow.reports.open_by(alice.id, TargetType.COMMENT, target) is None
        assert await uow.reports.open_by(alice.id, TargetType.POST, new_id()) is None
        assert await uow.reports.open_by(mod.id, TargetType.POST, target) is None
    await resolve(backend, resolved(mine, mod))
    async with backend.uow() as uow:
        assert await uow.reports.open_by(alice.id, TargetType.POST, target) is None
    again = report(alice, 90, target=target)  # reporting again once the first is resolved
    await add_reports(backend, again)
    async with backend.uow() as uow:
        assert await uow.reports.open_by(alice.id, TargetType.POST, target) == again


async def test_resolving_writes_back_the_outcome(backend: Backend) -> None:
    alice, mod = await users(backend, "alice", "mod")
    item, other = report(alice), report(alice, 1)
    await add_reports(backend, item, other)
    done = replace(resolved(item, mod), resolution=Resolution.DISMISS, note=None)
    await resolve(backend, done)
    async with backend.uow() as uow:
        assert await uow.reports.get(item.id) == done
        assert await uow.reports.get(other.id) == other


async def test_the_open_queue_is_oldest_first_and_pages_without_repeats(
    backend: Backend,
) -> None:
    alice, bob, mod = await users(backend, "alice", "bob", "mod")
    tied = sorted([new_id(), new_id()])  # same instant: the id breaks the tie
    made = [
        report(bob, 3),
        report(alice, 0),
        report(alice, 2, id=tied[1]),
        report(bob, 2, id=tied[0]),
        report(alice, 5),
    ]
    closed = report(alice, 1)
    await add_reports(backend, *made, closed)
    await resolve(backend, resolved(closed, mod))
    pages = await queue_pages(backend, ReportStatus.OPEN, 2)
    expected = sorted(made, key=lambda r: (r.created_at, r.id))
    assert pages == [expected[0:2], expected[2:4], expected[4:5]]


async def test_resolved_reports_are_newest_first(backend: Backend) -> None:
    alice, mod = await users(backend, "alice", "mod")
    made = [report(alice, minutes) for minutes in (4, 0, 9, 2)]
    still_open = report(alice, 20)
    await add_reports(backend, *made, still_open)
    done = [resolved(item, mod, 100 - n) for n, item in enumerate(made)]
    await resolve(backend, *done)
    newest_first = sorted(done, key=lambda r: (r.created_at, r.id), reverse=True)
    assert await queue_pages(backend, ReportStatus.RESOLVED, 2) == [
        newest_first[0:2],
        newest_first[2:4],  # exactly full: the last page carries no cursor
    ]
    assert await queue_pages(backend, ReportStatus.OPEN, 10) == [[still_open]]


async def test_an_empty_queue_is_one_empty_page(backend: Backend) -> None:
    async with backend.uow() as uow:
        for status in ReportStatus:
            assert await uow.reports.queue(status, PageRequest()) == Page([], None)


async def test_the_audit_log_pages_newest_first(backend: Backend) -> None:
    tied = sorted([new_id(), new_id()])
    entries = [
        audit(0, reason="spam"),
        audit(7, id=tied[0], until="2026-04-01T00:00:00+00:00", days=30),
        audit(7, id=tied[1], roles=["user", "moderator"], nested={"a": 1}),
        audit(3),
        audit(12, note=None),
    ]
    async with backend.uow() as uow:
        for entry in entries:
            await uow.audit.append(entry)
        await uow.commit()
    newest_first = sorted(entries, key=lambda e: (e.created_at, e.id), reverse=True)
    seen: list[list[AuditEntry]] = []
    after: Cursor | None = None
    while True:
        async with backend.uow() as uow:
            page = await uow.audit.page(PageRequest(2, after))
        seen.append(page.items)
        if page.next_cursor is None:
            break
        assert isinstance(page.next_cursor, Cursor)
        after = page.next_cursor
    assert seen == [newest_first[0:2], newest_first[2:4], newest_first[4:5]]


async def test_audit_entries_go_with_their_transaction(backend: Backend) -> None:
    kept, dropped = audit(0), audit(1)
    async with backend.uow() as uow:
        await uow.audit.append(kept)
        await uow.commit()
    async with backend.uow() as uow:
        await uow.audit.append(dropped)
    async with backend.uow() as uow:
        assert await uow.audit.page(PageRequest()) == Page([kept], None)


@pytest.fixture
def postgres(database: Database, read_pool: ReadPool) -> Backend:
    return postgres_backend(database, read_pool)


@pytest.mark.parametrize(
    "change", ["UPDATE audit_log SET action = 'none'", "DELETE FROM audit_log"]
)
async def test_the_database_refuses_to_change_the_audit_log(postgres: Backend, change: str) -> None:
    """PostgreSQL only: the port has no way to change an entry, and a trigger makes sure
    nothing else (a fix in psql, a future repository method) does either."""
    assert postgres.database is not None
    entry = audit(0)
    async with postgres.uow() as uow:
        await uow.audit.append(entry)
        await uow.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        async with postgres.database.engine.begin() as connection:
            await connection.execute(text(change))
    async with postgres.uow() as uow:
        assert (await uow.audit.page(PageRequest())).items == [entry]
