"""Upload abuse limits through HTTP in the embedded shape (local-disk storage): a presigned
upload takes exactly the declared size and content type, and every user's media has a storage
quota that concurrent requests cannot squeeze past and that deleting media frees again."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from litestar.testing import AsyncTestClient

from social.adapters.postgres.database import Database
from social.app import create_app
from tests.api.conftest import Api, api_settings, bearer, eventually
from tests.api.test_posts import processed, upload
from tests.media_files import jpeg

QUOTA_TYPE = "/problems/storage-quota-exceeded"


async def request_slot(
    api: Api, token: str, size: int, content_type: str = "image/jpeg"
) -> httpx.Response:
    return await api.client.post(
        "/api/v1/media/uploads",
        json={"kind": content_type.split("/")[0], "content_type": content_type, "size": size},
        headers=bearer(token),
    )


def problem(response: Any) -> dict[str, Any]:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code
    return body


def stored_originals(data_dir: Path) -> list[Path]:
    return [p for p in (data_dir / "media").rglob("original@object") if p.is_file()]


async def test_a_presigned_slot_takes_only_what_was_declared(api: Api, tmp_path: Path) -> None:
    """Before, the URL took anything up to the video limit; only ``complete`` judged it."""
    token = await api.token_for("alice")
    content = jpeg()
    created = await request_slot(api, token, len(content))
    assert created.status_code == 201, created.text
    url, media_id = created.json()["upload_url"], created.json()["media"]["id"]

    async def put(body: bytes, content_type: str = "image/jpeg") -> Any:
        return await api.client.put(url, content=body, headers={"Content-Type": content_type})

    larger = await put(content + b"\0" * 100_000)
    assert larger.status_code == 413
    assert problem(larger)["type"] == "/problems/payload-too-large"
    other_type = await put(content, "text/html")
    assert other_type.status_code == 415
    assert problem(other_type)["type"] == "/problems/unsupported-media-type"
    shorter = await put(content[:-1])
    assert shorter.status_code == 400
    assert problem(shorter)["type"] == "/problems/bad-request"
    assert stored_originals(tmp_path) == []
    nothing_yet = await api.client.post(f"/api/v1/media/{media_id}/complete", headers=bearer(token))
    assert nothing_yet.status_code == 409

    exact = await put(content)
    assert exact.status_code == 204, exact.text
    done = await api.client.post(f"/api/v1/media/{media_id}/complete", headers=bearer(token))
    assert done.status_code == 202, done.text


async def test_slots_count_against_the_storage_quota(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    settings = api_settings(database_url, tmp_path, storage_quota_bytes=1000)
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        alice, bob = await api.token_for("alice"), await api.token_for("bob")

        assert (await request_slot(api, alice, 600)).status_code == 201
        refused = await request_slot(api, alice, 401)
        assert refused.status_code == 413
        body = problem(refused)
        assert body["type"] == QUOTA_TYPE
        assert "1000 bytes" in body["detail"] and "600 bytes in use" in body["detail"]
        assert (await request_slot(api, alice, 400)).status_code == 201  # exactly the quota
        assert (await request_slot(api, alice, 1)).status_code == 413
        assert (await request_slot(api, bob, 1000)).status_code == 201  # a quota per user


async def test_concurrent_slots_cannot_squeeze_past_the_quota(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    settings = api_settings(database_url, tmp_path, storage_quota_bytes=1000)
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        token = await api.token_for("alice")

        answers = await asyncio.gather(*(request_slot(api, token, 600) for _ in range(6)))

        statuses = sorted(response.status_code for response in answers)
        assert statuses == [201, 413, 413, 413, 413, 413], [r.text for r in answers]


async def test_a_direct_upload_is_held_to_the_room_left(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    content = jpeg()
    settings = api_settings(database_url, tmp_path, storage_quota_bytes=len(content) + 500)
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        token = await api.token_for("alice")
        assert (await request_slot(api, token, 1000)).status_code == 201

        response = await upload(api, token, content, "photo.jpg")

        assert response.status_code == 413, response.text
        assert problem(response)["type"] == QUOTA_TYPE
        assert stored_originals(tmp_path) == []  # cut off while streaming; nothing kept
        quota_full = await upload(api, token, b"\xff\xd8\xff" + b"\0" * 10, "tiny.jpg")
        assert quota_full.status_code == 202, quota_full.text  # fits in the 500 bytes left
        assert (await upload(api, token, content, "photo.jpg")).status_code == 413


async def test_deleting_media_frees_its_quota(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    content = jpeg()
    quota = 3 * len(content)
    settings = api_settings(
        database_url, tmp_path, storage_quota_bytes=quota, run_worker_in_process=True
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        token = await api.token_for("alice")
        uploaded = await upload(api, token, content, "photo.jpg")
        assert uploaded.status_code == 202, uploaded.text
        media = await processed(api, token, uploaded.json()["id"])
        assert media["status"] == "ready"
        post = await api.client.post(
            "/api/v1/posts", json={"media_ids": [media["id"]]}, headers=bearer(token)
        )
        assert post.status_code == 201, post.text
        refused = await request_slot(api, token, quota)  # the ready photo's renditions count
        assert refused.status_code == 413 and problem(refused)["type"] == QUOTA_TYPE

        deleted = await api.client.delete(
            f"/api/v1/posts/{post.json()['id']}", headers=bearer(token)
        )
        assert deleted.status_code == 204, deleted.text

        async def freed() -> bool:
            return (await request_slot(api, token, quota, "video/mp4")).status_code == 201

        await eventually(freed, seconds=30)


async def test_a_failed_upload_frees_its_quota(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    settings = api_settings(
        database_url, tmp_path, storage_quota_bytes=1000, run_worker_in_process=True
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        token = await api.token_for("alice")
        created = await request_slot(api, token, 1000)
        assert created.status_code == 201
        not_a_photo = b"\xff\xd8" + b"x" * 998
        put = await api.client.put(
            created.json()["upload_url"],
            content=not_a_photo,
            headers={"Content-Type": "image/jpeg"},
        )
        assert put.status_code == 204, put.text
        media_id = created.json()["media"]["id"]
        assert (await request_slot(api, token, 1)).status_code == 413
        completed = await api.client.post(
            f"/api/v1/media/{media_id}/complete", headers=bearer(token)
        )
        assert completed.status_code == 202

        assert (await processed(api, token, media_id))["status"] == "failed"
        assert (await request_slot(api, token, 1000)).status_code == 201
