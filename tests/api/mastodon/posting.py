"""What the write tests share: a real JPEG made with Pillow, an app with the upload wait of
one's choice, uploads and statuses through the app API."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient
from PIL import Image

from social.adapters.postgres.database import Database
from social.app import create_app
from tests.api.conftest import Api, api_settings, bearer

__all__ = ["V1_MEDIA", "app_api", "jpeg", "media_status", "ready_photo", "upload"]

V1_MEDIA = "/_mastodon/api/v1/media"
"""Where the app API's ``/api/v1/media`` lives beside the native one (the dispatcher sends
app-token callers there)."""


def jpeg(size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = (200, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=80)
    return out.getvalue()


@asynccontextmanager
async def app_api(
    database: Database, database_url: str, tmp_path: Path, **settings: Any
) -> AsyncIterator[Api]:
    """The app with these settings (``run_worker_in_process``, ``media_upload_wait_s``...)."""
    app = create_app(api_settings(database_url, tmp_path, **settings))
    async with AsyncTestClient(app=app) as client:
        yield Api(client=client, database=database)


async def upload(
    api: Api,
    token: str,
    content: bytes | None = None,
    *,
    path: str = "/api/v2/media",
    description: str | None = "a small orange square",
    **headers: str,
) -> Any:
    data = {"focus": "0.2,-0.5"} | ({"description": description} if description else {})
    return await api.client.post(
        path,
        files={"file": ("photo.jpg", content or jpeg(), "image/jpeg")},
        data=data,
        headers=bearer(token) | headers,
    )


async def ready_photo(api: Api, token: str) -> dict[str, Any]:
    """An uploaded photo, processed (on an app whose worker runs in process)."""
    response = await upload(api, token)
    assert response.status_code == 200, response.text
    media: dict[str, Any] = response.json()
    assert media["url"], media
    return media


async def media_status(api: Api, token: str, text: str = "hello #cats", **extra: Any) -> Any:
    """``POST /api/v1/statuses`` with one fresh photo, as Mastodon.py's form."""
    media = await ready_photo(api, token)
    return await api.client.post(
        "/api/v1/statuses",
        data={"status": text, "media_ids[]": [media["id"]], **extra},
        headers=bearer(token),
    )
