"""Upload → process → post → delete on the production stack: MinIO, Redis/SAQ with the
``social worker`` process, OpenSearch; and a worker killed mid-job loses nothing."""

from __future__ import annotations

import asyncio
import io
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from minio import Minio
from PIL import Image
from saq import Queue

from social.adapters.jobs.saq_queue import QUEUE_NAME
from social.app import create_app
from social.bootstrap import open_adapters
from social.domain.shared.pagination import PageRequest
from social.settings import Settings
from tests.api.conftest import PASSWORD, bearer, eventually
from tests.integration.conftest import start_worker
from tests.media_files import jpeg_with_gps, mp4
from tests.services import S3Config


async def stop(process: Any) -> str:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    output: Any = await asyncio.wait_for(process.communicate(), 30)
    return str(output[0].decode(errors="replace"))


@pytest.fixture
async def worker(production: Settings) -> AsyncIterator[Any]:
    process = await start_worker(production)
    yield process
    await stop(process)


@pytest.fixture
async def client(production: Settings) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=create_app(production)) as test_client:
        yield test_client


async def sign_up(client: AsyncTestClient[Litestar], username: str) -> dict[str, str]:
    body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    response = await client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 201, response.text
    return bearer(response.json()["tokens"]["access_token"])


async def settled(
    client: AsyncTestClient[Litestar], auth: dict[str, str], media_id: str, seconds: float = 90
) -> dict[str, Any]:
    state: dict[str, Any] = {}

    async def done() -> bool:
        state.update((await client.get(f"/api/v1/media/{media_id}", headers=auth)).json())
        return bool(state["status"] != "processing")

    await eventually(done, seconds)
    return state


async def presigned_upload(
    client: AsyncTestClient[Litestar], auth: dict[str, str], content: bytes, content_type: str
) -> dict[str, Any]:
    """The large-file path: a presigned PUT straight to MinIO, then ``complete``."""
    kind = content_type.split("/")[0]
    created = await client.post(
        "/api/v1/media/uploads",
        json={"kind": kind, "content_type": content_type, "size": len(content)},
        headers=auth,
    )
    assert created.status_code == 201, created.text
    async with httpx.AsyncClient() as http:
        put = await http.put(
            created.json()["upload_url"], content=content, headers={"content-type": content_type}
        )
    assert put.status_code == 200, put.text
    media_id = created.json()["media"]["id"]
    completed = await client.post(f"/api/v1/media/{media_id}/complete", headers=auth)
    assert completed.status_code == 202, completed.text
    return dict(completed.json())


def objects(settings: Settings, s3: S3Config) -> list[str]:
    minio = Minio(s3.endpoint, s3.access_key, s3.secret_key, secure=False)
    if not minio.bucket_exists(settings.services.s3_bucket):
        return []
    return [
        o.object_name or "" for o in minio.list_objects(settings.services.s3_bucket, recursive=True)
    ]


async def tagged(settings: Settings, tag: str) -> list[str]:
    async with open_adapters(settings) as adapters:
        await adapters.search.refresh()
        page = await adapters.search.posts_by_tag(tag, PageRequest(limit=10))
    return [str(post_id) for post_id in page.items]


