"""Two API processes and two job workers behind nginx on loopback: the scale-out stack of issue 19,
started, killed and restarted process by process (benchmarks/scale_out.py, tests/scale/).

Each process runs in a session of its own, so a kill takes its whole group (Granian's main
process and its worker alike) as a crash would; its output goes to a log file in the run's
directory (a pipe nobody reads would block it). The API processes do not run jobs
(``SOCIAL_RUN_WORKER_IN_PROCESS=false``): the two ``social worker`` processes do.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx
from redis.asyncio import Redis

__all__ = ["TEMPLATE", "Stack", "alive", "nginx_binary", "render_nginx_conf"]

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
READY_S = 60.0
WORKER_INFO = "saq:social:worker_info:"
"""Where each SAQ worker of the ``social`` queue announces itself (its id), from its start."""


def nginx_binary() -> str | None:
    """Debian's nginx (``scripts/services.sh up`` installs it); /usr/sbin is not on every PATH."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def render_nginx_conf(
    prefix: Path, listen: str, upstreams: Sequence[str], *, fail_timeout_s: int = 2
) -> str:
    """The template filled in: listen on ``listen`` (host:port), proxy to ``upstreams``
    (host:port each); a failed upstream is skipped for ``fail_timeout_s``."""
    servers = "\n".join(
        f"        server {upstream} max_fails=1 fail_timeout={fail_timeout_s}s;"
        for upstream in upstreams
    )
    text = TEMPLATE.read_text()
    for name, value in {
        "PREFIX": str(prefix),
        "LISTEN": listen,
        "UPSTREAM_SERVERS": servers,
    }.items():
        text = text.replace(f"@{name}@", value)
    return text


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


