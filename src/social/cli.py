"""The ``social`` command: serve, worker, migrate, reindex, backup, restore."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from social.settings import Settings, SettingsError

if TYPE_CHECKING:
    from social.domain.media.ports import MediaStorage
    from social.ops.backup import Manifest, Restored

__all__ = ["main", "serve_granian"]

log = logging.getLogger("social.cli")
T = TypeVar("T")


def _settings(**overrides: Any) -> Settings:
    try:
        return Settings.from_env(**{k: v for k, v in overrides.items() if v is not None})
    except (SettingsError, TypeError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None


def _check_keys(settings: Settings) -> None:
    """The secret and email keys, checked (and the secret file made) once, before any API
    process starts: a bad one is one line here, not a traceback from each process."""
    from social.adapters.security.keys import KeyRing

    try:
        KeyRing.from_settings(settings)
    except (ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
def main() -> None:
    """social: an Instagram-like social media backend."""


@main.command()
@click.option("--host", default=None, help="Interface to listen on [SOCIAL_HOST, 127.0.0.1].")
@click.option(
    "--port",
    default=None,
    type=click.IntRange(1, 65535),
    help="Port to listen on [SOCIAL_PORT, 8000]; media and upload URLs name it too, unless "
    "SOCIAL_PUBLIC_URL is set.",
)
@click.option(
    "--workers", default=None, type=click.IntRange(min=1), help="API processes [SOCIAL_WORKERS, 1]."
)
@click.option(
    "--server",
    default=None,
    type=click.Choice(["granian", "uvicorn"]),
    help="ASGI server [SOCIAL_SERVER, granian]; uvicorn for WebSocket-heavy processes.",
)
def serve(host: str | None, port: int | None, workers: int | None, server: str | None) -> None:
    """Run the API. With no settings at all it runs the embedded default: its own PostgreSQL
    under the data directory, media on local disk, search in PostgreSQL, jobs in-process."""
    from social.adapters.observability.logs import configure_logging
    from social.bootstrap.database import embedded_database, migrate_if_due

    settings = _settings(host=host, port=port, workers=workers, server=server)
    _check_keys(settings)
    # The API processes read their settings from the environment: give them the address this
    # command serves (their media, avatar and upload URLs start with it) and its process count.
    os.environ.update(
        SOCIAL_HOST=settings.process.host,
        SOCIAL_PORT=str(settings.process.port),
        SOCIAL_WORKERS=str(settings.process.workers),
        SOCIAL_SERVER=settings.process.server,
    )
    configure_logging(settings.process.log_level)
    with embedded_database(settings) as url:
        migrate_if_due(settings, url)
        if settings.services.uses_embedded_database:
            # The API processes join this server; it lives as long as this command does.
            os.environ["SOCIAL_DATABASE_URL"] = url
            os.environ.setdefault("SOCIAL_DATA_DIR", str(settings.process.data_dir))
        _serve(settings)


def _serve(settings: Settings) -> None:
    address = f"{settings.process.host}:{settings.process.port}"
    log.info(
        "serving",
        extra={
            "address": address,
            "public_url": settings.base_url,
            "server": settings.process.server,
        },
    )
    if not settings.http.public_url and settings.process.host in ("0.0.0.0", "::", ""):  # noqa: S104
        log.warning(
            "listening on every interface, but media and upload URLs name %s: set "
            "SOCIAL_PUBLIC_URL to the address clients use",
            settings.base_url,
        )
    if settings.process.server == "uvicorn":
        _serve_uvicorn(settings)
    else:
        serve_granian(settings)


def serve_granian(settings: Settings, app: str = "social.app:create_app") -> None:
    """Granian as ``social serve`` runs it, on the app factory ``app`` (the benchmarks wrap it)."""
    from granian import Granian
    from granian.constants import Interfaces

    from social.adapters.observability.logs import logging_config

    Granian(
        app,
        factory=True,
        address=settings.process.host,
        port=settings.process.port,
        interface=Interfaces.ASGI,
        workers=settings.process.workers,
        backlog=settings.process.listen_backlog,
        backpressure=settings.process.max_connections,
        log_dictconfig=logging_config(settings.process.log_level),
        websockets=True,
    ).serve()


def _serve_uvicorn(settings: Settings) -> None:
    """SIGTERM drains open requests and runs the app's shutdown, as with Granian.

    After its graceful shutdown uvicorn raises the signal again under the handler it found;
    with the default one the process would die there, before the embedded PostgreSQL stops.
    """
    import uvicorn

    from social.adapters.observability.logs import logging_config

    def stopped(signum: int, frame: object) -> None:
        raise SystemExit(0)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stopped)

    uvicorn.run(
        "social.app:create_app",
        factory=True,
        host=settings.process.host,
        port=settings.process.port,
        workers=settings.process.workers,
        backlog=settings.process.listen_backlog,
        log_config=logging_config(settings.process.log_level),
        ws="websockets-sansio",
        lifespan="on",
        proxy_headers=False,  # client addresses are resolved by the app's trusted proxies
        server_header=False,
    )


@main.command()
def worker() -> None:
    """Run background jobs (SAQ) until SIGTERM; unfinished jobs go back to the queue."""
    from social.adapters.jobs.worker import build_worker
    from social.adapters.observability.logs import configure_logging
    from social.bootstrap import build_use_cases, open_adapters

    settings = _settings()
    _check_keys(settings)
    configure_logging(settings.process.log_level)
    if settings.observability.worker_metrics_port:
        from prometheus_client import start_http_server

        start_http_server(settings.observability.worker_metrics_port, addr=settings.process.host)

    async def run() -> None:
        async with open_adapters(settings) as adapters:
            if adapters.job_queue is None:
                raise click.ClickException("no job queue is configured")
            saq_worker = build_worker(
                adapters.job_queue,
                use_cases=build_use_cases(adapters),
                concurrency=settings.jobs.job_concurrency,
                sweep_s=settings.jobs.job_sweep_s,
                relay_outbox=adapters.relay_outbox,
            )
            loop = asyncio.get_running_loop()
            stopping = asyncio.Event()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, stopping.set)
            task = asyncio.create_task(saq_worker.start())
            log.info("worker started")
            await stopping.wait()
            log.info("worker stopping")
            await saq_worker.stop()
            await asyncio.gather(task, return_exceptions=True)

    asyncio.run(run())


@main.group()
def users() -> None:
    """Manage accounts from the command line."""


@users.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(["user", "moderator", "admin"]))
def set_role(username: str, role: str) -> None:
    """Give USERNAME a role (how the first admin is made); audited as done from the command
    line. Works against the configured database, the embedded one included, while it serves."""
    from social.adapters.observability.logs import configure_logging
    from social.bootstrap import build_use_cases, open_adapters
    from social.domain.moderation.moderate_accounts import ChangeRole
    from social.domain.shared.errors import NotFound
    from social.domain.shared.identity import Role

    settings = _settings()
    configure_logging("WARNING")

    async def run() -> str:
        async with open_adapters(settings) as adapters:
            change_role = build_use_cases(adapters).get(ChangeRole)
            user = await change_role.from_command_line(username, Role(role))
            return user.username

    try:
        name = asyncio.run(run())
    except NotFound as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"{name} is now {role}")


@main.command()
def reindex() -> None:
    """Rebuild the search index from the database, with no downtime: queries use the old index
    until the new one is complete; changes made meanwhile are applied to the new one after."""
    from social.adapters.observability.logs import configure_logging
    from social.bootstrap import build_use_cases, open_adapters
    from social.domain.search.rebuild_index import RebuildSearchIndex

    settings = _settings()
    configure_logging(
        "WARNING" if settings.process.log_level == "INFO" else settings.process.log_level
    )

    async def run() -> int:
        async with open_adapters(settings) as adapters:
            rebuild = build_use_cases(adapters).get(RebuildSearchIndex)
            total = await rebuild.total()
            with _ProgressBar("indexing") as bar:
                bar(0, total)
                return await rebuild.execute(lambda count: bar(count, total))

    written = asyncio.run(run())
    click.echo(f"search index rebuilt: {written} documents")


class _ProgressBar:
    """click's progress bar on stderr, for work whose total is known once it has started."""

    def __init__(self, label: str) -> None:
        self._label = label
        self._bar: Any = None
        self._done = 0

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = click.progressbar(length=total, label=self._label, file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


@asynccontextmanager
async def _backup_services(settings: Settings) -> AsyncIterator[tuple[str, MediaStorage, str]]:
    """(database URL, media storage, secret-key fingerprint) for ``backup`` and ``restore``: the
    embedded server is joined (or started) as ``open_adapters`` does, but never migrated here."""
    from social.adapters.security.keys import KeyRing
    from social.bootstrap import embedded_database, open_storage
    from social.ops.backup import key_fingerprint

    async with AsyncExitStack() as stack:
        url = stack.enter_context(embedded_database(settings))
        keys = KeyRing.from_settings(settings)
        storage, _ = await open_storage(settings, keys, stack, [])
        yield url, storage, key_fingerprint(keys.email_lookup_key)


def _run_archive_command(run: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``backup`` or ``restore``; their refusals and failures become one clear message."""
    from social.domain.shared.errors import DomainError
    from social.ops.backup import BackupError

    try:
        return asyncio.run(run())
    except (BackupError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    except DomainError as exc:  # the storage unreachable, say
        raise click.ClickException(exc.message) from None


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def backup(path: Path) -> None:
    """Write the database (every table, as binary COPY) and every media object to one archive
    file PATH, with a manifest; replaced only once complete. Redis, the search index and the
    secret key are not in it (see docs/operations.md)."""
    from social.adapters.observability.logs import configure_logging
    from social.ops.backup import back_up

    settings = _settings()
    configure_logging(
        "WARNING" if settings.process.log_level == "INFO" else settings.process.log_level
    )

    async def run() -> Manifest:
        async with _backup_services(settings) as (url, storage, key_check):
            with _ProgressBar("backing up") as bar:
                return await back_up(
                    path, database_url=url, storage=storage, key_check=key_check, progress=bar
                )

    manifest = _run_archive_command(run)
    for warning in manifest.warnings():
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"backup written to {path}: {manifest.summary()}")


@main.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--force", is_flag=True, help="Delete the data already there (rows and media objects) first."
)
def restore(path: Path, force: bool) -> None:
    """Restore an archive made by ``social backup``: migrate to its revision, load every table
    in one transaction (row counts checked against its manifest) and put every media object
    back. Refuses a database or storage that holds data, unless --force. Stop the API and the
    workers first; run ``social reindex`` after (OpenSearch is not in the archive)."""
    from social.adapters.observability.logs import configure_logging
    from social.ops.backup import restore as restore_archive

    settings = _settings()
    configure_logging(
        "WARNING" if settings.process.log_level == "INFO" else settings.process.log_level
    )

    async def run() -> Restored:
        async with _backup_services(settings) as (url, storage, key_check):
            with _ProgressBar("restoring") as bar:
                return await restore_archive(
                    path,
                    database_url=url,
                    storage=storage,
                    force=force,
                    key_check=key_check,
                    progress=bar,
                )

    restored = _run_archive_command(run)
    for note in restored.notes():
        click.echo(note, err=True)
    made = f"{restored.manifest.created_at:%Y-%m-%d %H:%M} UTC"
    click.echo(f"restored {path} (made {made}): {restored.manifest.summary()}")


@main.command()
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@click.option("--downgrade", is_flag=True, help="Go down to --revision instead of up.")
def migrate(revision: str, downgrade: bool) -> None:
    """Apply database migrations (to the embedded database when none is configured)."""
    from social.adapters.observability.logs import configure_logging
    from social.adapters.postgres import migrations
    from social.bootstrap.database import embedded_database

    settings = _settings()
    configure_logging(settings.process.log_level)
    with embedded_database(settings) as url:
        if downgrade:
            migrations.downgrade(url, revision)
        else:
            migrations.upgrade(url, revision)
    click.echo(f"database at revision {revision}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
