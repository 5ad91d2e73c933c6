"""``social restore``: an archive back into the database and the media storage.

Order: read and check the whole archive (nothing is touched when it is not a complete backup
this version understands); refuse a target holding data unless forced, else empty it; migrate
to the archive's revision; load every table in one transaction, set the sequences where they
were, and check the row counts against the manifest before committing; put every object back;
with ``force``, remove the objects that were there before and are not in the archive.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]  # no stubs or py.typed

from social.domain.media.ports import MediaStorage
from social.domain.shared.errors import DomainError
from social.ops.backup.archive import CONTENT_TYPE_HEADER, ArchiveReader
from social.ops.backup.database_dump import (
    VERSION_TABLE,
    check_known,
    connect,
    forward_foreign_keys,
    known_tables,
    load_table,
    migrate_to,
    occupied_tables,
    present_tables,
    revision,
    set_sequence,
    truncate,
)
from social.ops.backup.manifest import OBJECTS_PREFIX, BackupError, Manifest
from social.ops.backup.progress import Progress, Steps

__all__ = ["Restored", "restore"]

_DEFAULT_CONTENT_TYPE = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Restored:
    manifest: Manifest
    objects_removed: int
    """Objects that were in the storage before and are not in the archive (``force`` only)."""
    other_key: bool
    """The archive was made under another secret key than the one given."""

    def notes(self) -> list[str]:
        """What the operator should know, or do next."""
        found = []
        if self.other_key:
            found.append(
                "warning: the archive was made under another secret key: encrypted emails will"
                " not read back (nor logging in by email); restore again with the"
                " SOCIAL_SECRET_KEY (or DATA_DIR/secret_key) it was made with"
            )
        if self.objects_removed:
            found.append(f"removed {self.objects_removed} media objects not in the archive")
        found.append("rebuild the search index now: social reindex")
        return found


async def restore(
    path: Path,
    *,
    database_url: str,
    storage: MediaStorage,
    force: bool = False,
    key_check: str = "",
    progress: Progress | None = None,
) -> Restored:
    """Restore the archive at ``path`` (the steps: see above). ``key_check`` is the
    fingerprint of the secret key in use (``key_fingerprint``), to warn when the archive's
    differs."""
    reader = await ArchiveReader.open(path)
    try:
        manifest = reader.manifest
        _check_archive(reader)
        had_objects = await _prepare(database_url, storage, manifest, force=force)
        steps = Steps(progress)
        steps.begin(len(manifest.tables) + manifest.media_objects)
        await _load_rows(database_url, reader, steps)
        restored = await _put_objects(reader, storage, steps)
        removed = await _remove_others(storage, restored) if had_objects else 0
    finally:
        reader.close()
    other_key = bool(manifest.key_check and key_check and manifest.key_check != key_check)
    return Restored(manifest=manifest, objects_removed=removed, other_key=other_key)


def _check_archive(reader: ArchiveReader) -> None:
    manifest = reader.manifest
    check_known(manifest.revision, "the archive")
    known = set(known_tables())
    unknown = [t.name for t in manifest.tables if t.name not in known]
    if unknown:
        raise BackupError(f"the archive holds tables social does not know: {', '.join(unknown)}")
    missing = reader.missing_members()
    objects = len(reader.objects())
    if missing or objects != manifest.media_objects:
        raise BackupError(
            f"the archive is incomplete: {len(missing)} table dumps missing, {objects} of"
            f" {manifest.media_objects} media objects present"
        )


async def _prepare(url: str, storage: MediaStorage, manifest: Manifest, *, force: bool) -> bool:
    """An empty database at the archive's revision; whether the storage held objects."""
    connection = await connect(url)
    try:
        present = await present_tables(connection)
        current = await revision(connection, present)
        check_known(current, "the target database")
        tables = [t for t in known_tables() if t in present and t != VERSION_TABLE]
        occupied = await occupied_tables(connection, tables)
        had_objects = await _first(storage) is not None
        if (occupied or had_objects) and not force:
            raise BackupError(_not_empty(occupied, had_objects))
        if occupied:
            await truncate(connection, tables)
    finally:
        await connection.close()
    await migrate_to(url, current, manifest.revision)
    return had_objects


def _not_empty(occupied: list[str], had_objects: bool) -> str:
    held = []
    if occupied:
        shown = ", ".join(occupied[:5]) + (", …" if len(occupied) > 5 else "")
        held.append(f"{len(occupied)} tables hold rows ({shown})")
    if had_objects:
        held.append("the media storage holds objects")
    return (
        f"refusing to restore over existing data: {' and '.join(held)}. "
        "Pass --force to delete all of it and replace it with the archive."
    )


async def _load_rows(url: str, reader: ArchiveReader, steps: Steps) -> None:
    """Every table in one transaction, in the archive's dependency order: readers see the old
    (empty) database or the whole restored one, and any failure leaves it empty."""
    tables = reader.manifest.tables
    connection = await connect(url)
    try:
        async with connection.transaction():
            cycles = await forward_foreign_keys(connection, [t.name for t in tables])
            for key in cycles:
                await key.drop(connection)
            await truncate(connection, [t.name for t in tables])  # rows the migrations seeded
            for table in tables:
                with reader.rows(table) as source:
                    loaded = await load_table(connection, table.name, table.columns, source)
                if loaded != table.rows:
                    raise BackupError(
                        f"{table.name}: {loaded} rows loaded, the manifest says {table.rows}"
                    )
                steps.advance()
            for key in cycles:
                await key.add(connection)
            for sequence in reader.manifest.sequences:
                await set_sequence(connection, sequence)
    except asyncpg.PostgresError as exc:
        raise BackupError(f"loading the rows failed, nothing was restored: {exc}") from exc
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise BackupError(f"the archive is damaged, nothing was restored: {exc}") from exc
    finally:
        await connection.close()


async def _put_objects(reader: ArchiveReader, storage: MediaStorage, steps: Steps) -> set[str]:
    restored: set[str] = set()
    for member in reader.objects():
        key = member.name.removeprefix(OBJECTS_PREFIX)
        content_type = member.pax_headers.get(CONTENT_TYPE_HEADER, _DEFAULT_CONTENT_TYPE)
        try:
            info = await storage.put(key, reader.chunks(member), content_type=content_type)
        except DomainError as exc:
            raise BackupError(f"media object {key} could not be restored: {exc.message}") from exc
        if info.size != member.size:
            raise BackupError(f"media object {key}: {info.size} of {member.size} bytes stored")
        restored.add(key)
        steps.advance()
    return restored


async def _remove_others(storage: MediaStorage, restored: set[str]) -> int:
    listing = storage.keys()
    others = [key async for key in listing if key not in restored]
    for key in others:
        await storage.delete(key)
    return len(others)


async def _first(storage: MediaStorage) -> str | None:
    listing = storage.keys()
    async for key in listing:
        return key
    return None
