"""A job queue that records what was enqueued (unit tests assert on it; nothing runs)."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["RecordingJobQueue"]


class RecordingJobQueue:
    def __init__(self) -> None:
        self.jobs: list[tuple[str, dict[str, Any]]] = []

    async def enqueue(self, job: str, /, **arguments: Any) -> None:
        json.dumps(arguments)  # like the real queues: arguments must survive serialisation
        self.jobs.append((job, arguments))
