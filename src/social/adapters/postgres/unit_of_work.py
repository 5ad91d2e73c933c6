"""The unit of work: one ``AsyncSession`` and one transaction shared by the repositories."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from social.adapters.postgres.sessions import SqlaSessionRepository
from social.adapters.postgres.users import SqlaUserRepository
from social.adapters.security.email_cipher import EmailCipher

__all__ = ["SqlaUnitOfWork"]


class SqlaUnitOfWork:
    """Implements every context's unit-of-work protocol; leaving without ``commit`` rolls back."""

    users: SqlaUserRepository
    sessions: SqlaSessionRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession], cipher: EmailCipher) -> None:
        self._session_factory = sessions
        self._cipher = cipher
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        self._session = self._session_factory()
        self.users = SqlaUserRepository(self._session, self._cipher)
        self.sessions = SqlaSessionRepository(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self._session, None
        if session is not None:
            try:
                await session.rollback()
            finally:
                await session.close()

    async def commit(self) -> None:
        assert self._session is not None, "commit outside 'async with'"
        await self._session.commit()

    async def rollback(self) -> None:
        if self._session is not None:
            await self._session.rollback()
