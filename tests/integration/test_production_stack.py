"""The production composition: every port on its real service, two API processes and the
``social worker`` command sharing them."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

import httpx
from litestar.testing import AsyncTestClient
from minio import Minio
from saq import Queue

from social.adapters.jobs.saq_queue import QUEUE_NAME
from social.app import create_app
from social.settings import Settings
from tests.api.conftest import PASSWORD
from tests.integration.conftest import start_worker
from tests.media_files import jpeg_with_gps
from tests.services import S3Config


async def test_every_dependency_is_real_and_ready(production: Settings) -> None:
    async with AsyncTestClient(app=create_app(production)) as client:
        ready = await client.get("/health/ready")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {
            "database": "ok",
            "redis": "ok",
            "storage": "ok",
            "search": "ok",
            "jobs": "ok",
        }
        body = {"username": "alice", "email": "alice@example.com", "password": PASSWORD}
        assert (await client.post("/api/v1/auth/register", json=body)).status_code == 201
        login = await client.post(
            "/api/v1/auth/login", json={"login": "alice", "password": PASSWORD}
        )
        assert login.status_code == 200


async def test_rate_limits_hold_across_api_processes(production: Settings) -> None:
    first, second = create_app(production), create_app(production)
    body = {"login": "nobody", "password": PASSWORD}
    async with AsyncTestClient(app=first) as a, AsyncTestClient(app=second) as b:
        statuses = [
            (await client.post("/api/v1/auth/login", json=body)).status_code
            for client in (a, b, a, b, a, b)
        ]
    assert statuses == [401, 401, 401, 401, 429, 429]


async def test_a_users_write_budget_is_shared_by_every_api_process(production: Settings) -> None:
    settings = production.with_values(rate_limit_writes=3)
    first, second = create_app(settings), create_app(settings)
    async with AsyncTestClient(app=first) as a, AsyncTestClient(app=second) as b:
        body = {"username": "alice", "email": "alice@example.com", "password": PASSWORD}
        token = (await a.post("/api/v1/auth/register", json=body)).json()["tokens"]
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        statuses = [
            (await client.patch("/api/v1/me", json={"bio": "x"}, headers=headers)).status_code
            for client in (a, b, a, b)
        ]
    assert statuses == [200, 200, 200, 429]


async def test_the_worker_command_runs_jobs_and_stops_on_sigterm(production: Settings) -> None:
    process = await start_worker(production)
    queue = Queue.from_url(production.services.redis_url, name=QUEUE_NAME)
    try:
        job = await queue.enqueue("purge_expired_sessions")
        assert job is not None
        await job.refresh(until_complete=30)
        assert job.status == "complete", job
        assert job.result == 0
    finally:
        await queue.disconnect()
        process.send_signal(signal.SIGTERM)
        output: Any = await asyncio.wait_for(process.communicate(), 15)
    assert process.returncode == 0, output[0].decode()[-2000:]
    assert b'"worker started"' in output[0] and b'"worker stopping"' in output[0]


async def test_avatars_live_in_minio_and_deletion_erases_them(
    production: Settings, s3_config: S3Config
) -> None:
    settings = production.with_values(run_worker_in_process=True)  # jobs through Redis/SAQ
    minio = Minio(s3_config.endpoint, s3_config.access_key, s3_config.secret_key, secure=False)
    async with AsyncTestClient(app=create_app(settings)) as client:
        body = {"username": "alice", "email": "alice@example.com", "password": PASSWORD}
        tokens = (await client.post("/api/v1/auth/register", json=body)).json()["tokens"]
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        files = {"file": ("me.jpg", jpeg_with_gps(), "image/jpeg")}
        avatar = (await client.put("/api/v1/me/avatar", files=files, headers=headers)).json()[
            "avatar"
        ]
        async with httpx.AsyncClient() as http:
            for variant in avatar["variants"]:
                fetched = await http.get(variant["url"])  # a presigned MinIO URL
                assert fetched.status_code == 200 and b"SpyCam" not in fetched.content
        keys = [
            o.object_name for o in minio.list_objects(settings.services.s3_bucket, recursive=True)
        ]
        assert len(keys) == 3
        deleted = await client.request(
            "DELETE", "/api/v1/me", json={"password": PASSWORD}, headers=headers
        )
        assert deleted.status_code == 202
        for _ in range(150):
            if not list(minio.list_objects(settings.services.s3_bucket, recursive=True)):
                break
            await asyncio.sleep(0.1)
        assert list(minio.list_objects(settings.services.s3_bucket, recursive=True)) == []