class Stack:
    """The processes of one scale-out run, by name: ``api0``, ``api1``, ``worker0``,
    ``worker1``, ``nginx``. ``env`` holds the ``SOCIAL_*`` variables every process shares."""

    def __init__(
        self,
        env: Mapping[str, str],
        run_dir: Path,
        *,
        nginx_port: int,
        api_ports: Sequence[int],
        workers: int = 2,
    ) -> None:
        self.run_dir = run_dir
        self.nginx_port = nginx_port
        self.api_ports = list(api_ports)
        self.workers = workers
        self.env = (
            dict(os.environ)
            | {
                "SOCIAL_HOST": "127.0.0.1",
                "SOCIAL_RUN_WORKER_IN_PROCESS": "false",
                "SOCIAL_PUBLIC_URL": self.url,
                "SOCIAL_TRUSTED_PROXIES": "127.0.0.1",
                "SOCIAL_DATA_DIR": str(run_dir / "data"),
            }
            | dict(env)
        )
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.worker_ids: dict[str, str] = {}
        """Each worker's SAQ id (``worker0`` → id), as its jobs record it (``job.worker_id``)."""

    @property
    def url(self) -> str:
        """Where clients go: nginx."""
        return f"http://127.0.0.1:{self.nginx_port}"

    def api_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.api_ports[index]}"

    def migrate(self) -> None:
        """Once, before any API process starts (they would otherwise race to do it)."""
        command = [sys.executable, "-m", "social", "migrate"]
        done = subprocess.run(command, env=self.env, capture_output=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise RuntimeError(f"social migrate failed:\n{done.stdout[-2000:]!r}{done.stderr!r}")

    def _spawn(self, name: str, command: list[str]) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        with (self.run_dir / f"{name}.log").open("ab") as log:
            self.processes[name] = subprocess.Popen(  # noqa: S603
                command,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def start_api(self, index: int) -> None:
        port = str(self.api_ports[index])
        social = [sys.executable, "-m", "social", "serve", "--workers", "1", "--port", port]
        self._spawn(f"api{index}", social)

    def start_worker(self, index: int) -> None:
        self._spawn(f"worker{index}", [sys.executable, "-m", "social", "worker"])

    def start_nginx(self) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is missing: run scripts/services.sh up (as root)")
        prefix = self.run_dir / "nginx"
        prefix.mkdir(parents=True, exist_ok=True)
        prefix.chmod(0o755)  # nginx's workers (nobody, under root) write its temp directories
        conf = prefix / "nginx.conf"
        upstreams = [f"127.0.0.1:{port}" for port in self.api_ports]
        conf.write_text(render_nginx_conf(prefix, f"127.0.0.1:{self.nginx_port}", upstreams))
        command = [binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
        self._spawn("nginx", [*command, "-g", "daemon off;"])

    async def start(self) -> None:
        """Everything, migrated first; returns once nginx answers, both APIs are ready and
        each worker has announced itself (one after the other, so their ids are known)."""
        await asyncio.to_thread(self.migrate)
        for index in range(len(self.api_ports)):
            self.start_api(index)
        self.start_nginx()
        for index in range(self.workers):
            await self.restart_worker(index)
        await asyncio.gather(
            *(self.wait_ready(f"api{i}") for i in range(len(self.api_ports))),
            self.wait_ready("nginx"),
        )

    async def restart_worker(self, index: int) -> str:
        """Start ``worker{index}`` and wait for its SAQ id: a worker info key not seen before."""
        name = f"worker{index}"
        redis = Redis.from_url(self.env["SOCIAL_REDIS_URL"])
        try:
            before = {key async for key in redis.scan_iter(f"{WORKER_INFO}*")}
            self.start_worker(index)
            for _ in range(int(READY_S * 5)):
                new = {key async for key in redis.scan_iter(f"{WORKER_INFO}*")} - before
                if new:
                    self.worker_ids[name] = new.pop().decode().removeprefix(WORKER_INFO)
                    return self.worker_ids[name]
                if self.processes[name].poll() is not None:
                    break
                await asyncio.sleep(0.2)
        finally:
            await redis.aclose()
        raise RuntimeError(f"{name} did not announce itself:\n{self.log(name)[-3000:]}")

    async def wait_ready(self, name: str) -> None:
        """An API process answers /health/ready, nginx /health/live; or the process's log."""
        if name == "nginx":
            url = f"{self.url}/health/live"
        else:
            url = f"{self.api_url(int(name.removeprefix('api')))}/health/ready"
        async with httpx.AsyncClient(timeout=5) as client:
            for _ in range(int(READY_S * 5)):
                try:
                    if (await client.get(url)).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if self.processes[name].poll() is not None:
                    break
                await asyncio.sleep(0.2)
        raise RuntimeError(f"{name} not ready at {url}:\n{self.log(name)[-3000:]}")

    def log(self, name: str) -> str:
        path = self.run_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    async def kill(self, name: str, signum: int = signal.SIGKILL) -> int | None:
        """Signal the process's whole group; wait for it to end (SIGKILL after 30 s)."""
        process = self.processes[name]
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signum)
        for _ in range(300):
            if process.poll() is not None:
                break
            await asyncio.sleep(0.1)
        else:
            os.killpg(process.pid, signal.SIGKILL)
        for _ in range(50):  # the group's other members (Granian's worker) go with it
            if not any(alive(pid) for pid in _group(process.pid)):
                break
            await asyncio.sleep(0.1)
        return process.wait()

    async def stop(self) -> None:
        """SIGTERM to every process (nginx last, so the others drain through it)."""
        names = sorted(self.processes, key=lambda name: name == "nginx")
        for name in names:
            await self.kill(name, signal.SIGTERM)

    def save(self) -> Path:
        """The pids, for ``scale_out.py down`` from another command."""
        state = self.run_dir / "pids.json"
        state.write_text(json.dumps({name: p.pid for name, p in self.processes.items()}))
        return state


def _group(pgid: int) -> list[int]:
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[2]) == pgid:
                members.append(int(entry))
    return members
