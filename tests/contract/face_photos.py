"""Event photos for the ``FaceIndex`` contract: a face row lives only as long as its photo is
an event's, so each leg makes real ones: rows of its database (an organiser, events, media
items, ``event_photos``) on PostgreSQL, the fake index's registry in memory."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, date, datetime
from typing import Protocol
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from social.domain.shared.ids import new_id
from tests.fakes.faces import InMemoryFaceIndex

__all__ = ["EventPhotos", "RegisteredPhotos", "SqlPhotos", "until_blocked"]


class EventPhotos(Protocol):
    """What the events context does to photos, as the index sees it."""

    async def event(self) -> UUID:
        """A new event of the leg's organiser."""
        ...

    async def photo(self, event_id: UUID) -> UUID:
        """A new media item attached to the event."""
        ...

    async def remove_photo(self, media_id: UUID) -> None:
        """The photo leaves its event (``RemoveEventPhotos``)."""
        ...

    async def delete_event(self, event_id: UUID) -> None:
        """The event goes, with all its photos."""
        ...


class RegisteredPhotos:
    """The fake's registry of event photos."""

    def __init__(self, index: InMemoryFaceIndex) -> None:
        self._index = index

    async def event(self) -> UUID:
        return new_id()

    async def photo(self, event_id: UUID) -> UUID:
        media_id = new_id()
        self._index.add_photo(media_id, event_id)
        return media_id

    async def remove_photo(self, media_id: UUID) -> None:
        self._index.remove_photo(media_id)

    async def delete_event(self, event_id: UUID) -> None:
        self._index.remove_event(event_id)


class SqlPhotos:
    """Rows of the leg's database, written as the events context's tables hold them; ``close``
    deletes the organiser's media and account (the rest cascades)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._owner: UUID | None = None

    async def _organiser(self) -> UUID:
        if self._owner is None:
            self._owner = new_id()
            async with self._engine.begin() as connection:
                await connection.execute(
                    text(
                        "INSERT INTO users (id, username, email_ciphertext, email_key_id,"
                        " email_hash, password_hash, created_at, updated_at)"
                        " VALUES (:id, :username, :cipher, 'k1', :hash, 'h', :now, :now)"
                    ),
                    {
                        "id": self._owner,
                        "username": f"organiser_{secrets.token_hex(4)}",
                        "cipher": secrets.token_bytes(16),
                        "hash": secrets.token_bytes(32),
                        "now": datetime.now(UTC),
                    },
                )
        return self._owner

    async def event(self) -> UUID:
        owner, event_id = await self._organiser(), new_id()
        async with self._engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO events (id, owner_id, title, event_date, visibility,"
                    " created_at, updated_at)"
                    " VALUES (:id, :owner, 'Wisuda', :day, 'unlisted', :now, :now)"
                ),
                {
                    "id": event_id,
                    "owner": owner,
                    "day": date(2026, 11, 28),
                    "now": datetime.now(UTC),
                },
            )
        return event_id

    async def photo(self, event_id: UUID) -> UUID:
        owner, media_id = await self._organiser(), new_id()
        async with self._engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO media (id, owner_id, kind, purpose, status, created_at)"
                    " VALUES (:id, :owner, 'image', 'post', 'ready', :now)"
                ),
                {"id": media_id, "owner": owner, "now": datetime.now(UTC)},
            )
            await connection.execute(
                text(
                    "INSERT INTO event_photos (media_id, event_id, position, added_at)"
                    " SELECT :media, :event, count(*) + 1, :now FROM event_photos"
                    " WHERE event_id = :event"
                ),
                {"media": media_id, "event": event_id, "now": datetime.now(UTC)},
            )
        return media_id

    async def remove_photo(self, media_id: UUID) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                text("DELETE FROM event_photos WHERE media_id = :media"), {"media": media_id}
            )

    async def delete_event(self, event_id: UUID) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(text("DELETE FROM events WHERE id = :id"), {"id": event_id})

    async def close(self) -> None:
        if self._owner is None:
            return
        async with self._engine.begin() as connection:
            await connection.execute(
                text("DELETE FROM media WHERE owner_id = :owner"), {"owner": self._owner}
            )
            await connection.execute(
                text("DELETE FROM users WHERE id = :owner"), {"owner": self._owner}
            )


async def until_blocked(engine: AsyncEngine) -> None:
    """Until a session of this database waits on a lock (the insert's foreign key check)."""
    for _ in range(200):
        async with engine.connect() as probe:
            waiting = await probe.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        if waiting:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the insert never waited on the removed photo's row")
