"""API clients and the activity log in PostgreSQL, and the buffered writer behind ``ActivityLog``.

The writer takes entries off the request path: ``record`` appends to a bounded in-process
buffer and returns; a background task writes the buffer in batches (one multi-row INSERT of
up to ``batch_size`` rows) every ``interval_s`` seconds, or as soon as a batch is full. When the
buffer is full the oldest entries are dropped (and counted): a request never waits for the
database. A failed batch is retried at the next flush, a few times, then dropped.

What a crash can lose: the entries not yet written, i.e. at most one flush interval's worth
(one second by default) plus the batch being written; under a load that outruns the writer,
at most the buffer (``activity_buffer_size`` entries). A clean shutdown writes the last batch.
A write that times out after the database did commit it is retried, so such a batch may be
counted twice: the log is for usage figures, not billing-grade accounting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Date, cast, delete, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.observability.metrics import ACTIVITY_DROPPED
from social.adapters.postgres.activity_tables import ActivityRow, ApiClientRow
from social.domain.activity.model import ActivityEntry, ApiClient
from social.domain.shared.errors import Conflict

__all__ = ["BufferedActivityLog", "SqlaActivityRepository", "SqlaApiClientRepository"]

log = logging.getLogger(__name__)

# One statement and seven array parameters whatever the batch size: prepared once, one round
# trip, no per-row bind parameters to compile or to run into PostgreSQL's 32,767 limit.
_INSERT_BATCH = text(
    "INSERT INTO api_activity"
    " (client_id, user_id, method, route, status, latency_ms, created_at)"
    " SELECT * FROM unnest(CAST(:client_ids AS uuid[]), CAST(:user_ids AS uuid[]),"
    " CAST(:methods AS varchar[]), CAST(:routes AS text[]), CAST(:statuses AS int2[]),"
    " CAST(:latencies AS real[]), CAST(:created AS timestamptz[]))"
)


class SqlaApiClientRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, client: ApiClient) -> None:
        self._db.add(
            ApiClientRow(
                id=client.id,
                name=client.name,
                key_prefix=client.key_prefix,
                key_hash=client.key_hash,
                created_at=client.created_at,
                revoked_at=client.revoked_at,
            )
        )
        try:
            await self._db.flush()
        except IntegrityError as exc:
            if "uq_api_clients_name" in str(exc):
                raise Conflict("A client with this name exists.", field="name") from None
            raise

    async def get(self, client_id: UUID) -> ApiClient | None:
        row = await self._db.get(ApiClientRow, client_id)
        return _client(row) if row else None

    async def by_key_hash(self, key_hash: bytes) -> ApiClient | None:
        row = await self._db.scalar(select(ApiClientRow).where(ApiClientRow.key_hash == key_hash))
        return _client(row) if row else None

    async def all(self) -> list[ApiClient]:
        c = ApiClientRow
        rows = await self._db.scalars(select(c).order_by(c.created_at, c.id))
        return [_client(row) for row in rows]

    async def revoke(self, client_id: UUID, at: datetime) -> bool:
        revoked = await self._db.execute(
            update(ApiClientRow)
            .where(ApiClientRow.id == client_id, ApiClientRow.revoked_at.is_(None))
            .values(revoked_at=at)
            .returning(ApiClientRow.id)
            .execution_options(synchronize_session=False)
        )
        return revoked.first() is not None


class SqlaActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add_many(self, entries: Sequence[ActivityEntry]) -> None:
        if not entries:
            return
        await self._db.execute(
            _INSERT_BATCH,
            {
                "client_ids": [e.client_id for e in entries],
                "user_ids": [e.user_id for e in entries],
                "methods": [e.method for e in entries],
                "routes": [e.route for e in entries],
                "statuses": [e.status for e in entries],
                "latencies": [e.latency_ms for e in entries],
                "created": [e.at for e in entries],
            },
        )

    async def daily_counts(
        self, since: datetime, client_id: UUID | None = None
    ) -> dict[tuple[UUID, date], int]:
        a = ActivityRow
        day = cast(func.timezone("UTC", a.created_at), Date)
        query = select(a.client_id, day, func.count()).where(a.created_at >= since)
        if client_id is None:
            query = query.where(a.client_id.is_not(None))
        else:
            query = query.where(a.client_id == client_id)
        rows = await self._db.execute(query.group_by(a.client_id, day))
        return {(client, on): count for client, on, count in rows if client is not None}

    async def top_clients(self, since: datetime, limit: int) -> list[tuple[UUID, int]]:
        a = ActivityRow
        requests = func.count().label("requests")
        rows = await self._db.execute(
            select(a.client_id, requests)
            .where(a.created_at >= since, a.client_id.is_not(None))
            .group_by(a.client_id)
            .order_by(requests.desc(), a.client_id)
            .limit(limit)
        )
        return [(client, count) for client, count in rows if client is not None]

    async def delete_before(self, cutoff: datetime, limit: int) -> int:
        a = ActivityRow
        oldest = select(a.id).where(a.created_at < cutoff).limit(limit).scalar_subquery()
        result = await self._db.execute(
            delete(a).where(a.id.in_(oldest)).execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)


def _client(row: ApiClientRow) -> ApiClient:
    return ApiClient(
        id=row.id,
        name=row.name,
        key_prefix=row.key_prefix,
        key_hash=row.key_hash,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


WriteBatch = Callable[[Sequence[ActivityEntry]], Awaitable[None]]


class BufferedActivityLog:
    """Implements ``ActivityLog``: ``record`` never blocks; ``start`` and ``close`` run the
    background flusher (the app's lifespan calls them through ``open_adapters``)."""

    def __init__(
        self,
        write: WriteBatch,
        *,
        max_entries: int = 50_000,
        batch_size: int = 500,
        interval_s: float = 1.0,
        write_timeout_s: float = 10.0,
        max_attempts: int = 5,
        close_timeout_s: float = 5.0,
    ) -> None:
        self._write = write
        self._buffer: deque[ActivityEntry] = deque(maxlen=max_entries)
        self._batch_size = batch_size
        self._interval = interval_s
        self._write_timeout = write_timeout_s
        self._max_attempts = max_attempts
        self._close_timeout = close_timeout_s
        self._pending: list[ActivityEntry] = []
        """The batch being written, or whose write failed (retried before anything newer)."""
        self._attempts = 0
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self.dropped = 0
        """Entries lost: pushed out of a full buffer, or in a batch that kept failing."""
        self.written = 0
        self._dropped_reported = 0

    def __len__(self) -> int:
        """Entries waiting to be written."""
        return len(self._buffer) + len(self._pending)

    def record(self, entry: ActivityEntry) -> None:
        if len(self._buffer) == self._buffer.maxlen:
            self.dropped += 1  # the deque pushes the oldest out
        self._buffer.append(entry)
        if len(self._buffer) >= self._batch_size:
            self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="activity-log-writer")

    async def close(self) -> None:
        """Stop the flusher after it writes what is left, within ``close_timeout_s``."""
        self._closing = True
        self._wake.set()
        task, self._task = self._task, None
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._close_timeout):
                if task is not None:
                    await task  # its last round writes the buffer
                await self.flush()  # anything recorded meanwhile (or never started)
        if task is not None and not task.done():  # stuck in a write: the timeout cancelled it
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if len(self):
            log.error("activity log entries lost at shutdown", extra={"entries": len(self)})

    async def flush(self) -> None:
        """Write what is buffered now, batch by batch; stop at the first failed batch. Entries
        recorded while it writes wait for the next flush (a full batch or the interval): under
        load, draining them as they come made a stream of tiny transactions, each costing the
        API process as much CPU as a full one (measured: 0.2 ms per request at 1,000 req/s)."""
        async with self._lock:
            now = len(self._buffer)
            while self._pending or now > 0:
                if not self._pending:
                    count = min(self._batch_size, now, len(self._buffer))
                    if count == 0:
                        break
                    self._pending = [self._buffer.popleft() for _ in range(count)]
                    now -= count
                    self._attempts = 0
                if not await self._write_pending():
                    break
            self._report_drops()

    async def _run(self) -> None:
        while not self._closing:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._interval)
            self._wake.clear()
            try:
                await self.flush()
            except Exception:  # never let the flusher die
                log.exception("activity log flush failed")

    async def _write_pending(self) -> bool:
        self._attempts += 1
        try:
            await asyncio.wait_for(self._write(self._pending), self._write_timeout)
        except Exception:
            gave_up = self._attempts >= self._max_attempts
            log.warning(
                "activity log write failed",
                exc_info=True,
                extra={"entries": len(self._pending), "dropped": gave_up},
            )
            if gave_up:
                self.dropped += len(self._pending)
                self._pending = []
            return False
        self.written += len(self._pending)
        self._pending = []
        return True

    def _report_drops(self) -> None:
        """Counted here, once per flush, rather than per drop: ``record`` must stay cheap."""
        if self.dropped > self._dropped_reported:
            ACTIVITY_DROPPED.inc(self.dropped - self._dropped_reported)
            log.warning(
                "activity log entries dropped",
                extra={"dropped": self.dropped - self._dropped_reported, "total": self.dropped},
            )
            self._dropped_reported = self.dropped
