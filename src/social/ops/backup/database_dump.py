"""The database half of a backup: which tables, in which order, and their rows through
``COPY … (FORMAT binary)`` on a plain asyncpg connection (no ``pg_dump``, whose version would
have to match the server's).

Binary ``COPY`` is exact (no text round trip for floats, timestamps, ``bytea`` or ``tsvector``)
and portable between PostgreSQL versions for the built-in types these tables use. Column lists
are explicit both ways, so the rows land in the right columns whatever their physical order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import asyncpg  # type: ignore[import-untyped]  # no stubs or py.typed

from social.adapters.postgres import migrations
from social.adapters.postgres.database import asyncpg_dsn
from social.adapters.postgres.schema import metadata
from social.ops.backup.manifest import BackupError, SequenceState

if TYPE_CHECKING:
    from _typeshed import SupportsRead, SupportsWrite

__all__ = [
    "EPHEMERAL_PREFIX",
    "VERSION_TABLE",
    "ForeignKey",
    "check_known",
    "connect",
    "dump_order",
    "dump_table",
    "forward_foreign_keys",
    "known_tables",
    "load_table",
    "migrate_to",
    "occupied_tables",
    "present_tables",
    "revision",
    "sequence_states",
    "set_sequence",
    "table_columns",
    "truncate",
]

VERSION_TABLE = "alembic_version"
EPHEMERAL_PREFIX = "saq_"
"""SAQ's queue tables (the embedded job queue): jobs in flight, not data; never backed up."""


def known_tables() -> list[str]:
    """Every table of social's schema, referenced tables first, the Alembic version first of all."""
    return [VERSION_TABLE, *(str(table.name) for table in metadata.sorted_tables)]


async def connect(url: str) -> asyncpg.Connection:
    """A connection for the SQLAlchemy URL the rest of the app uses (``postgresql+asyncpg://…``,
    the embedded server's unix-socket ``?host=`` form included)."""
    connection: asyncpg.Connection = await asyncpg.connect(asyncpg_dsn(url))
    return connection


async def present_tables(connection: asyncpg.Connection) -> set[str]:
    """The tables of the current schema, SAQ's ephemeral ones left out."""
    rows = await connection.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    )
    return {row[0] for row in rows if not row[0].startswith(EPHEMERAL_PREFIX)}


def dump_order(present: set[str]) -> tuple[list[str], list[str]]:
    """(social's tables found in the database in dependency order, the others found)."""
    known = known_tables()
    return [name for name in known if name in present], sorted(present - set(known))


async def revision(connection: asyncpg.Connection, present: set[str]) -> str | None:
    """The Alembic revision the database is at (``present``: its tables, from
    ``present_tables``); ``None`` when it was never migrated."""
    if VERSION_TABLE not in present:
        return None
    value = await connection.fetchval(f"SELECT version_num FROM {VERSION_TABLE}")  # noqa: S608
    return str(value) if value is not None else None


async def table_columns(connection: asyncpg.Connection, table: str) -> tuple[str, ...]:
    """The stored columns in physical order (generated columns are computed, not copied)."""
    rows = await connection.fetch(
        """SELECT a.attname FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = current_schema() AND c.relname = $1
             AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
           ORDER BY a.attnum""",
        table,
    )
    return tuple(row[0] for row in rows)


async def dump_table(
    connection: asyncpg.Connection, table: str, columns: Sequence[str], sink: SupportsWrite[bytes]
) -> int:
    """Write the table's rows to ``sink`` (blocking writes run in a thread); the row count."""
    status = await connection.copy_from_table(
        table, columns=list(columns), output=sink, format="binary"
    )
    return _copied(status)


async def load_table(
    connection: asyncpg.Connection, table: str, columns: Sequence[str], source: SupportsRead[bytes]
) -> int:
    """Copy the archived rows into ``table`` exactly as they were: its own triggers are off for
    the copy (like ``pg_restore --disable-triggers``), so rows other tables derive from it
    (``post_tags`` from ``posts``) come from the archive once, not a second time from a trigger.
    Foreign keys are system triggers and stay on. Meant to run inside the restore's transaction:
    the ``ALTER TABLE`` locks last only until it ends and nobody else sees the triggers off."""
    name = _quoted(table)
    await connection.execute(f"ALTER TABLE {name} DISABLE TRIGGER USER")
    status = await connection.copy_to_table(
        table, columns=list(columns), source=source, format="binary"
    )
    await connection.execute(f"ALTER TABLE {name} ENABLE TRIGGER USER")
    return _copied(status)


