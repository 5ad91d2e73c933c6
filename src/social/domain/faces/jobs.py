"""The faces context's jobs (see ``domain/shared/jobs.py`` for what a job message is)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from social.domain.shared.jobs import Job

__all__ = ["IndexPhotoFaces"]


@dataclass(frozen=True, slots=True)
class IndexPhotoFaces(Job):
    """Find the faces of an event's photo and store their embeddings (replacing any stored)."""

    job_name: ClassVar[str] = "index_photo_faces"
    media_id: UUID
    event_id: UUID
