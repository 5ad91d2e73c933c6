"""What a soak records every ``--interval`` seconds, one CSV row per figure: the memory and CPU of
every process of the served stack, the PostgreSQL connections of its pools, the job queue's
depth, Redis's memory and keys, and one ``/health/live`` round trip.

    uv run python benchmarks/soak/sampler.py --pgid PGID --database-url URL --redis-url URL \\
        --out samples.csv [--worker-pgid PGID] [--interval 10]

``soak.py`` runs it in process (``Sampler.run``); alone it samples until interrupted.

Why these sources: the app exposes no pool gauge (its Prometheus metrics are per process and
count jobs, not connections), so the pools are read from ``pg_stat_activity`` and each backend is
tied to the API process that holds it through the client port of its socket (``/proc/net/tcp``
and the process's socket inodes). The queue is read from SAQ's own keys in Redis
(``saq:social:queued``/``active`` lists, ``incomplete`` sorted set), not from the worker's
``social_job_queue_depth`` gauge, which only a worker process updates.

Rows: ``t_s,series,value,pid``. Series are ``rss_mb:<process>``, ``cpu_pct:<process>`` (100 = one
core), ``pss_mb:postgres`` (the backends' proportional set size: summing their RSS would count
the shared buffers once per backend), ``pg_conns:<state or process>``, ``queue:<state>``,
``redis:used_memory_mb`` (the whole server), ``redis:db_mb`` and ``redis:db_keys`` (the soak's
own database), ``health_ms``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import httpx
import redis.asyncio as aioredis

TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") / 1024
QUEUE = "social"
"""SAQ's queue name (``adapters/jobs/saq_queue.py`` ``QUEUE_NAME``)."""


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # from field 3 (state) on


def _rss_mb(pid: int) -> float | None:
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * PAGE_KB / 1024


def _pss_mb(pid: int) -> float:
    """Proportional set size: shared pages (PostgreSQL's shared buffers) split among users."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def group_pids(pgid: int) -> list[int]:
    """The live processes of a process group (``social serve`` runs in a session of its own)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit() and (fields := _stat(int(name))) and int(fields[2]) == pgid:
            found.append(int(name))
    return sorted(found)