async def sequence_states(connection: asyncpg.Connection) -> list[SequenceState]:
    """The schema's sequences that were ever used (identity and serial columns), SAQ's aside.
    Sequences are not transactional: read inside the dump's snapshot they may be ahead of its
    rows, which only leaves a gap in the numbers."""
    rows = await connection.fetch(
        """SELECT sequencename, last_value FROM pg_sequences
           WHERE schemaname = current_schema() AND last_value IS NOT NULL ORDER BY 1"""
    )
    return [
        SequenceState(name=name, last_value=value)
        for name, value in rows
        if not name.startswith(EPHEMERAL_PREFIX)
    ]


async def set_sequence(connection: asyncpg.Connection, state: SequenceState) -> None:
    found = await connection.fetchval(
        "SELECT setval(to_regclass(quote_ident($1)), $2, true)", state.name, state.last_value
    )
    if found is None:
        raise BackupError(f"sequence {state.name} does not exist after the migrations")


async def occupied_tables(connection: asyncpg.Connection, tables: Sequence[str]) -> list[str]:
    """Which of ``tables`` hold at least one row."""
    found = []
    for table in tables:
        if await connection.fetchval(f"SELECT EXISTS (SELECT FROM {_quoted(table)})"):  # noqa: S608
            found.append(table)
    return found


async def truncate(connection: asyncpg.Connection, tables: Sequence[str]) -> None:
    """Empty ``tables`` (and whatever refers to them), their sequences back at the start.
    TRUNCATE, not DELETE: the audit log's trigger refuses row deletes; TRUNCATE does not scan."""
    if tables:
        names = ", ".join(map(_quoted, tables))
        await connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@dataclass(frozen=True, slots=True)
class ForeignKey:
    table: str
    name: str
    definition: str

    async def drop(self, connection: asyncpg.Connection) -> None:
        await connection.execute(
            f"ALTER TABLE {_quoted(self.table)} DROP CONSTRAINT {_quoted(self.name)}"
        )

    async def add(self, connection: asyncpg.Connection) -> None:
        """Re-create the constraint; PostgreSQL checks every row against it."""
        await connection.execute(
            f"ALTER TABLE {_quoted(self.table)} ADD CONSTRAINT {_quoted(self.name)} "
            f"{self.definition}"
        )


async def forward_foreign_keys(
    connection: asyncpg.Connection, order: Sequence[str]
) -> list[ForeignKey]:
    """Foreign keys that point at a table loaded later in ``order``: the cycles that no order
    can satisfy (``users.avatar_media_id`` → ``media`` → ``users``). A self-reference is fine:
    a ``COPY`` checks its rows only once the statement ends."""
    position = {name: index for index, name in enumerate(order)}
    rows = await connection.fetch(
        """SELECT src.relname, c.conname, pg_get_constraintdef(c.oid), dst.relname
           FROM pg_constraint c
           JOIN pg_class src ON src.oid = c.conrelid
           JOIN pg_class dst ON dst.oid = c.confrelid
           JOIN pg_namespace n ON n.oid = src.relnamespace
           WHERE c.contype = 'f' AND n.nspname = current_schema()
           ORDER BY src.relname, c.conname"""
    )
    return [
        ForeignKey(table=source, name=name, definition=definition)
        for source, name, definition, target in rows
        if source in position and target in position and position[target] > position[source]
    ]


def check_known(revision: str | None, whose: str) -> None:
    """Refuse a revision this code has no migration for (made by a newer social)."""
    if revision is not None and revision not in migrations.revisions():
        raise BackupError(
            f"{whose} is at database revision {revision}, which this version of social does not"
            " know: use the version of social that migrated it"
        )


async def migrate_to(url: str, current: str | None, target: str) -> None:
    """Bring an empty database to revision ``target``, up or down from ``current`` (both
    known: see ``check_known``). Alembic runs its own event loop, so in a thread."""
    known = migrations.revisions()
    if current == target:
        return
    if current is not None and known.index(current) > known.index(target):
        await asyncio.to_thread(migrations.downgrade, url, target)
    else:
        await asyncio.to_thread(migrations.upgrade, url, target)


def _copied(status: str) -> int:
    """``COPY 42`` → 42."""
    return int(status.rsplit(" ", 1)[-1])


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
