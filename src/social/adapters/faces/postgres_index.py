"""The face index in PostgreSQL: one table (``face_embeddings``), two ways to measure distance.

``exact`` fetches the searched events' embeddings in binary (core SQL: any PostgreSQL) and
measures them with numpy (``exact_distance.py``); ``pgvector`` casts the stored ``real[]`` to
``vector`` and measures in the server with its C ``<->`` operator. Both read the searched
events' faces through the ``event_id`` index, exactly: "exact search is fine for one event's
photos" (benchmarks in docs/benchmarks.md).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from typing import Literal
from uuid import UUID

from sqlalchemy import (
    Insert,
    Integer,
    bindparam,
    column,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    text,
    values,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import ARRAY, DOUBLE_PRECISION, REAL
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from social.adapters.faces.event_faces_cache import EventFaces, EventFacesCache
from social.adapters.faces.exact_distance import decoded, nearest_photos
from social.adapters.postgres.event_tables import event_photos
from social.adapters.postgres.face_tables import FaceEmbeddingRow
from social.domain.faces.model import (
    DetectedFace,
    FaceBox,
    FaceMatch,
    IndexedFace,
    check_embedding,
)
from social.domain.shared.ids import new_id

__all__ = ["PostgresFaceIndex", "has_pgvector"]

Distance = Literal["exact", "pgvector"]

log = logging.getLogger(__name__)

_FOREIGN_KEY = "fk_face_embeddings_media_id_event_photos"

_SEARCH = """
WITH best AS (
    SELECT f.media_id,
           min(f.embedding::vector <-> CAST(:query AS float8[])::real[]::vector) AS distance
    FROM face_embeddings AS f
    WHERE f.event_id = ANY(:events)
    GROUP BY f.media_id
)
SELECT media_id, distance FROM best
WHERE distance <= :max_distance
  AND (CAST(:after_distance AS float8) IS NULL
       OR (distance, media_id) > (CAST(:after_distance AS float8), CAST(:after_media AS uuid)))
