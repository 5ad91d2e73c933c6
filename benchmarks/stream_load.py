"""WebSocket stream under load: N sockets on ``WS /api/v1/stream`` of one API process, events
published through the real ``EventStream`` port (Redis pub/sub) at a steady rate and in fan-out
bursts; delivery latency p50/p95/p99/max, lost events, and the server's memory and CPU.

    uv run python benchmarks/stream_load.py --connections 1000,10000 \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:54329/social_stream_bench \\
        --redis-url redis://127.0.0.1:6390/7

    uv run python benchmarks/stream_load.py --drop   # only remove the database (and flush Redis)

Setup: the database is created (dropped first when it exists) and migrated with the app's own
migrations; ``max(--connections)`` accounts get a session, a live refresh token and an access
token, made by ``benchmarks/seed_feed_data.py``'s helpers (rows as the app writes them, tokens
minted by the app's ``JwtTokenIssuer``). The Redis database must be empty (or ``--flush-first``)
and is flushed at the end; the database is dropped at the end unless ``--keep``.

For each N of ``--connections``, a fresh server: ``uv run social serve --port 8012 --workers 1``
with ``SOCIAL_REDIS_URL`` (so the stream is ``RedisEventStream``, as in production), the rate
limiter off, logs at WARNING, no job worker in the process, and the file-descriptor limit raised
to the hard limit (65,536 where allowed). ``--server-env KEY=VALUE`` adds a setting (a variant,
e.g. ``SOCIAL_SESSION_CACHE_TTL_S=30``); ``--server uvicorn`` runs ``social serve --server
uvicorn`` (the same app under uvicorn instead of Granian); ``--diagnose`` runs Granian as
``social serve`` does with the app wrapped by ``diagnostic_app`` (a log of the worker's GC
pauses, object counts, and with ``--tracemalloc`` what Python holds; ``--server-env
SOCIAL_GC_THRESHOLDS=a,b,c`` and ``STREAM_BENCH_GC_FREEZE=1`` try GC settings): for finding
causes, not for the figures.

Then:
- connect: ``--client-processes`` processes (uvloop, the ``websockets`` client, no client pings,
  no compression) open one socket per account with ``?access_token=``, at most
  ``--connect-concurrency`` handshakes in flight each, and wait for ``ready`` (``--ready-timeout``);
- steady: a publisher process calls ``RedisEventStream(redis).publish([user], StreamEvent(
  "notification", {..., "seq", "sent_at": time.time_ns()}))`` ``--rate`` times a second for
  ``--duration`` seconds, each to a random connected account (a compact notification's payload);
- bursts: ``--bursts`` times, one event published to ``--burst-size`` connected accounts in one
  call (a fan-out), ``--burst-interval`` seconds apart;
- clients take ``time.time_ns()`` when a message reaches them, before parsing, and record
  ``now - sent_at``; an event published to a connected account and not received within
  ``--grace`` seconds is lost (one received later counts as lost too, and as late);
- server: VmRSS of every process under the ``uv`` launcher (the ``social serve`` supervisor and the
  Granian worker it spawns) before connecting, with all connected, at its highest during the run
  (sampled every 0.5 s), after the run and after the clients disconnected; the worker's CPU
  (``/proc/<pid>/stat`` utime + stime) over the steady and the burst phases; Redis's CPU
  (``INFO cpu``); ``/proc/loadavg`` at the start and the end of each case.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing as mp
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:54329/social_stream_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6390/7"
DEFAULT_SECRET = "stream-benchmark-secret-0123456789-abcdefghij"  # noqa: S105 - a benchmark's
DEFAULT_TOKENS = "/tmp/social_stream_bench/tokens.txt"  # noqa: S108 - outside the source tree
DATA_DIR = "/tmp/social_stream_bench/data"  # noqa: S108
STREAM_PATH = "/api/v1/stream"
TARGET_P99_MS = 100.0
TARGET_RSS_MB = 1024.0
TARGET_CONNECTIONS = 10_000
NOFILE = 65_536
TICK = os.sysconf("SC_CLK_TCK")

# ------------------------------------------------------------------------------ setup


def seed(args: argparse.Namespace, accounts: int) -> list[tuple[str, str]]:
    """A migrated database with ``accounts`` signed-in users: [(user id hex, access token)]."""
    return asyncio.run(_seed(args, accounts))


async def _seed(args: argparse.Namespace, accounts: int) -> list[tuple[str, str]]:
    import asyncpg
    import seed_feed_data as sfd  # benchmarks/ is on sys.path: it is this script's folder

    from social.adapters.postgres import migrations
    from social.adapters.security.email_cipher import EmailCipher
    from social.adapters.security.keys import KeyRing
    from social.bootstrap import build_hasher
    from social.settings import Settings

    started = time.perf_counter()
    await sfd.prepare_database(args.database_url, recreate=True, drop_only=False)
    await asyncio.to_thread(migrations.upgrade, args.database_url)
    settings = Settings.from_env(
        secret_key=args.secret, access_token_ttl_s=args.token_ttl_s, database_url=""
    )
    keys = KeyRing.from_settings(settings)
    cipher = EmailCipher(keys)
    hasher = build_hasher(settings)
    password_hash = await hasher.hash("bench-stream-password-42")
    hasher.close()
    rng = random.Random(args.seed)
    now = datetime.now(UTC).replace(microsecond=0)
    users = [
        sfd.User(id=sfd.uuid7_at(now, rng), username=f"stream{i:06d}", created_at=now)
        for i in range(accounts)
    ]
    plan = sfd.Plan(now=now, users=users, follows=[], large=[], posts=[])
    conn = await asyncpg.connect(sfd.plain_dsn(args.database_url))
    try:
        async with conn.transaction():
            await sfd.copy(
                conn,
                "users",
                sfd.USER_COLUMNS,
                sfd.user_rows(plan, cipher, password_hash, rng),
                accounts,
            )
            ns = argparse.Namespace(sessions=accounts, tokens_out=args.tokens_out)
            await sfd._sessions(conn, plan, settings, keys, ns, rng)
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    tokens = (await asyncio.to_thread(Path(args.tokens_out).read_text)).split()
    print(
        f"setup: {accounts:,} accounts with a session and an access token "
        f"(valid {args.token_ttl_s:,} s) in {time.perf_counter() - started:.1f} s"
    )
    return [(u.id.hex, t) for u, t in zip(users, tokens, strict=True)]


def drop_database(url: str) -> None:
    import seed_feed_data as sfd

    asyncio.run(sfd.prepare_database(url, recreate=False, drop_only=True))


async def _redis_call(url: str, what: str) -> Any:
    from redis.asyncio import Redis

    redis = Redis.from_url(url)
    try:
        if what == "dbsize":
            return await redis.dbsize()
        if what == "flush":
            return await redis.flushdb()
        if what == "cpu":
            info = await redis.info("cpu")
            return float(info["used_cpu_sys"]) + float(info["used_cpu_user"])
        if what == "version":
            return (await redis.info("server"))["redis_version"]
        raise ValueError(what)
    finally:
        await redis.aclose()


def redis_call(url: str, what: str) -> Any:
    return asyncio.run(_redis_call(url, what))


# ------------------------------------------------------------------------------ the server


def raise_nofile() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (NOFILE, max(hard, NOFILE)))
    except (ValueError, OSError):  # no CAP_SYS_RESOURCE: as high as the hard limit goes
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def serve_inline(port: int) -> None:
    """``social serve --workers 1`` as ``cli.serve`` runs it, the app wrapped by
    ``diagnostic_app`` (the worker imports this file: ``PYTHONPATH`` names its folder)."""
    from social.adapters.observability.logs import configure_logging
    from social.cli import serve_granian
    from social.settings import Settings

    settings = Settings.from_env(port=port, workers=1)
    configure_logging(settings.process.log_level)
    serve_granian(settings, "stream_load:diagnostic_app")


DIAG_DIR = Path(DATA_DIR).parent / "diagnostics"


def diagnostic_app() -> Any:
    """``social.app:create_app`` plus, for ``--diagnose``, a record of the worker's garbage
    collections (each pause of 5 ms or more) and, on request, its object count and (when
    ``PYTHONTRACEMALLOC`` is set) what Python holds by line."""
    import gc
    import tracemalloc

    from social.app import create_app

    DIAG_DIR.mkdir(parents=True, exist_ok=True)
    log = (DIAG_DIR / f"gc-{os.getpid()}.log").open("a", buffering=1)
    began: list[float] = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
            return
        ms = (time.perf_counter() - began[0]) * 1000
        if ms >= 5:
            log.write(f"{time.time():.3f} {info['generation']} {ms:.1f} {info['collected']}\n")

    gc.callbacks.append(on_gc)

    def snapshots() -> None:
        while True:
            for request in DIAG_DIR.glob("request-*"):
                label = request.name.removeprefix("request-")
                lines = [f"objects {len(gc.get_objects())}", f"gc_stats {gc.get_stats()}"]
                if tracemalloc.is_tracing():
                    snap = tracemalloc.take_snapshot()
                    stats = snap.statistics("lineno")
                    lines.append(f"traced {sum(x.size for x in stats)}")
                    lines += [f"{x.size} {x.count} {x.traceback}" for x in stats[:40]]
                out = DIAG_DIR / f"snapshot-{label}-{os.getpid()}.txt"
                out.write_text("\n".join(lines) + "\n")
                request.unlink(missing_ok=True)
            time.sleep(0.2)

    threading.Thread(target=snapshots, daemon=True, name="bench-diagnostics").start()
    app = create_app()
    if os.environ.get("STREAM_BENCH_GC_FREEZE"):  # a variant: start-up objects never scanned
        gc.collect()
        gc.freeze()
    return app


def diagnose_snapshot(label: str, timeout: float = 60.0) -> list[str]:
    """Ask the diagnostic worker for a snapshot; its lines (empty when it did not answer)."""
    for old in DIAG_DIR.glob(f"snapshot-{label}-*"):
        old.unlink()
    (DIAG_DIR / f"request-{label}").touch()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = list(DIAG_DIR.glob(f"snapshot-{label}-*"))
        if found and not (DIAG_DIR / f"request-{label}").exists():
            return found[0].read_text().splitlines()
        time.sleep(0.2)
    return []


def gc_pauses(since: float, until: float) -> list[tuple[float, int, float]]:
    out = []
    for path in DIAG_DIR.glob("gc-*.log"):
        for line in path.read_text().splitlines():
            at, gen, ms, _ = line.split()
            if since <= float(at) <= until:
                out.append((float(at), int(gen), float(ms)))
    return sorted(out)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    log_path: Path
    description: str

    def tree(self) -> list[int]:
        """The launcher's descendants (python processes), parents first."""
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        out, todo = [], list(children.get(self.process.pid, []))
        while todo:
            pid = todo.pop(0)
            out.append(pid)
            todo.extend(sorted(children.get(pid, [])))
        return out

    def workers(self) -> list[int]:
        """The Granian workers: the processes of the tree with no child of their own."""
        tree = self.tree()
        parents = {_ppid(pid) for pid in tree}
        return [pid for pid in tree if pid not in parents]

    def stop(self) -> None:
        pids = self.tree()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # uv forwards it to ``social serve``
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        deadline = time.monotonic() + 10
        for pid in pids:  # anything left of the tree, by its own PID
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _ppid(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start_server(args: argparse.Namespace, label: str) -> Server:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIAL_")}
    env.update(
        SOCIAL_DATABASE_URL=args.database_url,
        SOCIAL_REDIS_URL=args.redis_url,
        SOCIAL_SECRET_KEY=args.secret,
        SOCIAL_RATE_LIMIT_ENABLED="false",
        SOCIAL_LOG_LEVEL="WARNING",
        SOCIAL_RUN_WORKER_IN_PROCESS="false",
        SOCIAL_DATA_DIR=DATA_DIR,
    )
    if args.diagnose:
        env["PYTHONPATH"] = str(Path(__file__).resolve().parent)
        if args.tracemalloc:
            env["PYTHONTRACEMALLOC"] = "1"
        DIAG_DIR.mkdir(parents=True, exist_ok=True)
        for old in DIAG_DIR.iterdir():
            old.unlink()
    for item in args.server_env:
        key, _, value = item.partition("=")
        env[key] = value
    if args.diagnose:
        command = ["uv", "run", "--no-sync", "python", str(Path(__file__).resolve())]
        command += ["--internal-serve", "--port", str(args.port)]
        description = "diagnostic worker (Granian as `social serve` runs it, the app wrapped)"
    elif args.server == "uvicorn":
        command = ["uv", "run", "--no-sync", "social", "serve", "--server", "uvicorn"]
        command += ["--port", str(args.port), "--workers", "1"]
        description = f"uv run social serve --server uvicorn --port {args.port} --workers 1"
    else:
        command = ["uv", "run", "--no-sync", "social", "serve"]
        command += ["--port", str(args.port), "--workers", "1"]
        description = f"uv run social serve --port {args.port} --workers 1"
    if args.server_env:
        description += " with " + " ".join(args.server_env)
    log_path = Path(DATA_DIR).parent / f"server-{label}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603
            command,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=raise_nofile,
            cwd=Path(__file__).resolve().parent.parent,
        )
    server = Server(process, log_path, description)
    deadline = time.monotonic() + 60
    import httpx

    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server exited ({process.returncode}):\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{args.port}/health/live", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    else:
        server.stop()
        sys.exit(f"the server did not come up:\n{log_path.read_text()[-3000:]}")
    time.sleep(1.0)  # let start-up allocations settle before the first RSS reading
    return server


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU-seconds of the whole machine since boot, from ``/proc/stat``."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    total = sum(fields[:8])
    idle = fields[3] + fields[4]
    return (total - idle) / TICK, total / TICK


