"""Issue 19's load test in one command: seed or reuse the database, serve, measure
``/health/live`` with wrk, run Locust headless (CSV with full history, HTML), print the figures
beside their targets.

    uv run python benchmarks/load/run.py                          # mixed: 10,000 users, 5 min
    uv run python benchmarks/load/run.py --scenario writes        # 200 writes/s + background
    uv run python benchmarks/load/run.py --scenario login         # feed alone, then + 10 logins/s
    uv run python benchmarks/load/run.py --scenario fanout        # an author with every account

The database is ``social_bench_load`` (the home-feed seed: 10,000 users, 200,000 posts, 2,000
signed-in accounts, made by ``app_stack.prepare_database`` the first time), its tag index
filled and its search documents built (``social reindex``) once. ``social serve --workers 2``
runs with rate limits off and jobs in process, as the other benchmarks. Results go to
``--out`` (``<scenario>_stats.csv``, ``…_stats_history.csv``, ``…_failures.csv``, ``.html``,
``summary.txt``); ``plot.py`` draws the history. Measured runs hold ``flock /tmp/h19/bench.lock``.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import asyncpg
from app_stack import prepare_database, server_env, serving
from behind_nginx import behind_nginx
from feed_load import run_wrk, wrk_version
from job_workers import job_workers
from locust_run import locust_command, run_locust
from scenario_checks import SCENARIOS, Context
from seed_feed_data import plain_dsn
from suggestions import fill_post_tags

DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:54329/social_bench_load"


async def _search_documents_missing(url: str) -> bool:
    connection = await asyncpg.connect(plain_dsn(url))
    try:
        return not await connection.fetchval("SELECT EXISTS (SELECT 1 FROM search_user_documents)")
    finally:
        await connection.close()


def prepare(args: argparse.Namespace, env: dict[str, str]) -> None:
    prepare_database(args.database_url, Path(args.tokens), reseed=args.reseed)
    filled = asyncio.run(fill_post_tags(args.database_url))
    if filled:
        print(f"post_tags filled: {filled:,} rows")
    if asyncio.run(_search_documents_missing(args.database_url)):
        print("building the search documents (social reindex, a few minutes) …", flush=True)
        command = [sys.executable, "-m", "social", "reindex"]
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="mixed")
    parser.add_argument("--database-url", default=DATABASE)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6390/12")
    parser.add_argument("--tokens", default="/tmp/social_bench_load/tokens.txt")  # noqa: S108
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--out", default="", help="results folder (default under /tmp)")
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--fan-out-threshold", type=int, default=2000, help="the server's")
    parser.add_argument("--users", type=int, default=0, help="Locust users (scenario default)")
    parser.add_argument("--spawn-rate", type=float, default=100.0)
    parser.add_argument("--run-time", type=float, default=0, help="seconds at full load")
    parser.add_argument("--processes", type=int, default=1, help="Locust --processes")
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=14.0)
    parser.add_argument("--writers", type=int, default=200, help="writes scenario: writes/s")
    parser.add_argument("--readers", type=int, default=300, help="login scenario's feed readers")
    parser.add_argument("--login-rate", type=float, default=10.0)
    parser.add_argument("--author", default="bench009999", help="fan-out: the followed author")
    parser.add_argument("--posts", type=int, default=10, help="fan-out: posts to time")
    parser.add_argument("--sample", type=int, default=100, help="fan-out: followers polled")
    parser.add_argument("--health-seconds", type=float, default=10.0)
    parser.add_argument(
        "--job-workers",
        type=int,
        default=1,
        help="separate `social worker` processes (0: jobs in the API processes)",
    )
    parser.add_argument(
        "--cold", action="store_true", help="mixed: skip warming the stored feeds first"
    )
    parser.add_argument("--connections", type=int, default=64, help="wrk, /health/live")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=30)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument(
        "--nginx",
        action="store_true",
        help="through nginx to two API processes (--workers 1 each) and the --job-workers",
    )
    return parser.parse_args()


def main() -> None:
    args = parse()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = Path(args.out or f"/tmp/social_bench_load/results/{args.scenario}-{stamp}")  # noqa: S108
    out.mkdir(parents=True, exist_ok=True)
    env = server_env(args.database_url, args.redis_url, Path(args.tokens).parent / "data")
    env["SOCIAL_FAN_OUT_THRESHOLD"] = str(args.fan_out_threshold)
    env["SOCIAL_RUN_WORKER_IN_PROCESS"] = "true" if args.job_workers == 0 else "false"
    prepare(args, env)
    scenario = SCENARIOS[args.scenario]
    context = Context(args=args, out=out, lines=[])
    context.say(
        f"== load test, scenario {args.scenario}, {time.strftime('%Y-%m-%d %H:%M %Z')}: "
        + (
            "nginx -> 2 x social serve --workers 1, "
            if args.nginx
            else f"social serve --workers {args.workers}, "
        )
        + f"job workers {args.job_workers or 'in process'}, "
        f"fan-out threshold {args.fan_out_threshold}, "
        f"Locust --processes {args.processes}, {wrk_version()} for /health/live"
    )
    if args.nginx:
        served = behind_nginx(env, args.port, args.job_workers, out / "stack")
        separate = job_workers(env, 0, out)  # the stack starts its own
    else:
        served = serving(env, args.port, args.workers, out / "serve.log")
        separate = job_workers(env, args.job_workers, out)
    with scenario.before(context), served as server, separate:
        args.base_url = server.url
        health = run_wrk(
            args, "GET /health/live", "/health/live", tokens=None, seconds=args.health_seconds
        )
        context.health = health
        context.say(
            f"GET /health/live (wrk {args.threads} threads, {args.connections} connections, "
            f"same server, before Locust): {health.rps:,.0f} req/s, p99 {health.p99_ms:.1f} ms"
        )

        def locust(
            name: str, classes: list[str], users: int, seconds: float, **extra: object
        ) -> object:
            ramp = users / args.spawn_rate
            options: dict[str, object] = {
                "users": users,
                "spawn_rate": args.spawn_rate,
                "run_time": f"{round(ramp + seconds)}s",
                "tokens_file": args.tokens,
                "think_min": args.think_min,
                "think_max": args.think_max,
                "processes": args.processes if args.processes > 1 else None,
            } | extra
            command = locust_command(server.url, out / name, classes, options, scenario.locustfile)
            context.say(
                f"locust {name}: {users:,} users ({', '.join(classes)}), "
                f"ramp {ramp:.0f} s, then {seconds:.0f} s measured"
            )
            return run_locust(command, server, out / f"{name}.log", steady_after=ramp)

        scenario.run(context, locust, server)
    (out / "summary.txt").write_text("\n".join(context.lines) + "\n")
    print(f"\nresults in {out}")


if __name__ == "__main__":
    main()