def redis_server_pids(port: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            command = Path(f"/proc/{name}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "redis-server" in command and f":{port}" in command:
            found.append(int(name))
    return found


def socket_ports(pids: Iterable[int], remote_port: int) -> dict[int, int]:
    """Local TCP port → pid, for the pids' sockets connected to ``remote_port`` (PostgreSQL)."""
    inodes: dict[str, int] = {}
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes[target[8:-1]] = pid
        except OSError:
            continue
    ports: dict[int, int] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local, remote, inode = fields[1], fields[2], fields[9]
            if int(remote.rsplit(":", 1)[1], 16) == remote_port and inode in inodes:
                ports[int(local.rsplit(":", 1)[1], 16)] = inodes[inode]
    return ports


async def _usage(client: aioredis.Redis, keys: list[bytes]) -> int:
    pipe = client.pipeline(transaction=False)
    for key in keys:
        pipe.memory_usage(key)
    return sum(size or 0 for size in await pipe.execute())


@dataclass
class Sampler:
    """One sample a tick; ``stop`` ends ``run`` after the tick in progress."""

    pgid: int
    database_url: str
    redis_url: str
    out: Path
    base_url: str = ""
    worker_pgid: int | None = None
    interval_s: float = 10.0
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    _cpu: dict[int, tuple[float, float]] = field(default_factory=dict)
    ticks: int = 0
    started_unix: float = field(default_factory=time.time)
    _started: float = field(default_factory=time.monotonic)

    def labelled(self) -> list[tuple[str, int]]:
        """(label, pid) of the stack's processes: the API master (the group leader), its workers
        by rank of pid, the separate job workers, PostgreSQL's backends of the database, Redis."""
        api = group_pids(self.pgid)
        found = [("api-master" if pid == self.pgid else "", pid) for pid in api]
        ranked = [pid for label, pid in found if not label]
        found = [(label or f"api-worker-{ranked.index(pid) + 1}", pid) for label, pid in found]
        if self.worker_pgid is not None:
            workers = group_pids(self.worker_pgid)
            found += [(f"job-worker-{n + 1}", pid) for n, pid in enumerate(workers)]
        return found

    def _cpu_pct(self, pid: int, now: float) -> float | None:
        fields = _stat(pid)
        if fields is None:
            return None
        seconds = (int(fields[11]) + int(fields[12])) / TICKS
        before = self._cpu.get(pid)
        self._cpu[pid] = (now, seconds)
        if before is None or now <= before[0]:
            return None
        return 100 * (seconds - before[1]) / (now - before[0])

    async def _postgres(self, rows: list[tuple[str, float, int | str]], now: float) -> None:
        url = urlsplit(self.database_url)
        dsn = f"postgresql://{url.netloc}{url.path}"
        connection = await asyncpg.connect(dsn)
        try:
            backends = await connection.fetch(
                "SELECT pid, state, client_port FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        finally:
            await connection.close()
        states = {"active": 0, "idle": 0, "idle in transaction": 0}
        for backend in backends:
            state = backend["state"] or "other"
            states[state] = states.get(state, 0) + 1
        rows.append(("pg_conns:total", len(backends), ""))
        for state, count in states.items():
            rows.append((f"pg_conns:{state.replace(' ', '_')}", count, ""))
        labels = self.labelled()
        owners = socket_ports([pid for _, pid in labels], url.port or 5432)
        label_of = {pid: label for label, pid in labels}
        held: dict[str, int] = {label: 0 for label, _ in labels if label != "api-master"}
        for backend in backends:
            owner = owners.get(backend["client_port"] or -1)
            if owner is not None:
                held[label_of[owner]] = held.get(label_of[owner], 0) + 1
        rows += [(f"pg_conns:{label}", count, "") for label, count in held.items()]
        rows.append(("pss_mb:postgres", sum(_pss_mb(b["pid"]) for b in backends), len(backends)))
        cpu = [self._cpu_pct(b["pid"], now) for b in backends]
        rows.append(("cpu_pct:postgres", sum(c for c in cpu if c is not None), len(backends)))

    async def _redis(self, rows: list[tuple[str, float, int | str]]) -> None:
        client = aioredis.Redis.from_url(self.redis_url)
        try:
            pipe = client.pipeline(transaction=False)
            pipe.llen(f"saq:{QUEUE}:queued")
            pipe.llen(f"saq:{QUEUE}:active")
            pipe.zcard(f"saq:{QUEUE}:incomplete")
            pipe.info("memory")
            pipe.dbsize()
            queued, active, incomplete, memory, keys = await pipe.execute()
            own_bytes = await self._database_bytes(client)
        finally:
            await client.aclose()
        rows += [("queue:queued", queued, ""), ("queue:active", active, "")]
        rows.append(("queue:incomplete", incomplete, ""))
        rows.append(("redis:used_memory_mb", int(memory["used_memory"]) / 2**20, ""))
        rows.append(("redis:db_keys", keys, ""))
        rows.append(("redis:db_mb", own_bytes / 2**20, ""))

    @staticmethod
    async def _database_bytes(client: aioredis.Redis) -> int:
        """The soak's own Redis database, key by key (``MEMORY USAGE``, 1,000 a round trip):
        ``used_memory`` and the server's RSS also hold other databases of a shared server."""
        total, batch = 0, []
        async for key in client.scan_iter(count=1000):
            batch.append(key)
            if len(batch) == 1000:
                total += await _usage(client, batch)
                batch = []
        return total + (await _usage(client, batch) if batch else 0)

    async def sample(self) -> list[tuple[str, float, int | str]]:
        now = time.monotonic()
        rows: list[tuple[str, float, int | str]] = []
        processes = self.labelled()
        port = urlsplit(self.redis_url).port or 6379
        processes += [("redis-server", pid) for pid in redis_server_pids(port)]
        for label, pid in processes:
            if (rss := _rss_mb(pid)) is not None:
                rows.append((f"rss_mb:{label}", rss, pid))
            if (cpu := self._cpu_pct(pid, now)) is not None:
                rows.append((f"cpu_pct:{label}", cpu, pid))
        for part in (self._postgres(rows, now), self._redis(rows), self._health(rows)):
            try:
                await part
            except Exception as error:  # a missed figure must not end the soak
                rows.append((f"error:{type(error).__name__}", 1, ""))
        return rows

    async def _health(self, rows: list[tuple[str, float, int | str]]) -> None:
        if not self.base_url:
            return
        async with httpx.AsyncClient(timeout=10) as client:
            started = time.perf_counter()
            answer = await client.get(f"{self.base_url}/health/live")
        if answer.status_code == 200:
            rows.append(("health_ms", (time.perf_counter() - started) * 1000, ""))

    async def run(self) -> int:
        """Sample until ``stop`` is set; returns the number of ticks written."""
        self.out.parent.mkdir(parents=True, exist_ok=True)
        with self.out.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["t_s", "series", "value", "pid"])
            while not self.stop.is_set():
                tick = time.monotonic()
                t_s = round(tick - self._started, 1)
                for series, value, pid in await self.sample():
                    writer.writerow([t_s, series, round(value, 3), pid])
                handle.flush()
                self.ticks += 1
                wait = max(0.0, self.interval_s - (time.monotonic() - tick))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop.wait(), wait)
        return self.ticks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pgid", type=int, required=True, help="the social serve process group")
    parser.add_argument("--worker-pgid", type=int, help="a separate social worker's group")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--base-url", default="", help="the server, for /health/live")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--interval", type=float, default=10.0)
    args = parser.parse_args()
    sampler = Sampler(
        pgid=args.pgid,
        worker_pgid=args.worker_pgid,
        database_url=args.database_url,
        redis_url=args.redis_url,
        base_url=args.base_url,
        out=args.out,
        interval_s=args.interval,
    )
    try:
        asyncio.run(sampler.run())
    except KeyboardInterrupt:
        print(f"samples in {args.out}")


if __name__ == "__main__":
    main()
