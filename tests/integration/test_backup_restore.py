"""``social backup`` / ``social restore`` (OPS-6), run as the real command: back up, wipe,
restore, and find every row and every object's bytes again — on PostgreSQL + MinIO, and on the
embedded shape (its own PostgreSQL, media on the local disk) into a brand-new data directory.
A restore refuses a target that holds data unless ``--force``, and a file that is no backup."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tarfile
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]  # no stubs or py.typed
import pytest
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import AsyncTestClient
from minio import Minio
from sqlalchemy.engine import make_url

from social.adapters.postgres.database import Database
from social.adapters.postgres.embedded import EmbeddedPostgres
from social.adapters.storage.local_disk import LocalDiskMediaStorage
from social.app import create_app
from social.cli import main
from social.domain.media.ports import as_body
from social.settings import Settings
from tests.api.conftest import api_settings, eventually
from tests.conftest import TEST_SECRET
from tests.integration.conftest import start_worker, worker_environment
from tests.integration.test_media_pipeline import settled, sign_up, stop
from tests.media_files import jpeg
from tests.services import S3Config

Rows = dict[str, set[tuple[Any, ...]]]
SEQUENCES = "(sequences)"
Objects = dict[str, tuple[str, bytes]]

# Tables the sample data must fill, or the comparison would prove little.
FILLED = {
    "alembic_version",
    "users",
    "auth_sessions",
    "refresh_tokens",
    "follows",
    "media",
    "posts",
    "post_media",
    "likes",
    "comments",
    "notifications",
    "audit_log",
}


async def social(*args: str, env: dict[str, str]) -> tuple[int, str, float]:
    """``python -m social ARGS``: exit code, stdout and stderr together, seconds taken."""
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "social",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 300)
    assert process.returncode is not None
    return process.returncode, output.decode(errors="replace"), time.perf_counter() - started


def _hashable(value: Any) -> Any:
    return tuple(_hashable(item) for item in value) if isinstance(value, list) else value


async def _connect(url: str) -> Any:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return await asyncpg.connect(dsn)


async def _tables(connection: Any) -> list[str]:
    rows = await connection.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        " AND tablename NOT LIKE 'saq\\_%' ORDER BY 1"
    )
    return [row[0] for row in rows]


async def table_rows(url: str) -> Rows:
    """Every row of every table but SAQ's queue, as a set of tuples per table; and under
    ``SEQUENCES`` where each sequence is (the next identity value must not collide)."""
    connection = await _connect(url)
    try:
        found: Rows = {}
        for table in await _tables(connection):
            rows = await connection.fetch(f'SELECT * FROM "{table}" ORDER BY 1')
            found[table] = {tuple(_hashable(v) for v in row.values()) for row in rows}
        sequences = await connection.fetch(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            " AND sequencename NOT LIKE 'saq\\_%'"
        )
        found[SEQUENCES] = {tuple(row.values()) for row in sequences}
        return found
    finally:
        await connection.close()


async def wipe_rows(url: str) -> None:
    connection = await _connect(url)
    try:
        tables = [f'"{t}"' for t in await _tables(connection) if t != "alembic_version"]
        await connection.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
    finally:
        await connection.close()


async def make_admin(url: str, username: str) -> None:
    connection = await _connect(url)
    try:
        await connection.execute("UPDATE users SET role = 'admin' WHERE username = $1", username)
    finally:
        await connection.close()


def filled(rows: Rows) -> set[str]:
    return {table for table, found in rows.items() if found}


async def populate(client: AsyncTestClient[Litestar], database_url: str) -> None:
    """Users, follows, an avatar, a post with two photos, a like, a comment, the notifications
    they cause, and a role change in the audit log — all through HTTP."""
    alice = await sign_up(client, "alice")
    await make_admin(database_url, "alice")
    bob, carol = await sign_up(client, "bob"), await sign_up(client, "carol")
    for fan in (bob, carol):
        followed = await client.post("/api/v1/users/alice/follow", headers=fan)
        assert followed.status_code == 200, followed.text
    avatar = await client.put(
        "/api/v1/me/avatar",
        files={"file": ("me.jpg", jpeg((400, 400), (10, 200, 90)), "image/jpeg")},
        headers=alice,
    )
    assert avatar.status_code == 200, avatar.text
    media_ids = []
    for i, color in enumerate([(200, 30, 30), (30, 30, 200)]):
        uploaded = await client.post(
            "/api/v1/media",
            files={"file": (f"p{i}.jpg", jpeg((800, 600), color), "image/jpeg")},
            headers=alice,
        )
        assert uploaded.status_code == 202, uploaded.text
        media_ids.append(uploaded.json()["id"])
    assert [(await settled(client, alice, m))["status"] for m in media_ids] == ["ready"] * 2
    post = await client.post(
        "/api/v1/posts",
        json={"caption": "Restore drill #backup with @bob", "media_ids": media_ids},
        headers=alice,
    )
    assert post.status_code == 201, post.text
    url = f"/api/v1/posts/{post.json()['id']}"
    assert (await client.post(f"{url}/like", headers=bob)).status_code in {200, 201}
    comment = await client.post(f"{url}/comments", json={"text": "Safe!"}, headers=carol)
    assert comment.status_code == 201, comment.text
    carol_id = (await client.get("/api/v1/users/carol")).json()["id"]
    role = await client.put(
        f"/api/v1/admin/users/{carol_id}/role", json={"role": "moderator"}, headers=alice
    )
    assert role.status_code == 204, role.text

    async def notified() -> bool:
        got = await client.get("/api/v1/notifications", headers=alice)
        return {"follow", "like", "comment"} <= {n["kind"] for n in got.json()["items"]}

    await eventually(notified, 90)


# --- PostgreSQL + MinIO ----------------------------------------------------------------------


def bucket_objects(settings: Settings, s3: S3Config) -> Objects:
    minio = Minio(s3.endpoint, s3.access_key, s3.secret_key, secure=False)
    found: Objects = {}
    for item in minio.list_objects(settings.services.s3_bucket, recursive=True):
        name = item.object_name or ""
        response = minio.get_object(settings.services.s3_bucket, name)
        try:
            body = response.read()
        finally:
            response.close()
            response.release_conn()
        content_type = minio.stat_object(settings.services.s3_bucket, name).content_type or ""
        found[name] = (content_type, body)
    return found


def empty_bucket(settings: Settings, s3: S3Config) -> None:
    minio = Minio(s3.endpoint, s3.access_key, s3.secret_key, secure=False)
    for item in minio.list_objects(settings.services.s3_bucket, recursive=True):
        minio.remove_object(settings.services.s3_bucket, item.object_name or "")


async def test_backup_wipe_and_restore_on_postgres_and_minio(
    production: Settings, s3_config: S3Config, database_url: str, tmp_path: Path
) -> None:
    worker = await start_worker(production)
    try:
        async with AsyncTestClient(app=create_app(production)) as client:
            await populate(client, database_url)
    finally:
        await stop(worker)  # nothing may change the data from here on
    before, objects = await table_rows(database_url), bucket_objects(production, s3_config)
    assert filled(before) >= FILLED, FILLED - filled(before)
    assert any(key.endswith("/thumb.jpg") for key in objects) and len(objects) >= 8
    archive, env = tmp_path / "social.tar", worker_environment(production)

    code, output, seconds = await social("backup", str(archive), env=env)

    assert code == 0, output
    assert output.splitlines()[-1].startswith(f"backup written to {archive}: ")
    assert f"{len(objects)} media objects" in output
    print(f"backup of {len(objects)} objects took {seconds:.1f} s")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[-1] == "manifest.json" and len(names) == len(before) - 1 + len(objects) + 1
    assert archive.stat().st_mode & 0o077 == 0  # password hashes inside: owner only
    await wipe_rows(database_url)
    await asyncio.to_thread(empty_bucket, production, s3_config)
    assert filled(await table_rows(database_url)) <= {"alembic_version", SEQUENCES}
    assert await asyncio.to_thread(bucket_objects, production, s3_config) == {}

    code, output, _ = await social("restore", str(archive), "--force", env=env)

    assert code == 0, output
    assert output.splitlines()[-1].startswith(f"restored {archive} (made ")
    assert "social reindex" in output
    after = await table_rows(database_url)
    assert after.keys() == before.keys()
    for table, rows in before.items():
        assert after[table] == rows, table
    assert await asyncio.to_thread(bucket_objects, production, s3_config) == objects


# --- the embedded shape: its own PostgreSQL, media on the local disk ---------------------------


@pytest.fixture
def data_dirs() -> Iterator[tuple[Path, Path]]:
    """Two data directories with short paths (the server's unix socket lives in them)."""
    root = Path(tempfile.mkdtemp(prefix="social-bk-"))
    try:
        yield root / "old", root / "new"
    finally:
        shutil.rmtree(root, ignore_errors=True)


def embedded_environment(data_dir: Path) -> dict[str, str]:
    """No service settings at all, as on a laptop: only the data directory and the secret."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIAL_")}
    return env | {"SOCIAL_DATA_DIR": str(data_dir), "SOCIAL_SECRET_KEY": TEST_SECRET.decode()}


async def embedded_rows(data_dir: Path) -> Rows:
    server = EmbeddedPostgres(data_dir / "postgres")
    url = await asyncio.to_thread(server.start)
    try:
        return await table_rows(url)
    finally:
        await asyncio.to_thread(server.stop)


def media_files(data_dir: Path) -> dict[str, bytes]:
    """Every file the local-disk storage holds: the objects and their content-type files."""
    root = data_dir / "media"
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


async def test_backup_of_the_embedded_shape_restores_into_a_new_data_directory(
    data_dirs: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = data_dirs
    settings = api_settings("", old, run_worker_in_process=True)  # embedded PostgreSQL
    async with AsyncTestClient(app=create_app(settings)) as client:
        url = make_url(f"postgresql+asyncpg://postgres:@/social?host={old / 'postgres'}")
        await populate(client, url.render_as_string(hide_password=False))
    before, files = await embedded_rows(old), await asyncio.to_thread(media_files, old)
    assert filled(before) >= FILLED, FILLED - filled(before)
    assert any(name.endswith("/thumb.jpg@object") for name in files)
    archive = tmp_path / "laptop.tar"

    code, output, _ = await social("backup", str(archive), env=embedded_environment(old))

    assert code == 0, output
    code, output, _ = await social("restore", str(archive), env=embedded_environment(new))

    assert code == 0, output  # a brand-new database needs no --force
    assert await embedded_rows(new) == before
    assert await asyncio.to_thread(media_files, new) == files


# --- refusals --------------------------------------------------------------------------------


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """The app, closed on exit: whatever it writes after responding is written by then."""
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield client


def local_environment(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIAL_")}
    return env | {
        "SOCIAL_DATABASE_URL": settings.services.database_url,
        "SOCIAL_DATA_DIR": str(settings.process.data_dir),
        "SOCIAL_SECRET_KEY": settings.process.secret_key,
    }


async def test_restore_refuses_data_without_force_and_replaces_it_with_force(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    """The test database with media on the local disk (no services but PostgreSQL)."""
    settings = api_settings(database_url, tmp_path / "data")
    env, archive = local_environment(settings), tmp_path / "users.tar"
    async with running(settings) as client:
        for name in ("alice", "bob"):
            await sign_up(client, name)
    code, output, _ = await social("backup", str(archive), env=env)
    assert code == 0, output
    backed_up = await table_rows(database_url)
    async with running(settings) as client:
        await sign_up(client, "mallory")
    storage = LocalDiskMediaStorage(
        settings.process.media_dir, base_url="http://test", signing_key=TEST_SECRET
    )
    await storage.put(
        "media/stray/original", as_body(b"not in the archive"), content_type="image/png"
    )
    changed = await table_rows(database_url)

    code, output, _ = await social("restore", str(archive), env=env)

    assert code != 0
    assert "refusing to restore over existing data" in output and "--force" in output
    assert "Traceback" not in output
    assert await table_rows(database_url) == changed
    assert await storage.stat("media/stray/original") is not None

    other_key = env | {"SOCIAL_SECRET_KEY": "another-secret-key-of-at-least-32-bytes!!"}
    code, output, _ = await social("restore", str(archive), "--force", env=other_key)

    assert code == 0, output
    assert await table_rows(database_url) == backed_up
    assert await storage.stat("media/stray/original") is None
    assert "removed 1 media objects not in the archive" in output
    assert "warning: the archive was made under another secret key" in output
    async with running(settings) as client:  # new rows get fresh ids after the restored ones
        await sign_up(client, "mallory")


def test_restore_refuses_files_that_are_not_complete_backups(tmp_path: Path) -> None:
    """Nothing is touched, and the message says why (checked before any connection)."""
    garbage = tmp_path / "garbage.tar"
    garbage.write_bytes(b"this is not a tar archive at all" * 100)
    partial = tmp_path / "partial.tar"
    with tarfile.open(partial, "w") as tar:
        tar.add(garbage, arcname="database/users.copy.gz")  # the manifest never got written
    env = {
        "SOCIAL_DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none",
        "SOCIAL_DATA_DIR": str(tmp_path / "data"),
        "SOCIAL_SECRET_KEY": TEST_SECRET.decode(),
    }

    for path, reason in [(garbage, "not a tar archive"), (partial, "has no manifest.json")]:
        result = CliRunner().invoke(main, ["restore", str(path), "--force"], env=env)

        assert result.exit_code != 0
        assert reason in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
