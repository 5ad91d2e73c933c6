"""Running Locust headless as run.py does: its own session (so its processes are measured and
stopped as a group), CSV with full history and an HTML report, and the CPU it took, beside the
served stack's and the whole machine's (Locust shares this 2-core machine with the server)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app_stack import Server, cpu_seconds

HERE = Path(__file__).resolve().parent


@dataclass
class Cpu:
    """CPU seconds per process seen (the largest reading: processes may end before the last
    sample), over ``wall`` seconds; machine-wide busy and total jiffies from /proc/stat."""

    wall: float = 0.0
    locust: dict[int, float] = field(default_factory=dict)
    server: dict[int, float] = field(default_factory=dict)
    machine_busy: float = 0.0

    def cores(self, which: dict[int, float], before: dict[int, float]) -> float:
        used = sum(v - before.get(pid, 0.0) for pid, v in which.items())
        return used / self.wall if self.wall else 0.0


@dataclass
class LocustRun:
    prefix: Path
    cpu: Cpu
    locust_cores: float
    server_cores: float
    returncode: int


def _machine() -> tuple[int, int]:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def locust_command(
    host: str, prefix: Path, classes: list[str], options: dict[str, object], locustfile: str
) -> list[str]:
    command = [sys.executable, "-m", "locust", "-f", str(HERE / locustfile), "--host", host]
    command += ["--headless", "--only-summary", "--reset-stats", "--csv", str(prefix)]
    command += ["--csv-full-history", "--html", f"{prefix}.html", "--stop-timeout", "10"]
    for name, value in options.items():
        if value is not None:
            command += [f"--{name.replace('_', '-')}", str(value)]
    return command + classes


def run_locust(
    command: list[str], server: Server, log: Path, *, steady_after: float = 0.0
) -> LocustRun:
    """Run ``command``. CPU is sampled every second; the shares reported are those after
    ``steady_after`` seconds (the ramp-up: the time Locust's ``--reset-stats`` leaves out)."""
    prefix = Path(command[command.index("--csv") + 1])
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=HERE
        )
    group = Server(url="", process=process, log=log)
    cpu, done = Cpu(), threading.Event()
    base: dict[str, dict[int, float]] = {"locust": {}, "server": cpu_seconds(server.pids())}
    machine = [_machine()]
    started = time.perf_counter()
    steady = [started]

    def sample() -> None:
        while not done.wait(1.0):
            for pid, seconds in cpu_seconds(group.pids()).items():
                cpu.locust[pid] = max(seconds, cpu.locust.get(pid, 0.0))
            for pid, seconds in cpu_seconds(server.pids()).items():
                cpu.server[pid] = max(seconds, cpu.server.get(pid, 0.0))
            if len(machine) == 1 and time.perf_counter() - started >= steady_after:
                base["locust"], base["server"] = dict(cpu.locust), dict(cpu.server)
                machine.append(_machine())
                steady.append(time.perf_counter())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        process.wait()
    finally:
        done.set()
        sampler.join()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    cpu.wall = time.perf_counter() - steady[-1]
    (busy0, total0), (busy1, total1) = machine[-1], _machine()
    cpu.machine_busy = (busy1 - busy0) / max(total1 - total0, 1)
    return LocustRun(
        prefix=prefix,
        cpu=cpu,
        locust_cores=cpu.cores(cpu.locust, base["locust"]),
        server_cores=cpu.cores(cpu.server, base["server"]),
        returncode=process.returncode,
    )


def start_locust(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    """Locust in the background (the fan-out scenario's load while the prober runs)."""
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=HERE
        )


def peak_users(prefix: Path) -> int:
    """The most simulated users Locust had running (from the history's User Count)."""
    path = Path(f"{prefix}_stats_history.csv")
    if not path.is_file():
        return 0
    counts = [line.split(",")[1] for line in path.read_text().splitlines()[1:]]
    return max((int(c) for c in counts if c.isdigit()), default=0)
