"""The media context's jobs (see ``domain/shared/jobs.py`` for what a job message is)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from social.domain.shared.jobs import Job

__all__ = ["DiscardPostMedia", "ProcessMediaItem", "RemoveStoredObjects"]


@dataclass(frozen=True, slots=True)
class ProcessMediaItem(Job):
    """Make the variants of an uploaded item, which is ``processing`` until then."""

    job_name: ClassVar[str] = "process_media"
    media_id: UUID


@dataclass(frozen=True, slots=True)
class DiscardPostMedia(Job):
    """Remove a deleted post's media: their stored objects, then their records."""

    job_name: ClassVar[str] = "discard_media"
    media_ids: tuple[UUID, ...]


@dataclass(frozen=True, slots=True)
class RemoveStoredObjects(Job):
    """Delete storage objects nobody references any more (a replaced or removed avatar's)."""

    job_name: ClassVar[str] = "delete_stored_objects"
    keys: tuple[str, ...]
