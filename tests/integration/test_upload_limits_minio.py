"""Upload limits on the production stack: MinIO itself refuses a presigned PUT whose body is not
the declared size and content type (they are signed into the URL), and the storage quota holds
with MinIO behind it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from litestar.testing import AsyncTestClient
from minio import Minio

from social.app import create_app
from social.settings import Settings
from tests.integration.test_media_pipeline import sign_up
from tests.media_files import jpeg
from tests.services import S3Config


def stored(settings: Settings, s3: S3Config) -> list[str]:
    minio = Minio(s3.endpoint, s3.access_key, s3.secret_key, secure=False)
    if not minio.bucket_exists(settings.services.s3_bucket):
        return []
    return [
        o.object_name or "" for o in minio.list_objects(settings.services.s3_bucket, recursive=True)
    ]


async def test_minio_refuses_a_body_other_than_declared(
    production: Settings, s3_config: S3Config
) -> None:
    content = jpeg()
    async with AsyncTestClient(app=create_app(production)) as client:
        auth = await sign_up(client, "alice")
        created = await client.post(
            "/api/v1/media/uploads",
            json={"kind": "image", "content_type": "image/jpeg", "size": len(content)},
            headers=auth,
        )
        assert created.status_code == 201, created.text
        url, media_id = created.json()["upload_url"], created.json()["media"]["id"]

        async def chunks() -> AsyncIterator[bytes]:
            yield content[:1000]
            yield content[1000:]

        async with httpx.AsyncClient() as http:
            larger = await http.put(
                url, content=content + b"\0" * 1_000_000, headers={"Content-Type": "image/jpeg"}
            )
            shorter = await http.put(
                url, content=content[:-1], headers={"Content-Type": "image/jpeg"}
            )
            other_type = await http.put(url, content=content, headers={"Content-Type": "text/html"})
            chunked = await http.put(url, content=chunks(), headers={"Content-Type": "image/jpeg"})
            refused = [larger, shorter, other_type, chunked]
            assert [r.status_code for r in refused] == [403, 403, 403, 411], [
                r.text for r in refused
            ]
            assert stored(production, s3_config) == []
            early = await client.post(f"/api/v1/media/{media_id}/complete", headers=auth)
            assert early.status_code == 409

            exact = await http.put(url, content=content, headers={"Content-Type": "image/jpeg"})
        assert exact.status_code == 200, exact.text
        completed = await client.post(f"/api/v1/media/{media_id}/complete", headers=auth)
        assert completed.status_code == 202, completed.text


async def test_the_quota_holds_on_the_production_stack(production: Settings) -> None:
    settings = production.with_values(storage_quota_bytes=1000)
    async with AsyncTestClient(app=create_app(settings)) as client:
        auth = await sign_up(client, "alice")

        async def slot(size: int) -> httpx.Response:
            return await client.post(
                "/api/v1/media/uploads",
                json={"kind": "video", "content_type": "video/mp4", "size": size},
                headers=auth,
            )

        assert (await slot(1000)).status_code == 201
        refused = await slot(1)
        assert refused.status_code == 413
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["type"] == "/problems/storage-quota-exceeded"
