"""The database: the configured one or the embedded server, and its migrations. Light to import:
``social serve`` and ``social migrate`` need nothing more."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager

from social.adapters.postgres import migrations
from social.adapters.postgres.embedded import EmbeddedPostgres
from social.settings import Settings

__all__ = ["embedded_database", "migrate_if_due", "prepare_database"]

log = logging.getLogger(__name__)


@contextmanager
def embedded_database(settings: Settings) -> Iterator[str]:
    """The database URL: the configured one, or else that of the embedded server under the
    data directory, started (or joined, when another process runs it) here and stopped on
    exit. Blocks while the server starts: async callers run it in a thread."""
    if not settings.services.uses_embedded_database:
        yield settings.services.database_url
        return
    server = EmbeddedPostgres(settings.process.data_dir / "postgres")
    url = server.start()
    log.info("embedded PostgreSQL ready", extra={"data_dir": str(settings.process.data_dir)})
    try:
        yield url
    finally:
        server.stop()


def migrate_if_due(settings: Settings, url: str) -> None:
    """The migrations, when the settings ask for them or the database is the embedded one."""
    if settings.process.auto_migrate or settings.services.uses_embedded_database:
        migrations.upgrade(url)


async def prepare_database(settings: Settings, stack: AsyncExitStack) -> str:
    """``embedded_database`` (left on ``stack``), then the migrations when due."""
    url = await asyncio.to_thread(stack.enter_context, embedded_database(settings))
    await asyncio.to_thread(migrate_if_due, settings, url)
    return url
