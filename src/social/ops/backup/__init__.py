"""Backup and restore (``social backup`` / ``social restore``): the database and the media
objects in one tar archive with a ``manifest.json``.

Layout of an archive::

    database/<table>.copy.gz   one per table, in dependency order: binary COPY rows, gzipped
    objects/<key>              one per media object; its content type in a pax header
    manifest.json              written last (an archive without it is incomplete): the format,
                               the Alembic revision, each table's columns and row count, the
                               media object count and size, when it was made

Not in it: Redis (feeds, counters, rate limits and queued jobs are rebuilt or expire), the
OpenSearch index (``social reindex`` rebuilds it), SAQ's queue tables and the secret key.
"""

from __future__ import annotations

from social.ops.backup.create_backup import back_up
from social.ops.backup.manifest import BackupError, Manifest, TableDump, key_fingerprint
from social.ops.backup.progress import Progress
from social.ops.backup.restore_backup import Restored, restore

__all__ = [
    "BackupError",
    "Manifest",
    "Progress",
    "Restored",
    "TableDump",
    "back_up",
    "key_fingerprint",
    "restore",
]