async def test_upload_process_post_and_delete_on_minio_and_saq(
    production: Settings,
    s3_config: S3Config,
    client: AsyncTestClient[Litestar],
    worker: Any,
    tmp_path: Path,
) -> None:
    auth = await sign_up(client, "alice")
    uploads = []
    for i in range(3):
        response = await client.post(
            "/api/v1/media",
            files={"file": (f"p{i}.jpg", jpeg_with_gps((1600, 1200)), "image/jpeg")},
            headers=auth,
        )
        assert response.status_code == 202, response.text
        uploads.append(response.json())
    uploads.append(await presigned_upload(client, auth, mp4(tmp_path), "video/mp4"))
    media = [await settled(client, auth, item["id"]) for item in uploads]
    assert [m["status"] for m in media] == ["ready"] * 4, media
    assert media[3]["kind"] == "video" and media[3]["duration_s"] > 0
    async with httpx.AsyncClient() as http:
        for item in media[:3]:
            for variant in item["variants"]:
                fetched = await http.get(variant["url"])  # presigned MinIO GET
                assert fetched.status_code == 200
                assert b"SpyCam" not in fetched.content
                assert not Image.open(io.BytesIO(fetched.content)).getexif()
        video = await http.get(media[3]["url"])
        assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    assert not any(key.endswith("/original") for key in objects(production, s3_config))

    created = await client.post(
        "/api/v1/posts",
        json={
            "caption": "Sunrise at #Bromo",
            "media_ids": [m["id"] for m in media],
            "tags": ["java"],
            "place": {"name": "Mount Bromo", "latitude": -7.9425, "longitude": 112.953},
        },
        headers=auth,
    )
    assert created.status_code == 201, created.text
    post = created.json()
    assert [m["id"] for m in post["media"]] == [m["id"] for m in media]

    async def indexed() -> bool:
        return await tagged(production, "bromo") == [post["id"]]

    await eventually(indexed, 30)
    edited = await client.patch(
        f"/api/v1/posts/{post['id']}", json={"caption": "Sunrise at #Penanjakan"}, headers=auth
    )
    assert edited.status_code == 200 and edited.json()["tags"] == ["penanjakan", "java"]

    async def reindexed() -> bool:
        return await tagged(production, "penanjakan") == [post["id"]]

    await eventually(reindexed, 30)
    assert await tagged(production, "bromo") == []

    deleted = await client.delete(f"/api/v1/posts/{post['id']}", headers=auth)
    assert deleted.status_code == 204
    assert (await client.get(f"/api/v1/posts/{post['id']}")).status_code == 404

    async def erased() -> bool:
        return not objects(production, s3_config) and not await tagged(production, "java")

    await eventually(erased, 30)


async def test_a_worker_killed_mid_job_loses_nothing(
    production: Settings, tmp_path: Path, s3_config: S3Config
) -> None:
    """SIGKILL leaves the job ``active``; its heartbeat goes stale, the next sweep of another
    worker queues it again, and the video ends ``ready`` as if nothing had happened."""
    settings = production.with_values(job_heartbeat_s=3, job_sweep_s=1)
    fast = {"job_heartbeat_s": "3", "job_sweep_s": "1", "job_concurrency": "1"}
    clip = mp4(tmp_path, seconds=20, size="1280x720")
    first = await start_worker(settings, **fast)
    queue = Queue.from_url(settings.services.redis_url, name=QUEUE_NAME)
    try:
        async with AsyncTestClient(app=create_app(settings)) as client:
            auth = await sign_up(client, "alice")
            uploaded = await client.post(
                "/api/v1/media", files={"file": ("long.mp4", clip, "video/mp4")}, headers=auth
            )
            assert uploaded.status_code == 202, uploaded.text
            media_id = uploaded.json()["id"]

            async def running() -> bool:
                return await queue.count("active") > 0

            await eventually(running, 30)
            await asyncio.sleep(1.0)  # well inside the transcode
            first.send_signal(signal.SIGKILL)
            await first.wait()
            state = (await client.get(f"/api/v1/media/{media_id}", headers=auth)).json()
            assert state["status"] == "processing"

            second = await start_worker(settings, **fast)
            try:
                done = await settled(client, auth, media_id, seconds=120)
            finally:
                log = await stop(second)
            assert done["status"] == "ready", (done, log[-3000:])
            assert done["duration_s"] == pytest.approx(20, abs=0.5)
            runs = [job async for job in queue.iter_jobs() if job.function == "process_media"]
            assert [(job.status, job.attempts) for job in runs] == [("complete", 2)]
    finally:
        await queue.disconnect()
        if first.returncode is None:
            first.kill()
        await first.communicate()
    keys = objects(settings, s3_config)
    assert not any(key.endswith("/original") for key in keys), keys
