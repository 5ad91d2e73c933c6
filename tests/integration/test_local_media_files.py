"""Local-disk media under deletion: a response in flight keeps its bytes; later ones get 404."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from litestar import Litestar
from litestar.testing import AsyncTestClient

from social.adapters.http.errors import exception_handlers
from social.adapters.http.media_files import media_files_router
from social.adapters.storage.local_disk import LocalDiskMediaStorage
from social.domain.media.ports import as_body

KEY = "avatars/u/m/small.jpg"


async def test_delete_during_and_after_a_download(tmp_path: Path) -> None:
    storage = LocalDiskMediaStorage(
        tmp_path, base_url="http://testserver.local", signing_key=b"k" * 32
    )
    await storage.put(KEY, as_body(b"jpeg bytes" * 1000), content_type="image/jpeg")
    handle, info = await storage.open(KEY)
    await storage.delete(KEY)
    assert handle.read() == b"jpeg bytes" * 1000 and info.size == 10_000
    handle.close()

    url = await storage.presigned_get_url(KEY, expires_in=timedelta(minutes=5))
    app = Litestar(
        route_handlers=[media_files_router(lambda _: storage, max_upload_bytes=1000)],
        exception_handlers=exception_handlers(),
    )
    async with AsyncTestClient(app=app) as client:
        response = await client.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
