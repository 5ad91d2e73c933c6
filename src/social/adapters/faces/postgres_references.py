"""Users' face references in PostgreSQL (``face_references``: one row per consenting user)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from social.adapters.postgres.face_tables import FaceReferenceRow
from social.domain.faces.model import check_embedding
from social.domain.faces.reference import FaceReference

__all__ = ["PostgresFaceReferences"]


class PostgresFaceReferences:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, user_id: UUID) -> FaceReference | None:
        async with self._sessions() as session:
            row = await session.scalar(
                select(FaceReferenceRow).where(FaceReferenceRow.user_id == user_id)
            )
            if row is None:
                return None
            return FaceReference(row.user_id, tuple(row.embedding), row.consented_at)

    async def put(self, reference: FaceReference) -> None:
        values = {
            "user_id": reference.user_id,
            "embedding": list(check_embedding(reference.embedding)),
            "consented_at": reference.consented_at,
        }
        statement = insert(FaceReferenceRow).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=[FaceReferenceRow.user_id],
            set_={
                "embedding": statement.excluded.embedding,
                "consented_at": statement.excluded.consented_at,
            },
        )
        async with self._sessions() as session, session.begin():
            await session.execute(statement)

    async def delete(self, user_id: UUID) -> bool:
        async with self._sessions() as session, session.begin():
            deleted = await session.execute(
                delete(FaceReferenceRow)
                .where(FaceReferenceRow.user_id == user_id)
                .returning(FaceReferenceRow.user_id)
            )
            return deleted.first() is not None