ORDER BY distance, media_id
LIMIT :limit
"""


class PostgresFaceIndex:
    """``distance`` picks where distances are measured (see the module); the rest is shared."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        distance: Distance = "exact",
        cache: EventFacesCache | None = None,
    ) -> None:
        self._sessions = sessions
        self.distance: Distance = distance
        self._cache = cache
        """The exact search's events kept in this process (``event_faces_cache.py``: a photo
        indexed meanwhile appears up to its TTL later); none: every search reads the table."""
        self._search = text(_SEARCH).bindparams(
            bindparam("query", type_=ARRAY(DOUBLE_PRECISION)),
            bindparam("events", type_=ARRAY(postgresql.UUID(as_uuid=True))),
            bindparam("after_distance", type_=DOUBLE_PRECISION),
            bindparam("after_media", type_=postgresql.UUID(as_uuid=True)),
        )

    async def replace_photo(
        self, media_id: UUID, event_id: UUID, faces: Sequence[DetectedFace]
    ) -> int:
        """One statement inserts the faces only while the photo is the event's (its row count
        is what was stored); a photo removed by a transaction that commits while this one runs
        fails the foreign key instead: either way the photo's faces are gone with it, 0 are
        stored, and nothing is raised."""
        if self._cache is not None:
            self._cache.forget(event_id)
        rows = [
            (
                new_id(),
                face.box.left,
                face.box.top,
                face.box.right,
                face.box.bottom,
                list(check_embedding(face.embedding)),
            )
            for face in faces
        ]
        f = FaceEmbeddingRow
        try:
            async with self._sessions() as session, session.begin():
                await session.execute(
                    delete(f).where(f.media_id == media_id, f.event_id == event_id)
                )
                if not rows:
                    return 0
                result = await session.execute(_insert_if_photo(media_id, event_id, rows))
                return int(getattr(result, "rowcount", 0) or 0)
        except IntegrityError as error:
            if _FOREIGN_KEY not in str(error):
                raise
            log.info("faces of a removed photo dropped", extra={"media_id": str(media_id)})
            return 0

    async def faces_of(self, media_id: UUID) -> list[IndexedFace]:
        row = FaceEmbeddingRow
        async with self._sessions() as session:
            found = await session.scalars(
                select(row)
                .where(row.media_id == media_id)
                .order_by(row.box_left, row.box_top, row.id)
            )
            return [
                IndexedFace(
                    media_id=face.media_id,
                    event_id=face.event_id,
                    box=FaceBox(face.box_left, face.box_top, face.box_right, face.box_bottom),
                    embedding=tuple(face.embedding),
                )
                for face in found
            ]

    async def delete_photo(self, media_id: UUID) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                delete(FaceEmbeddingRow).where(FaceEmbeddingRow.media_id == media_id)
            )

    async def delete_event(self, event_id: UUID) -> None:
        if self._cache is not None:
            self._cache.forget(event_id)
        async with self._sessions() as session, session.begin():
            await session.execute(
                delete(FaceEmbeddingRow).where(FaceEmbeddingRow.event_id == event_id)
            )

    async def search(
        self,
        embedding: Sequence[float],
        *,
        event_ids: Collection[UUID],
        max_distance: float,
        limit: int,
        after: FaceMatch | None = None,
    ) -> list[FaceMatch]:
        if not event_ids or limit <= 0:
            return []
        query = list(check_embedding(tuple(embedding)))
        if self.distance == "exact":
            return await self._exact(query, event_ids, max_distance, limit, after)
        params = {
            "query": query,
            "events": list(event_ids),
            "max_distance": max_distance,
            "after_distance": after.distance if after else None,
            "after_media": after.media_id if after else None,
            "limit": limit,
        }
        async with self._sessions() as session:
            result = await session.execute(self._search, params)
            return [FaceMatch(media_id=row[0], distance=float(row[1])) for row in result]

    async def _exact(
        self,
        query: list[float],
        event_ids: Collection[UUID],
        max_distance: float,
        limit: int,
        after: FaceMatch | None,
    ) -> list[FaceMatch]:
        if self._cache is None:
            faces = [await self._load(list(event_ids))]
        else:
            cache = self._cache
            faces = [await cache.get(e, lambda e: self._load([e])) for e in set(event_ids)]
        return nearest_photos(query, faces, max_distance=max_distance, limit=limit, after=after)

    async def _load(self, event_ids: list[UUID]) -> EventFaces:
        row = FaceEmbeddingRow
        async with self._sessions() as session:
            found = await session.execute(
                select(row.media_id, func.array_send(row.embedding)).where(
                    row.event_id.in_(event_ids)
                )
            )
            return decoded([(media_id, bytes(data)) for media_id, data in found])


def _insert_if_photo(
    media_id: UUID, event_id: UUID, rows: list[tuple[UUID, int, int, int, int, list[float]]]
) -> Insert:
    """``INSERT … SELECT`` the faces ``WHERE EXISTS`` the (photo, event) row."""
    faces = values(
        column("id", postgresql.UUID(as_uuid=True)),
        column("box_left", Integer),
        column("box_top", Integer),
        column("box_right", Integer),
        column("box_bottom", Integer),
        column("embedding", ARRAY(REAL)),
        name="faces",
    ).data(rows)
    photo = event_photos.c
    is_photo = exists().where(photo.media_id == media_id, photo.event_id == event_id)
    return insert(FaceEmbeddingRow).from_select(
        [
            "id",
            "media_id",
            "event_id",
            "box_left",
            "box_top",
            "box_right",
            "box_bottom",
            "embedding",
        ],
        select(
            faces.c.id,
            literal(media_id, postgresql.UUID(as_uuid=True)),
            literal(event_id, postgresql.UUID(as_uuid=True)),
            faces.c.box_left,
            faces.c.box_top,
            faces.c.box_right,
            faces.c.box_bottom,
            faces.c.embedding,
        ).where(is_photo),
    )


async def has_pgvector(engine: AsyncEngine) -> bool:
    """Whether the database has the ``vector`` extension enabled (``SOCIAL_FACE_INDEX=auto``)."""
    async with engine.connect() as connection:
        found = await connection.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'vector'"))
    return found is not None
