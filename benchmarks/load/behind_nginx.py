"""The load test's server as the scale-out runs it (issue 19 part 3): nginx in front of two
``social serve --workers 1`` and the job workers, from ``scale_out/stack.py``, on the load
test's database. Stands in for ``app_stack.serving`` in ``run.py --nginx``."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scale_out.stack import Stack, _group


@dataclass
class NginxServer:
    """What ``run.py`` needs of a server: where clients go, and the processes whose CPU is
    measured (both API processes with their Granian workers, and nginx)."""

    url: str
    stack: Stack

    def pids(self) -> list[int]:
        return [
            pid
            for name, process in self.stack.processes.items()
            if not name.startswith("worker")
            for pid in _group(process.pid)
        ]


@contextmanager
def behind_nginx(
    env: dict[str, str], port: int, job_workers: int, run_dir: Path
) -> Iterator[NginxServer]:
    """nginx on ``port``, the API processes on the next two, ``job_workers`` workers."""
    stack = Stack(
        {k: v for k, v in env.items() if k.startswith("SOCIAL_")},
        run_dir,
        nginx_port=port,
        api_ports=[port + 1, port + 2],
        workers=job_workers,
    )
    try:
        asyncio.run(stack.start())
        yield NginxServer(stack.url, stack)
    finally:
        asyncio.run(stack.stop())
        print(f"nginx, API and worker logs in {run_dir} (pid {os.getpid()})")
