"""``social backup``: every table and every media object into one archive.

Consistency: all tables are copied in one ``REPEATABLE READ`` read-only transaction, so they
are one snapshot (a like never refers to a post missing from the dump). Media keys are listed
once that snapshot is taken, so every object its rows name is listed (unless deleted
meanwhile: those keys are recorded in the manifest). Objects written later may be included
too; they are harmless orphans the unattached-media job collects.
"""

from __future__ import annotations

import gzip
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]  # no stubs or py.typed

from social.adapters.storage.streaming import read_chunks
from social.domain.media.errors import ObjectNotFound
from social.domain.media.ports import MediaStorage
from social.ops.backup.archive import (
    CONTENT_TYPE_HEADER,
    READ_CHUNK_BYTES,
    ArchiveWriter,
    created_archive,
)
from social.ops.backup.database_dump import (
    check_known,
    connect,
    dump_order,
    dump_table,
    present_tables,
    revision,
    sequence_states,
    table_columns,
)
from social.ops.backup.manifest import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST_MEMBER,
    OBJECTS_PREFIX,
    BackupError,
    Manifest,
    SequenceState,
    TableDump,
    encode_manifest,
)
from social.ops.backup.progress import Progress, Steps

__all__ = ["back_up"]

_SPOOL_MEMORY_BYTES = 8 * 1024 * 1024
"""A table's compressed dump stays in memory up to this size, then goes to a temp file."""


async def back_up(
    path: Path,
    *,
    database_url: str,
    storage: MediaStorage,
    key_check: str = "",
    progress: Progress | None = None,
) -> Manifest:
    """Write the archive to ``path`` (replacing it only once complete); its manifest."""
    created_at = datetime.now(UTC)
    steps = Steps(progress)
    async with created_archive(path, mtime=created_at.timestamp()) as archive:
        database, keys = await _dump_database(archive, database_url, storage, steps)
        sizes, missing = await _copy_objects(archive, storage, keys, steps)
        manifest = Manifest(
            format=FORMAT,
            format_version=FORMAT_VERSION,
            created_at=created_at,
            revision=database.revision,
            tables=database.tables,
            media_objects=len(sizes),
            media_bytes=sum(sizes),
            sequences=database.sequences,
            postgres_version=database.server_version,
            key_check=key_check,
            skipped_tables=database.skipped,
            missing_objects=missing,
        )
        await archive.add_bytes(MANIFEST_MEMBER, encode_manifest(manifest))
    return manifest


@dataclass(frozen=True, slots=True)
class _DatabaseDump:
    revision: str
    tables: tuple[TableDump, ...]
    sequences: tuple[SequenceState, ...]
    skipped: tuple[str, ...]
    server_version: str


async def _dump_database(
    archive: ArchiveWriter, url: str, storage: MediaStorage, steps: Steps
) -> tuple[_DatabaseDump, list[str]]:
    """The tables into the archive, and the media keys listed inside the same snapshot."""
    connection = await connect(url)
    try:
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            present = await present_tables(connection)  # the first query takes the snapshot
            current = await revision(connection, present)
            if current is None:
                raise BackupError("the database was never migrated: there is nothing to back up")
            check_known(current, "the database")
            order, skipped = dump_order(present)
            listing = storage.keys()
            keys = [key async for key in listing]
            steps.begin(len(order) + len(keys))
            tables = []
            for table in order:
                tables.append(await _dump_table(connection, archive, table))
                steps.advance()
            sequences = await sequence_states(connection)
            version = connection.get_server_version()
    finally:
        await connection.close()
    dump = _DatabaseDump(
        revision=current,
        tables=tuple(tables),
        sequences=tuple(sequences),
        skipped=tuple(skipped),
        server_version=f"{version.major}.{version.minor}",
    )
    return dump, keys


async def _dump_table(
    connection: asyncpg.Connection, archive: ArchiveWriter, table: str
) -> TableDump:
    columns = await table_columns(connection, table)
    member = f"database/{table}.copy.gz"
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_MEMORY_BYTES) as spool:
        with gzip.GzipFile(fileobj=spool, mode="wb", mtime=0) as packed:
            rows = await dump_table(connection, table, columns, packed)
        size = spool.tell()
        spool.seek(0)
        await archive.add(member, size, read_chunks(spool, READ_CHUNK_BYTES))
    return TableDump(name=table, rows=rows, columns=columns, member=member)


async def _copy_objects(
    archive: ArchiveWriter, storage: MediaStorage, keys: list[str], steps: Steps
) -> tuple[list[int], tuple[str, ...]]:
    """Each object streamed into the archive with its content type; the sizes copied, and the
    keys that were gone by the time their turn came."""
    sizes: list[int] = []
    missing: list[str] = []
    for key in keys:
        info = await storage.stat(key)
        if info is None:
            missing.append(key)
            continue
        try:
            chunks = await storage.stream(key)
        except ObjectNotFound:
            missing.append(key)
            continue
        await archive.add(
            f"{OBJECTS_PREFIX}{key}",
            info.size,
            chunks,
            headers={CONTENT_TYPE_HEADER: info.content_type},
        )
        sizes.append(info.size)
        steps.advance()
    return sizes, tuple(missing)
