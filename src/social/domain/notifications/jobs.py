"""The notifications context's jobs (see ``domain/shared/jobs.py`` for what a job message is)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from social.domain.shared.jobs import Job

__all__ = ["DeliverPush"]


@dataclass(frozen=True, slots=True)
class DeliverPush(Job):
    """Push notification ``notification_id`` to one device, ``subscription_id`` (queued by
    ``Notify`` for each of the recipient's subscriptions that wants the kind)."""

    job_name: ClassVar[str] = "deliver_push"
    notification_id: UUID
    subscription_id: UUID
