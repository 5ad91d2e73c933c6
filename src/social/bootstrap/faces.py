"""The faces adapters: the dlib engine and the face index the settings choose."""

from __future__ import annotations

from contextlib import AsyncExitStack

from social.adapters.faces.dlib_engine import DlibFaceEngine
from social.adapters.faces.event_faces_cache import EventFacesCache
from social.adapters.faces.postgres_index import PostgresFaceIndex, has_pgvector
from social.adapters.postgres.database import Database
from social.settings import Settings

__all__ = ["open_faces"]


async def open_faces(
    settings: Settings, database: Database, stack: AsyncExitStack
) -> tuple[DlibFaceEngine, PostgresFaceIndex]:
    """The engine (its worker processes, started on first use, stop with ``stack``) and the
    index: ``SOCIAL_FACE_INDEX`` names it, ``auto`` takes pgvector where the ``vector``
    extension is enabled (migration 0025 enables it where installed), else the exact one."""
    faces = settings.faces
    engine = DlibFaceEngine(
        max_side=faces.face_max_side,
        upsample=faces.face_upsample,
        processes=faces.face_processes,
        max_pixels=settings.media.image_max_pixels,
    )
    stack.callback(engine.close)
    chosen = faces.face_index
    if chosen == "auto":
        chosen = "pgvector" if await has_pgvector(database.engine) else "exact"
    cache = EventFacesCache(
        ttl_s=faces.face_search_cache_s, max_bytes=faces.face_search_cache_mb * 1024 * 1024
    )
    return engine, PostgresFaceIndex(
        database.sessions, distance="pgvector" if chosen == "pgvector" else "exact", cache=cache
    )
