"""Separate ``social worker`` processes for a load run, as production runs them: with the jobs in
the API processes (the embedded default), media processing and fan-out take the API's CPU under
load and photos fall behind the clients that wait for them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["job_workers"]


@contextmanager
def job_workers(env: dict[str, str], count: int, logs: Path) -> Iterator[list[int]]:
    """Start ``count`` workers (each its own process group) with ``env``; stop them after. With
    ``count`` 0 nothing starts and the API processes keep running the jobs."""
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for index in range(count):
            with (logs / f"worker{index}.log").open("wb") as out:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "social", "worker"],
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
        yield [p.pid for p in processes]
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
