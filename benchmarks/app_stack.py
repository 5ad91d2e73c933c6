"""What ``app_timeline_load.py`` stands on: its own seeded database, a ``social serve`` it starts
and stops, app tokens minted through the real OAuth flow, and the CPU time of the processes that
serve a request (the API's process group, the PostgreSQL backends of that database, Redis)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
from seed_feed_data import DEFAULT_PASSWORD, DEFAULT_SECRET, database_name, plain_dsn

from social.adapters.postgres import migrations

TICKS = os.sysconf("SC_CLK_TCK")
OOB = "urn:ietf:wg:oauth:2.0:oob"
BENCHMARKS = Path(__file__).resolve().parent


async def _database_exists(url: str) -> bool:
    admin = await asyncpg.connect(plain_dsn(urlunsplit(urlsplit(url)._replace(path="/postgres"))))
    try:
        return bool(
            await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database_name(url))
        )
    finally:
        await admin.close()


def server_env(database_url: str, redis_url: str, data_dir: Path) -> dict[str, str]:
    """The environment of a benchmarked ``social serve``: the seeded database, Redis, the seed's
    secret and fan-out threshold, no rate limits, jobs in process, quiet logs."""
    return dict(os.environ) | {
        "SOCIAL_DATABASE_URL": database_url,
        "SOCIAL_REDIS_URL": redis_url,
        "SOCIAL_SECRET_KEY": DEFAULT_SECRET,
        "SOCIAL_FAN_OUT_THRESHOLD": "2000",
        "SOCIAL_RATE_LIMIT_ENABLED": "false",
        "SOCIAL_LOG_LEVEL": "WARNING",
        "SOCIAL_RUN_WORKER_IN_PROCESS": "true",
        "SOCIAL_DATA_DIR": str(data_dir),
    }


def prepare_database(url: str, tokens: Path, *, reseed: bool, secret: str = DEFAULT_SECRET) -> None:
    """Seed the database as the home-feed benchmark's (10,000 users, 200,000 posts, seed 1,
    2,000 sessions whose tokens last 30 days) when it is missing or ``reseed``; then migrate it
    to this checkout's head, so a newer schema (the app tokens' tables) is there."""
    if reseed or not asyncio.run(_database_exists(url)) or not tokens.is_file():
        tokens.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, str(BENCHMARKS / "seed_feed_data.py")]
        command += ["--database-url", url, "--secret", secret, "--recreate"]
        command += ["--tokens-out", str(tokens), "--token-ttl-s", str(30 * 86400)]
        print(f"seeding {database_name(url)} (about a minute) …", flush=True)
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    migrations.upgrade(url)


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def pids(self) -> list[int]:
        """The server's process group: the Granian main process and its workers."""
        return [pid for pid in _all_pids() if _pgid(pid) == self.process.pid]


@contextmanager
def serving(env: dict[str, str], port: int, workers: int, log: Path) -> Iterator[Server]:
    """``social serve`` in a session of its own (so its whole group is measured and stopped)."""
    command = [sys.executable, "-m", "social", "serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603
            [*command, "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(url=f"http://127.0.0.1:{port}", process=process, log=log)
    try:
        for _ in range(120):
            try:
                if httpx.get(f"{server.url}/health/ready", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                sys.exit(f"social serve ended at start-up:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        else:
            sys.exit(f"social serve not ready within 60 s:\n{log.read_text()[-3000:]}")
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _all_pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def _pgid(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[2]) if fields else None


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU of each live process, in seconds."""
    seconds = {}
    for pid in pids:
        fields = _stat(pid)
        if fields:
            seconds[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return seconds


def redis_pids(redis_url: str) -> list[int]:
    port = str(urlsplit(redis_url).port or 6379)
    found = []
    for pid in _all_pids():
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "redis-server" in command and f":{port}" in command:
            found.append(pid)
    return found


async def postgres_pids(url: str) -> list[int]:
    """The backends connected to the benchmark's database (the server's pools)."""
    connection = await asyncpg.connect(plain_dsn(url))
    try:
        rows = await connection.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            database_name(url),
        )
    finally:
        await connection.close()
    return [row["pid"] for row in rows]


async def transactions(url: str) -> int:
    """Transactions committed in the database so far (each autocommit statement is one): the
    difference over a run, per request, says how many statements a request costs."""
    connection = await asyncpg.connect(plain_dsn(url))
    try:
        await connection.execute("SELECT pg_stat_clear_snapshot()")
        count = await connection.fetchval(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1",
            database_name(url),
        )
    finally:
        await connection.close()
    return int(count)


async def mint_app_tokens(
    base_url: str, jwts: list[str], password: str = DEFAULT_PASSWORD, concurrency: int = 4
) -> list[str]:
    """One app token per seeded account, as a client gets it: the account's username (native
    ``/api/v1/me``), one app registered at ``/api/v1/apps``, the password grant of
    ``/oauth/token`` for each account (argon2 verifies each password: about a minute for 2,000)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        app = await client.post(
            "/api/v1/apps",
            data={
                "client_name": "bench",
                "scopes": "read",
                "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
            },
        )
        if app.status_code != 200:
            sys.exit(f"POST /api/v1/apps: {app.status_code} {app.text[:300]}")
        credentials = {k: app.json()[k] for k in ("client_id", "client_secret")}
        minted: list[str] = [""] * len(jwts)
        queue = list(enumerate(jwts))

        async def worker() -> None:
            while queue:
                index, jwt = queue.pop()
                me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {jwt}"})
                if me.status_code != 200:
                    sys.exit(f"GET /api/v1/me: {me.status_code} {me.text[:300]}")
                grant = {"grant_type": "password", "scope": "read", "password": password}
                grant |= {"username": me.json()["username"], **credentials}
                token = await client.post("/oauth/token", data=grant)
                if token.status_code != 200:
                    sys.exit(f"POST /oauth/token: {token.status_code} {token.text[:300]}")
                minted[index] = token.json()["access_token"]

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return minted


def app_tokens(base_url: str, jwts: list[str], cache: Path) -> list[str]:
    """The cached app tokens if they still sign in (same accounts, same database), else new."""
    if cache.is_file():
        cached = cache.read_text().split()
        if len(cached) == len(jwts):
            check = httpx.get(
                f"{base_url}/api/v1/apps/verify_credentials",
                headers={"Authorization": f"Bearer {cached[0]}"},
                timeout=30,
            )
            if check.status_code == 200:
                return cached
    started = time.perf_counter()
    minted = asyncio.run(mint_app_tokens(base_url, jwts))
    cache.write_text("".join(f"{token}\n" for token in minted))
    print(f"app tokens: {len(minted):,} minted in {time.perf_counter() - started:.0f} s -> {cache}")
    return minted
