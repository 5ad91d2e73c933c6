"""A job queue that records what was enqueued (unit tests assert on it; nothing runs)."""

from __future__ import annotations

from social.adapters.jobs.codec import encode
from social.domain.shared.jobs import Job

__all__ = ["RecordingJobQueue"]


class RecordingJobQueue:
    def __init__(self) -> None:
        self.jobs: list[Job] = []

    async def enqueue(self, job: Job) -> None:
        encode(job)  # like the real queues: the job must survive serialisation
        self.jobs.append(job)
