"""``social serve`` as a real process, for tests of what only the real server shows (its
command line, Granian's HTTP, several processes): started, awaited until ready, stopped."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx

__all__ = ["Served", "free_port", "serving"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """What the block gets (a client on the served port) and, once it ends, what the process
    printed (stdout and stderr together) and its exit code."""

    port: int
    client: httpx.AsyncClient
    process: asyncio.subprocess.Process
    output: bytes = field(default=b"")

    @property
    def log(self) -> str:
        return self.output.decode(errors="replace")


@asynccontextmanager
async def serving(
    env: dict[str, str], *arguments: str, client_timeout_s: float = 10.0
) -> AsyncIterator[Served]:
    """``social serve ARGUMENTS`` (which name ``--port``) until the block ends: ready within
    60 s, or the test fails; stopped with SIGTERM and its output collected afterwards."""
    port = int(arguments[arguments.index("--port") + 1])
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "social",
        "serve",
        *arguments,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=client_timeout_s) as client:
            served = Served(port=port, client=client, process=process)
            for _ in range(120):
                try:
                    if (await client.get("/health/ready")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.returncode is not None:
                    break
                await asyncio.sleep(0.5)
            else:
                raise AssertionError("not ready within 60 s")
            assert process.returncode is None, "social serve ended at start-up"
            yield served
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 30)
    served.output = output
