"""``manifest.json``: what a backup archive holds, written last (its presence marks a complete
archive) and read first by a restore."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

import msgspec

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST_MEMBER",
    "OBJECTS_PREFIX",
    "BackupError",
    "Manifest",
    "SequenceState",
    "TableDump",
    "decode_manifest",
    "encode_manifest",
    "key_fingerprint",
]

FORMAT = "social-backup"
FORMAT_VERSION = 1
MANIFEST_MEMBER = "manifest.json"
OBJECTS_PREFIX = "objects/"
"""Media object ``key`` is the archive member ``objects/<key>``."""


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


class TableDump(msgspec.Struct, frozen=True, forbid_unknown_fields=False):
    name: str
    rows: int
    columns: tuple[str, ...]
    """In the order of the dump's rows (binary COPY carries no column names)."""
    member: str
    """The archive member holding the rows: PostgreSQL binary ``COPY`` output, gzip-compressed."""


class SequenceState(msgspec.Struct, frozen=True, forbid_unknown_fields=False):
    """Where an identity or serial column's sequence was: the next value is past it."""

    name: str
    last_value: int


class Manifest(msgspec.Struct, frozen=True, forbid_unknown_fields=False):
    format: str
    format_version: int
    created_at: datetime
    revision: str
    """The Alembic revision the database was at; a restore migrates to it before loading."""
    tables: tuple[TableDump, ...]
    """In foreign-key dependency order: referenced tables before the tables referring to them."""
    media_objects: int
    media_bytes: int
    sequences: tuple[SequenceState, ...] = ()
    postgres_version: str = ""
    key_check: str = ""
    """A fingerprint of the secret key (see ``key_fingerprint``): encrypted columns only read
    back under the same key."""
    skipped_tables: tuple[str, ...] = ()
    """Tables found in the database that are not social's own (left out)."""
    missing_objects: tuple[str, ...] = ()
    """Keys listed at the start that were deleted before they could be copied."""

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)

    def summary(self) -> str:
        return (
            f"{self.rows} rows in {len(self.tables)} tables (revision {self.revision}),"
            f" {self.media_objects} media objects ({self.media_bytes / 1_000_000:.1f} MB)"
        )

    def warnings(self) -> list[str]:
        """What the backup had to leave out."""
        found = [f"table {name} is not social's and was left out" for name in self.skipped_tables]
        if self.missing_objects:
            found.append(
                f"{len(self.missing_objects)} media objects were deleted while the backup ran"
                " and are not in it"
            )
        return found


def encode_manifest(manifest: Manifest) -> bytes:
    return msgspec.json.format(msgspec.json.encode(manifest), indent=2) + b"\n"


def decode_manifest(data: bytes) -> Manifest:
    """The manifest, checked to be one this version of social can restore."""
    try:
        manifest = msgspec.json.decode(data, type=Manifest)
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError
        raise BackupError(f"not a social backup: {MANIFEST_MEMBER} is unreadable ({exc})") from None
    if manifest.format != FORMAT:
        raise BackupError(f"not a social backup: {MANIFEST_MEMBER} is for {manifest.format!r}")
    if manifest.format_version > FORMAT_VERSION:
        raise BackupError(
            f"the archive is in backup format {manifest.format_version}, newer than this version"
            f" of social reads ({FORMAT_VERSION}): restore it with a newer social"
        )
    return manifest


def key_fingerprint(key: bytes) -> str:
    """Equal for equal keys, and telling nothing about the key (an HMAC of a fixed label)."""
    return hmac.new(key, b"social backup key check v1", hashlib.sha256).hexdigest()[:16]
