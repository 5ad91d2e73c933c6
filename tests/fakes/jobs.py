"""A job queue that records what was enqueued."""

from __future__ import annotations

from typing import Any

__all__ = ["RecordingJobQueue"]


class RecordingJobQueue:
    def __init__(self) -> None:
        self.jobs: list[tuple[str, dict[str, Any]]] = []

    async def enqueue(self, job: str, /, **arguments: Any) -> None:
        self.jobs.append((job, arguments))
