"""The async engine and session factory, sized for load (see architecture.md pitfalls)."""

from __future__ import annotations

from dataclasses import dataclass

from advanced_alchemy.config import SQLAlchemyAsyncConfig
from advanced_alchemy.config.engine import EngineConfig
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

__all__ = ["Database", "DatabaseCheck", "asyncpg_dsn"]


def asyncpg_dsn(url: str) -> str:
    """A plain asyncpg DSN for the SQLAlchemy URL the rest of the app uses
    (``postgresql+asyncpg://…``, the embedded server's unix-socket ``?host=`` form included)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@dataclass(slots=True)
class Database:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    @classmethod
    def connect(cls, url: str, *, pool_size: int, pool_timeout_s: float) -> Database:
        config = SQLAlchemyAsyncConfig(
            connection_string=url,
            engine_config=EngineConfig(
                pool_size=pool_size,
                max_overflow=0,
                pool_timeout=max(1, round(pool_timeout_s)),
                pool_pre_ping=False,
                pool_recycle=1800,
            ),
        )
        engine = config.get_engine()
        return cls(engine=engine, sessions=async_sessionmaker(engine, expire_on_commit=False))

    async def close(self) -> None:
        await self.engine.dispose()


class DatabaseCheck:
    """Readiness probe: one round trip to PostgreSQL."""

    name = "database"

    def __init__(self, database: Database) -> None:
        self._database = database

    async def check(self) -> None:
        async with self._database.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