def fd_count(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


@dataclass
class Memory:
    worker: float
    total: float

    def __str__(self) -> str:
        return f"{self.worker:,.0f} MB (all {self.total:,.0f})"


def memory(server: Server) -> Memory:
    tree = server.tree()
    workers = server.workers()
    return Memory(sum(rss_mb(p) for p in workers), sum(rss_mb(p) for p in tree))


class RssSampler(threading.Thread):
    """The server's highest RSS (worker, whole tree) every ``every`` seconds."""

    def __init__(self, server: Server, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.server, self.every = server, every
        self.peak = Memory(0.0, 0.0)
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            m = memory(self.server)
            self.peak = Memory(max(self.peak.worker, m.worker), max(self.peak.total, m.total))
            self._halt.wait(self.every)

    def finish(self) -> Memory:
        self._halt.set()
        self.join()
        return self.peak


# ------------------------------------------------------------------------------ clients


def client_main(
    pipe: Connection,
    url: str,
    accounts: list[tuple[int, str]],
    concurrency: int,
    ready_timeout: float,
) -> None:
    raise_nofile()
    import uvloop

    uvloop.run(_client(pipe, url, accounts, concurrency, ready_timeout))


async def _client(
    pipe: Connection,
    url: str,
    accounts: list[tuple[int, str]],
    concurrency: int,
    ready_timeout: float,
) -> None:
    from websockets.asyncio.client import connect

    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(concurrency)
    sockets: list[Any] = []
    readers: list[asyncio.Task[None]] = []
    connect_ms: list[float] = []
    errors: Counter[str] = Counter()
    ok: list[int] = []
    received: list[tuple[int, int, int]] = []  # (seq, account index, latency ns)
    counts: Counter[str] = Counter()
    closes: Counter[str] = Counter()
    stopping = False

    async def read(ws: Any, idx: int) -> None:
        try:
            async for raw in ws:
                now = time.time_ns()
                message = json.loads(raw)
                event = message.get("event")
                counts[event] += 1
                if event == "notification":
                    data = message["data"]
                    received.append((data["seq"], idx, now - data["sent_at"]))
        except Exception as exc:
            when = "while closing" if stopping else "during the run"
            rcvd = getattr(exc, "rcvd", None)
            code = f"code {rcvd.code}" if rcvd is not None else "no close frame"
            closes[f"{when}: {type(exc).__name__} ({code})"] += 1
            return
        if not stopping:
            code = ws.close_code
            closes[f"closed by the server ({code})"] += 1

    async def open_one(idx: int, token: str) -> None:
        async with gate:
            started = time.perf_counter()
            try:
                ws = await asyncio.wait_for(
                    connect(
                        f"{url}?access_token={token}",
                        ping_interval=None,
                        compression=None,
                        open_timeout=None,
                        close_timeout=5,
                        max_queue=None,
                    ),
                    ready_timeout,
                )
            except Exception as exc:
                errors[f"connect: {type(exc).__name__} {str(exc)[:80]}"] += 1
                return
            try:
                first = json.loads(await asyncio.wait_for(ws.recv(), ready_timeout))
                if first.get("event") != "ready":
                    raise RuntimeError(f"first message {first.get('event')!r}")
            except Exception as exc:
                errors[f"ready: {type(exc).__name__} {str(exc)[:80]}"] += 1
                await ws.close()
                return
            connect_ms.append((time.perf_counter() - started) * 1000)
            sockets.append(ws)
            ok.append(idx)
            readers.append(asyncio.create_task(read(ws, idx)))

    started_at = time.time()
    await asyncio.gather(*(open_one(idx, token) for idx, token in accounts))
    ready_at = time.time()
    pipe.send(
        {
            "ok": ok,
            "errors": dict(errors),
            "connect_ms": connect_ms,
            "started_at": started_at,
            "ready_at": ready_at,
        }
    )
    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    await loop.run_in_executor(None, pipe.recv)  # "stop"
    usage_after = resource.getrusage(resource.RUSAGE_SELF)
    stopping = True
    closing = asyncio.Semaphore(500)

    async def close(ws: Any) -> None:
        async with closing:
            with contextlib.suppress(Exception):  # already gone
                await ws.close()

    await asyncio.gather(*(close(ws) for ws in sockets))
    for task in readers:
        task.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    cpu = (usage_after.ru_utime + usage_after.ru_stime) - (
        usage_before.ru_utime + usage_before.ru_stime
    )
    pipe.send(
        {
            "received": received,
            "counts": dict(counts),
            "closes": dict(closes),
            "cpu_s": cpu,
            "maxrss_mb": usage_after.ru_maxrss / 1024,
        }
    )


# ------------------------------------------------------------------------------ publisher


def publisher_main(
    pipe: Connection, redis_url: str, users: list[str], args: dict[str, Any]
) -> None:
    import uvloop

    uvloop.run(_publish(pipe, redis_url, users, args))


async def _publish(pipe: Connection, redis_url: str, users: list[str], a: dict[str, Any]) -> None:
    from redis.asyncio import Redis

    from social.adapters.realtime.redis_stream import RedisEventStream
    from social.domain.notifications.model import StreamEvent

    redis = Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5)
    stream = RedisEventStream(redis)
    rng = random.Random(a["seed"])
    ids = [uuid.UUID(hex=u) for u in users]
    steady: list[tuple[int, int]] = []  # (seq, account position in ``users``)
    bursts: list[tuple[int, list[int]]] = []
    publish_ms: list[float] = []
    burst_publish_ms: list[float] = []
    behind = 0

    def payload(seq: int) -> dict[str, Any]:
        return {  # a compact Notification, as the notification job sends it
            "id": str(uuid.uuid4()),
            "kind": "like",
            "actor": {"id": str(uuid.uuid4()), "username": "bench_actor", "display_name": "B A"},
            "post_id": str(uuid.uuid4()),
            "comment_id": None,
            "read": False,
            "created_at": datetime.now(UTC).isoformat(),
            "seq": seq,
            "sent_at": time.time_ns(),
        }

    try:
        await redis.ping()
        pipe.send({"phase": "started", "at": time.time()})
        total = round(a["rate"] * a["duration"])
        interval = 1.0 / a["rate"]
        t0 = time.perf_counter()
        for seq in range(total):
            due = t0 + seq * interval
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            elif delay < -interval:
                behind += 1
            pos = rng.randrange(len(ids))
            started = time.perf_counter()
            await stream.publish([ids[pos]], StreamEvent("notification", payload(seq)))
            publish_ms.append((time.perf_counter() - started) * 1000)
            steady.append((seq, pos))
        steady_s = time.perf_counter() - t0
        pipe.send({"phase": "steady done", "at": time.time(), "seconds": steady_s})
        await asyncio.sleep(a["pause"])
        seq = total
        for _ in range(a["bursts"]):
            chosen = rng.sample(range(len(ids)), min(a["burst_size"], len(ids)))
            started = time.perf_counter()
            await stream.publish(
                [ids[p] for p in chosen], StreamEvent("notification", payload(seq))
            )
            burst_publish_ms.append((time.perf_counter() - started) * 1000)
            bursts.append((seq, chosen))
            seq += 1
            await asyncio.sleep(a["burst_interval"])
    finally:
        await redis.aclose()
    pipe.send(
        {
            "phase": "done",
            "at": time.time(),
            "steady": steady,
            "steady_s": steady_s,
            "bursts": bursts,
            "publish_ms": publish_ms,
            "burst_publish_ms": burst_publish_ms,
            "behind": behind,
        }
    )


# ------------------------------------------------------------------------------ one case


@dataclass
class Latency:
    count: int = 0
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    max: float = 0.0
    mean: float = 0.0

    @classmethod
    def of(cls, values_ms: list[float]) -> Latency:
        if not values_ms:
            return cls()
        v = sorted(values_ms)

        def q(p: float) -> float:
            return v[min(len(v) - 1, max(0, round(p * len(v)) - 1))]

        return cls(len(v), q(0.50), q(0.95), q(0.99), v[-1], statistics.fmean(v))


@dataclass
class Case:
    n: int
    connected: int = 0
    connect_errors: Counter[str] = field(default_factory=Counter)
    connect_s: float = 0.0
    connect_ms: Latency = field(default_factory=Latency)
    steady_sent: int = 0
    steady_s: float = 0.0
    steady: Latency = field(default_factory=Latency)
    steady_lost: int = 0
    burst_sent: int = 0
    burst: Latency = field(default_factory=Latency)
    burst_last_ms: list[float] = field(default_factory=list)
    burst_lost: int = 0
    late: int = 0
    duplicates: int = 0
    publish_ms: Latency = field(default_factory=Latency)
    burst_publish_ms: list[float] = field(default_factory=list)
    behind: int = 0
    rss_before: Memory = field(default_factory=lambda: Memory(0, 0))
    rss_connected: Memory = field(default_factory=lambda: Memory(0, 0))
    rss_peak: Memory = field(default_factory=lambda: Memory(0, 0))
    rss_after: Memory = field(default_factory=lambda: Memory(0, 0))
    rss_closed: Memory = field(default_factory=lambda: Memory(0, 0))
    fds: int = 0
    cpu_connect: float = 0.0
    cpu_steady: float = 0.0
    cpu_burst: float = 0.0
    redis_cpu: float = 0.0
    client_cpu: list[float] = field(default_factory=list)
    client_rss: list[float] = field(default_factory=list)
    closes: Counter[str] = field(default_factory=Counter)
    counts: Counter[str] = field(default_factory=Counter)
    timeline: list[float] = field(default_factory=list)
    slow_seconds: int = 0
    cpu_burst_s: float = 0.0
    machine_steady: float = 0.0
    others_steady: float = 0.0
    load_start: str = ""
    load_end: str = ""
    workers: list[int] = field(default_factory=list)


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def report_snapshot(label: str, lines: list[str]) -> None:
    if not lines:
        print(f"diagnostics: no snapshot {label}")
        return
    print(f"diagnostics ({label}): {lines[0]}")
    for line in lines[2:]:
        if line.startswith("traced "):
            print(f"  tracemalloc: {int(line.split()[1]) / 2**20:,.0f} MiB traced; the top lines:")
            continue
        size, count, where = line.split(" ", 2)
        if int(size) >= 2**20:
            print(f"  {int(size) / 2**20:8,.1f} MiB {int(count):>9,}  {where}")


def report_gc(pauses: list[tuple[float, int, float]], t0: float, rate: float) -> None:
    if not pauses:
        print("diagnostics: no GC pause of 5 ms or more during the run")
        return
    by_gen: dict[int, list[float]] = {}
    for _, gen, ms in pauses:
        by_gen.setdefault(gen, []).append(ms)
    print(
        "diagnostics: GC pauses >= 5 ms during the run: "
        + "; ".join(
            f"gen {g}: {len(v)}, total {sum(v):,.0f} ms, max {max(v):,.0f} ms"
            for g, v in sorted(by_gen.items())
        )
    )
    big = [(at - t0, gen, ms) for at, gen, ms in pauses if ms >= 50]
    if big:
        print(
            "  the longest (s after the steady phase began, gen, ms): "
            + ", ".join(f"{dt:.1f} s/gen {gen}/{ms:,.0f} ms" for dt, gen, ms in big)
        )


def stop_children(clients: list[tuple[Any, Connection]], publisher: Any, server: Server) -> None:
    """Every process this case started, by its own handle (clients, publisher, the server)."""
    try:
        for process, _ in clients:
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)
        if publisher is not None and publisher.is_alive():
            publisher.terminate()
            publisher.join(timeout=10)
    finally:
        server.stop()


