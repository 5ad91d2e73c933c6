"""Scale-out on one machine (issue 19): two API processes and two job workers behind nginx.

    source .services/env    # scripts/services.sh up: PostgreSQL, Redis, MinIO (and nginx)
    uv run python benchmarks/scale_out.py up          # start; clients use http://127.0.0.1:8100
    uv run python benchmarks/scale_out.py status      # which process is alive
    uv run python benchmarks/scale_out.py down        # stop everything started by ``up``
    uv run python benchmarks/scale_out.py run -- CMD  # up, CMD (with $SCALE_OUT_URL), down
    uv run python benchmarks/scale_out.py nginx-conf > benchmarks/scale_out/nginx.compose.conf
    flock /tmp/h19/bench.lock uv run python benchmarks/scale_out.py bench   # wrk, see bench.py

Ports 8100 (nginx), 8101 and 8102 (the API processes); database ``social_scale_out`` (created
and migrated when missing), Redis database 14, bucket ``social-scale-out``; logs, pids and the
generated nginx.conf in /tmp/social_scale_out. nginx config: benchmarks/scale_out/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from scale_out.stack import Stack, alive, render_nginx_conf
from seed_feed_data import DEFAULT_SECRET

RUN_DIR = Path("/tmp/social_scale_out")  # noqa: S108
DATABASE = "social_scale_out"
REDIS_DB = 14
"""A Redis database of its own: the test fixtures clear the job queue of database 0."""


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        sys.exit(f"{name} is unset: run scripts/services.sh up and source .services/env")
    return value


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


async def ensure_database(server_url: str, name: str) -> None:
    dsn = with_database(server_url, "postgres").replace("postgresql+asyncpg://", "postgresql://")
    admin = await asyncpg.connect(dsn)
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


def stack_env(database_url: str, *, log_level: str = "WARNING") -> dict[str, str]:
    """What every process of the stack shares: the real services, a Redis database of its own,
    no rate limits (every simulated client comes from 127.0.0.1), the seeds' secret."""
    redis = urlsplit(_required("SOCIAL_TEST_REDIS_URL"))._replace(path=f"/{REDIS_DB}")
    return {
        "SOCIAL_DATABASE_URL": database_url,
        "SOCIAL_REDIS_URL": urlunsplit(redis),
        "SOCIAL_S3_ENDPOINT": _required("SOCIAL_TEST_S3_ENDPOINT"),
        "SOCIAL_S3_ACCESS_KEY": _required("SOCIAL_TEST_S3_ACCESS_KEY"),
        "SOCIAL_S3_SECRET_KEY": _required("SOCIAL_TEST_S3_SECRET_KEY"),
        "SOCIAL_S3_BUCKET": "social-scale-out",
        "SOCIAL_SECRET_KEY": DEFAULT_SECRET,
        "SOCIAL_FAN_OUT_THRESHOLD": "2000",
        "SOCIAL_RATE_LIMIT_ENABLED": "false",
        "SOCIAL_LOG_LEVEL": log_level,
    }


def make_stack(args: argparse.Namespace, database: str = DATABASE) -> Stack:
    server = _required("SOCIAL_TEST_DATABASE_URL")
    asyncio.run(ensure_database(server, database))
    return Stack(
        stack_env(with_database(server, database)),
        RUN_DIR,
        nginx_port=args.nginx_port,
        api_ports=args.api_ports,
    )


def _state() -> dict[str, int]:
    path = RUN_DIR / "pids.json"
    return dict(json.loads(path.read_text())) if path.exists() else {}


def _is_ours(pid: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return False
    return alive(pid) and (b"social" in command or b"nginx" in command)


def up(args: argparse.Namespace) -> Stack:
    if any(_is_ours(pid) for pid in _state().values()):
        sys.exit(f"already up (pids in {RUN_DIR / 'pids.json'}): run `down` first")
    stack = make_stack(args)
    try:
        asyncio.run(stack.start())
    except RuntimeError as exc:
        asyncio.run(stack.stop())
        sys.exit(str(exc))
    stack.save()
    ports = ", ".join(str(p) for p in args.api_ports)
    print(f"up: nginx {stack.url} -> API processes on {ports}; 2 workers; logs in {RUN_DIR}")
    return stack


def down() -> None:
    state = _state()
    for name, pid in sorted(state.items(), key=lambda item: item[0] == "nginx"):
        if _is_ours(pid):
            os.killpg(pid, signal.SIGTERM)
            for _ in range(300):
                if not alive(pid):
                    break
                subprocess.run(["sleep", "0.1"], check=False)  # noqa: S607
            else:
                os.killpg(pid, signal.SIGKILL)
            print(f"{name} (pid {pid}) stopped")
    (RUN_DIR / "pids.json").unlink(missing_ok=True)


def status() -> int:
    state = _state()
    for name, pid in state.items():
        print(f"{name}: {'up' if _is_ours(pid) else 'down'} (pid {pid})")
    if not state:
        print("down: nothing started")
    return 0 if state and all(_is_ours(pid) for pid in state.values()) else 1


def run(args: argparse.Namespace) -> int:
    command = [part for part in args.command if part != "--"]
    if not command:
        sys.exit("run: give a command after --")
    stack = up(args)
    try:
        env = dict(os.environ) | {"SCALE_OUT_URL": stack.url}
        return subprocess.run(command, env=env, check=False).returncode  # noqa: S603
    finally:
        down()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["up", "down", "status", "run", "bench", "nginx-conf"])
    parser.add_argument("command", nargs=argparse.REMAINDER, help="run: the command, after --")
    parser.add_argument("--nginx-port", type=int, default=8100)
    parser.add_argument(
        "--api-ports", type=lambda s: [int(p) for p in s.split(",")], default=[8101, 8102]
    )
    parser.add_argument("--listen", default="0.0.0.0:8000", help="nginx-conf: listen on")
    parser.add_argument("--upstreams", default="api:8000,api-2:8000", help="nginx-conf")
    parser.add_argument("--prefix", default="/tmp/nginx", help="nginx-conf: its directory")  # noqa: S108
    parser.add_argument("--seconds", type=float, default=20.0, help="bench: per wrk run")
    parser.add_argument("--connections", type=int, default=64, help="bench: wrk connections")
    args = parser.parse_args()
    if args.action == "up":
        up(args)
    elif args.action == "down":
        down()
    elif args.action == "status":
        sys.exit(status())
    elif args.action == "run":
        sys.exit(run(args))
    elif args.action == "nginx-conf":  # compose.yaml's: benchmarks/scale_out/nginx.compose.conf
        upstreams = args.upstreams.split(",")
        print(render_nginx_conf(Path(args.prefix), args.listen, upstreams), end="")
    else:
        from scale_out.bench import bench

        bench(args, make_stack)


if __name__ == "__main__":
    main()