def run_case(args: argparse.Namespace, n: int, accounts: list[tuple[str, str]]) -> Case:
    case = Case(n=n, load_start=loadavg())
    print(f"\n== {n:,} connections (load average {case.load_start})")
    server = start_server(args, f"{n}")
    ctx = mp.get_context("spawn")
    clients: list[tuple[Any, Connection]] = []
    publisher = None
    sampler = None
    try:
        case.workers = server.workers()
        worker = case.workers[0]
        case.rss_before = memory(server)
        print(f"server: {server.description}; PIDs {server.tree()} (worker {case.workers})")
        print(f"server RSS before connecting: {case.rss_before}")
        if args.diagnose:
            report_snapshot("before connecting", diagnose_snapshot(f"before-{n}"))

        url = f"ws://127.0.0.1:{args.port}{STREAM_PATH}"
        mine = list(enumerate(t for _, t in accounts[:n]))
        k = max(1, min(args.client_processes, n))
        cpu0 = cpu_s(worker)
        for i in range(k):
            parent, child = ctx.Pipe()
            process = ctx.Process(
                target=client_main,
                args=(child, url, mine[i::k], args.connect_concurrency, args.ready_timeout),
                name=f"stream-client-{i}",
            )
            process.start()
            clients.append((process, parent))
        reports = [pipe.recv() for _, pipe in clients]
        case.cpu_connect = cpu_s(worker) - cpu0
        ok = sorted(idx for r in reports for idx in r["ok"])
        case.connected = len(ok)
        for r in reports:
            case.connect_errors.update(r["errors"])
        case.connect_s = max(r["ready_at"] for r in reports) - min(r["started_at"] for r in reports)
        case.connect_ms = Latency.of([ms for r in reports for ms in r["connect_ms"]])
        time.sleep(1.0)
        case.rss_connected = memory(server)
        case.fds = fd_count(worker)
        print(
            f"connected: {case.connected:,} of {n:,} in {case.connect_s:.1f} s "
            f"(handshake to ready p50 {case.connect_ms.p50:.0f} ms, p99 {case.connect_ms.p99:.0f} "
            f"ms); worker fds {case.fds:,}; server RSS {case.rss_connected}"
        )
        for error, count in case.connect_errors.most_common(5):
            print(f"  connect failures: {count:,} x {error}")
        if args.diagnose:
            report_snapshot("connected", diagnose_snapshot(f"connected-{n}"))
        if not ok:
            sys.exit("no socket connected: nothing to measure")

        users = [accounts[idx][0] for idx in ok]
        sampler = RssSampler(server)
        sampler.start()
        parent, child = ctx.Pipe()
        spec = {
            "rate": args.rate,
            "duration": args.duration,
            "pause": 2.0,
            "bursts": args.bursts,
            "burst_size": args.burst_size,
            "burst_interval": args.burst_interval,
            "seed": args.seed,
        }
        publisher = ctx.Process(target=publisher_main, args=(child, args.redis_url, users, spec))
        publisher.start()
        print(
            f"publishing: {args.rate:g} events/s for {args.duration:g} s, each to a random "
            f"connected account; then {args.bursts} bursts of one event to "
            f"{min(args.burst_size, len(users)):,} accounts, {args.burst_interval:g} s apart"
        )
        t0 = parent.recv()["at"]  # the publisher is connected: the steady phase starts
        cpu0 = cpu_s(worker)
        machine0 = machine_cpu()
        redis0 = redis_call(args.redis_url, "cpu")
        phase = parent.recv()
        cpu1 = cpu_s(worker)
        machine1 = machine_cpu()
        case.machine_steady = (machine1[0] - machine0[0]) / max(machine1[1] - machine0[1], 1e-9)
        case.cpu_steady = (cpu1 - cpu0) / max(phase["at"] - t0, 1e-9)
        case.others_steady = case.machine_steady * (os.cpu_count() or 1) - case.cpu_steady
        result = parent.recv()
        cpu2 = cpu_s(worker)
        case.cpu_burst = (cpu2 - cpu1) / max(result["at"] - phase["at"], 1e-9)
        case.cpu_burst_s = cpu2 - cpu1
        publisher.join(timeout=30)
        time.sleep(args.grace)
        case.redis_cpu = (redis_call(args.redis_url, "cpu") - redis0) / (time.time() - t0)
        case.rss_peak = sampler.finish()
        case.rss_after = memory(server)
        if args.diagnose:
            report_gc(gc_pauses(t0, time.time()), t0, args.rate)
        for _, pipe in clients:
            pipe.send("stop")
        finals = [pipe.recv() for _, pipe in clients]
        for process, _ in clients:
            process.join(timeout=60)
        time.sleep(2.0)
        case.rss_closed = memory(server)
        case.load_end = loadavg()
    finally:
        try:
            if sampler is not None and sampler.is_alive():
                sampler.finish()
        finally:
            stop_children(clients, publisher, server)
    tail = server.log_path.read_text(errors="replace").strip()
    if tail:
        lines = tail.splitlines()
        print(f"server log: {len(lines)} lines in {server.log_path}; the last:")
        for line in lines[-5:]:
            print(f"  {line[:300]}")

    grace_ns = args.grace * 1e9
    got: dict[tuple[int, int], int] = {}
    for f in finals:
        case.counts.update(f["counts"])
        case.closes.update(f["closes"])
        case.client_cpu.append(f["cpu_s"])
        case.client_rss.append(f["maxrss_mb"])
        for seq, idx, ns in f["received"]:
            key = (seq, idx)
            if key in got:
                case.duplicates += 1
                continue
            got[key] = ns
    steady_ms, burst_ms = [], []
    per_second: dict[int, list[float]] = {}
    for seq, pos in result["steady"]:
        ns = got.get((seq, ok[pos]))
        if ns is None or ns > grace_ns:
            case.steady_lost += 1
            case.late += ns is not None
        else:
            steady_ms.append(ns / 1e6)
            per_second.setdefault(int(seq // args.rate), []).append(ns / 1e6)
    case.timeline = [max(per_second.get(s, [0.0])) for s in range(max(per_second, default=-1) + 1)]
    case.slow_seconds = sum(1 for s in per_second.values() if Latency.of(s).p99 > TARGET_P99_MS)
    for seq, chosen in result["bursts"]:
        this = []
        for pos in chosen:
            ns = got.get((seq, ok[pos]))
            if ns is None or ns > grace_ns:
                case.burst_lost += 1
                case.late += ns is not None
            else:
                this.append(ns / 1e6)
        burst_ms += this
        case.burst_last_ms.append(max(this) if this else float("nan"))
        case.burst_sent += len(chosen)
    case.steady_sent = len(result["steady"])
    case.steady_s = result["steady_s"]
    case.steady = Latency.of(steady_ms)
    case.burst = Latency.of(burst_ms)
    case.publish_ms = Latency.of(result["publish_ms"])
    case.burst_publish_ms = result["burst_publish_ms"]
    case.behind = result["behind"]
    print(
        f"steady: {case.steady_sent:,} events in {case.steady_s:.1f} s "
        f"({case.steady_sent / case.steady_s:.0f}/s; publish call p50 "
        f"{case.publish_ms.p50:.2f} ms, p99 {case.publish_ms.p99:.2f} ms; "
        f"{case.behind} sent late by > 1 interval)"
    )
    print(
        "bursts: publish call "
        + ", ".join(f"{ms:.0f}" for ms in case.burst_publish_ms)
        + " ms; the last of each burst delivered after "
        + ", ".join(f"{ms:.0f}" for ms in case.burst_last_ms)
        + " ms"
    )
    print(
        "steady, slowest delivery in each second (ms): "
        + " ".join(f"{ms:.0f}" for ms in case.timeline)
        + f"; {case.slow_seconds} of {len(case.timeline)} seconds with p99 > {TARGET_P99_MS:g} ms"
    )
    print(
        f"server worker CPU: {case.cpu_connect:.1f} s to connect; "
        f"{case.cpu_steady:.0%} of a core during the steady phase; {case.cpu_burst_s:.1f} s "
        f"over the pause and the bursts ({case.cpu_burst:.0%}); Redis {case.redis_cpu:.0%} of a "
        "core over both"
    )
    print(
        f"machine CPU during the steady phase: {case.machine_steady:.0%} of "
        f"{os.cpu_count()} cores busy; besides the server worker {case.others_steady:.2f} cores "
        "(PostgreSQL, Redis, clients, publisher, and whatever else runs)"
    )
    print(
        "clients: "
        + ", ".join(
            f"{cpu:.1f} CPU-s, {rss:.0f} MB"
            for cpu, rss in zip(case.client_cpu, case.client_rss, strict=True)
        )
        + f" (over the publishing); messages {dict(case.counts)}"
    )
    if case.closes:
        print(f"sockets that ended before the clients closed them: {dict(case.closes)}")
    print(
        f"server RSS: peak during the run {case.rss_peak}; after the run {case.rss_after}; "
        f"after the clients disconnected {case.rss_closed}"
    )
    print(f"load average at the end: {case.load_end}")
    return case


# ------------------------------------------------------------------------------ report


def verdict(case: Case) -> str:
    parts = []
    p99 = max(case.steady.p99, case.burst.p99)
    parts.append(f"p99 {'met' if p99 <= TARGET_P99_MS else 'missed'}")
    parts.append(f"memory {'met' if case.rss_peak.total <= TARGET_RSS_MB else 'missed'}")
    if case.connected < case.n:
        parts.append(f"{case.n - case.connected:,} not connected")
    if case.steady_lost or case.burst_lost:
        parts.append("events lost")
    if case.n < TARGET_CONNECTIONS:
        return "(" + ", ".join(parts) + f" at {case.n:,})"
    return ", ".join(parts)


def table(cases: list[Case]) -> str:
    head = (
        f"{'conns':>7} {'connected':>9} {'conn s':>6} {'phase':<7} {'events':>7} {'p50':>8} "
        f"{'p95':>8} {'p99':>8} {'max':>8} {'lost':>5} {'CPU':>5}"
    )
    out = [head, "-" * len(head)]
    for c in cases:
        for phase, lat, sent, lost, cpu in (
            ("steady", c.steady, c.steady_sent, c.steady_lost, c.cpu_steady),
            ("bursts", c.burst, c.burst_sent, c.burst_lost, c.cpu_burst),
        ):
            first = phase == "steady"
            out.append(
                f"{(f'{c.n:,}' if first else ''):>7} {(f'{c.connected:,}' if first else ''):>9} "
                f"{(f'{c.connect_s:.1f}' if first else ''):>6} {phase:<7} {sent:>7,} "
                f"{lat.p50:>5.1f} ms {lat.p95:>5.1f} ms {lat.p99:>5.1f} ms {lat.max:>5.0f} ms "
                f"{lost:>5,} {cpu:>5.0%}"
            )
    head2 = (
        f"{'conns':>7} {'RSS before':>11} {'connected':>10} {'peak':>8} {'after':>8} "
        f"{'closed':>8} {'per conn':>9}  target (p99 <= {TARGET_P99_MS:g} ms, "
        f"memory <= {TARGET_RSS_MB / 1024:g} GB at {TARGET_CONNECTIONS:,})"
    )
    out += ["", head2, "-" * len(head2)]
    for c in cases:
        per = (c.rss_connected.worker - c.rss_before.worker) * 1024 / max(c.connected, 1)
        out.append(
            f"{c.n:>7,} {c.rss_before.total:>8,.0f} MB {c.rss_connected.total:>7,.0f} MB "
            f"{c.rss_peak.total:>5,.0f} MB {c.rss_after.total:>5,.0f} MB "
            f"{c.rss_closed.total:>5,.0f} MB {per:>6.0f} KB  {verdict(c)}"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--secret", default=DEFAULT_SECRET)
    parser.add_argument("--tokens-out", default=DEFAULT_TOKENS)
    parser.add_argument("--token-ttl-s", type=int, default=6 * 3600)
    parser.add_argument("--port", type=int, default=8012)
    parser.add_argument("--connections", default="1000,10000", help="comma-separated N")
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--connect-concurrency", type=int, default=100, help="per client process")
    parser.add_argument("--ready-timeout", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=200.0, help="steady events per second")
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--burst-size", type=int, default=1000)
    parser.add_argument("--burst-interval", type=float, default=2.0)
    parser.add_argument("--grace", type=float, default=5.0, help="seconds before an event is lost")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--server",
        choices=("social", "uvicorn"),
        default="social",
        help="`social serve` (Granian) as shipped, or the same app under uvicorn, for comparison",
    )
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="an extra setting for the server (repeatable), e.g. SOCIAL_SESSION_CACHE_TTL_S=30",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--flush-first", action="store_true", help="flush a non-empty Redis db")
    parser.add_argument("--drop", action="store_true", help="only drop the database, flush Redis")
    parser.add_argument(
        "--diagnose",
        action="store_true",
        help="run the worker with a GC-pause log and object counts (not for the figures)",
    )
    parser.add_argument(
        "--tracemalloc", action="store_true", help="with --diagnose: what Python holds, by line"
    )
    parser.add_argument("--internal-serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.internal_serve:
        serve_inline(args.port)
        return
    if args.drop:
        drop_database(args.database_url)
        redis_call(args.redis_url, "flush")
        return
    ns = sorted({int(x) for x in args.connections.split(",") if x.strip()})
    raise_nofile()
    if redis_call(args.redis_url, "dbsize") and not args.flush_first:
        sys.exit(f"{args.redis_url} is not empty: name a free database or pass --flush-first")
    redis_call(args.redis_url, "flush")

    import granian
    import websockets

    print(
        f"== WebSocket stream load ({os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"granian {granian.__version__}, websockets {websockets.__version__}, Redis "
        f"{redis_call(args.redis_url, 'version')})"
    )
    print(f"load average at the start: {loadavg()}; date {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    cases: list[Case] = []
    try:
        accounts = seed(args, max(ns))
        for n in ns:
            cases.append(run_case(args, n, accounts))
            redis_call(args.redis_url, "flush")
    finally:
        if not args.keep:
            drop_database(args.database_url)
        redis_call(args.redis_url, "flush")
    print()
    print(table(cases))
    print(f"\nload average at the end: {loadavg()}")


if __name__ == "__main__":
    main()
