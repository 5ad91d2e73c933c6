"""The ``MediaStorage`` contract: the fake, the local disk and MinIO behave the same.

Each contract test runs once per harness. A harness holds the storage and a client that follows
its presigned URLs the way a browser would: the fake's own helpers; a real Litestar app serving
``media_files_router`` for the local disk; httpx against the real MinIO, which checks signatures
and expiry itself. The MinIO harness skips (fails under ``SOCIAL_REQUIRE_SERVICES=1``) without
``SOCIAL_TEST_S3_*``; its bucket is unique to the session and removed at the end.

Adapter-specific behaviour (HTTP headers and limits of the local-disk routes, MinIO's public
endpoint and readiness) is tested after the contract.
"""

from __future__ import annotations

import asyncio
import io
import random
import secrets
import shutil
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from litestar.types import HTTPRequestEvent, HTTPScope, Message
from minio import Minio

from social.adapters.http.media_files import media_files_router
from social.adapters.storage.local_disk import LocalDiskCheck, LocalDiskMediaStorage
from social.adapters.storage.minio_storage import MinioCheck, MinioMediaStorage
from social.domain.media.errors import InvalidObjectKey, ObjectNotFound, ObjectTooLarge
from social.domain.media.ports import MediaStorage, ObjectInfo, as_body
from social.domain.shared.errors import Unavailable
from tests.fakes.media import InMemoryMediaStorage
from tests.fakes.shared import MutableClock
from tests.services import S3Config

MiB = 1024 * 1024
SIGNING_KEY = b"media-files-test-signing-key-of-32+-bytes"
LOCAL_BASE_URL = "http://testserver.local"
CONTRACT_MAX_UPLOAD = 16 * MiB
LONG_ENOUGH = timedelta(minutes=5)
ONE_SECOND = timedelta(seconds=1)
PAST_ONE_SECOND = 2.5  # MinIO's X-Amz-Date has whole seconds; ours round the expiry up


class Harness(Protocol):
    @property
    def storage(self) -> MediaStorage: ...

    async def fetch(self, url: str) -> tuple[int, bytes, Mapping[str, str]]:
        """GET a presigned URL: status, body, headers."""
        ...

    async def upload(self, url: str, data: bytes, content_type: str) -> int:
        """PUT ``data`` to a presigned URL; the status."""
        ...

    async def let_time_pass(self, seconds: float) -> None: ...


@dataclass
class MemoryHarness:
    storage: InMemoryMediaStorage
    clock: MutableClock

    async def fetch(self, url: str) -> tuple[int, bytes, Mapping[str, str]]:
        return await self.storage.fetch(url)

    async def upload(self, url: str, data: bytes, content_type: str) -> int:
        return await self.storage.upload(url, data, content_type)

    async def let_time_pass(self, seconds: float) -> None:
        self.clock.advance(seconds=seconds)


@dataclass
class LocalDiskHarness:
    storage: LocalDiskMediaStorage
    client: AsyncTestClient[Litestar]
    clock: MutableClock

    async def fetch(self, url: str) -> tuple[int, bytes, Mapping[str, str]]:
        response = await self.client.get(url)
        return response.status_code, response.content, response.headers

    async def upload(self, url: str, data: bytes, content_type: str) -> int:
        response = await self.client.put(url, content=data, headers={"Content-Type": content_type})
        return response.status_code

    async def let_time_pass(self, seconds: float) -> None:
        self.clock.advance(seconds=seconds)


@dataclass
class MinioHarness:
    storage: MinioMediaStorage
    http: httpx.AsyncClient

    async def fetch(self, url: str) -> tuple[int, bytes, Mapping[str, str]]:
        response = await self.http.get(url)
        return response.status_code, response.content, response.headers

    async def upload(self, url: str, data: bytes, content_type: str) -> int:
        response = await self.http.put(url, content=data, headers={"Content-Type": content_type})
        return response.status_code

    async def let_time_pass(self, seconds: float) -> None:
        await asyncio.sleep(seconds)  # MinIO checks expiry against its own clock


@asynccontextmanager
async def open_local_disk(
    root: Path, *, max_upload_bytes: int = CONTRACT_MAX_UPLOAD
) -> AsyncIterator[LocalDiskHarness]:
    """The local-disk storage behind a real Litestar app serving its presigned URLs."""
    clock = MutableClock(datetime.now(UTC))
    storage = LocalDiskMediaStorage(
        root, base_url=LOCAL_BASE_URL, signing_key=SIGNING_KEY, clock=clock
    )
    app = Litestar(
        route_handlers=[media_files_router(lambda _: storage, max_upload_bytes=max_upload_bytes)]
    )
    async with AsyncTestClient(app, base_url=LOCAL_BASE_URL) as client:
        yield LocalDiskHarness(storage, client, clock)
    await storage.close()


def _minio_client(config: S3Config) -> Minio:
    return Minio(
        config.endpoint, access_key=config.access_key, secret_key=config.secret_key, secure=False
    )


def _remove_bucket(config: S3Config, bucket: str) -> None:
    client = _minio_client(config)
    # Until empty: should a failed test leave ``a`` and ``a/b`` both, MinIO lists one at a time.
    while items := list(client.list_objects(bucket, recursive=True)):
        for item in items:
            if item.object_name is not None:
                client.remove_object(bucket, item.object_name)
    client.remove_bucket(bucket)


@pytest.fixture
def memory_harness() -> MemoryHarness:
    clock = MutableClock(datetime.now(UTC))
    return MemoryHarness(InMemoryMediaStorage(clock=clock), clock)


@pytest.fixture
async def local_disk_harness(tmp_path: Path) -> AsyncIterator[LocalDiskHarness]:
    async with open_local_disk(tmp_path / "media") as harness:
        yield harness


@pytest.fixture(scope="session")
async def minio_storage(s3_config: S3Config) -> AsyncIterator[MinioMediaStorage]:
    """One bucket for the session (tests use unique keys), emptied and removed at the end."""
    storage = MinioMediaStorage(
        endpoint=s3_config.endpoint,
        access_key=s3_config.access_key,
        secret_key=s3_config.secret_key,
        bucket=f"social-test-{secrets.token_hex(4)}",
    )
    await storage.ensure_bucket()
    try:
        yield storage
    finally:
        await asyncio.to_thread(_remove_bucket, s3_config, storage.bucket)
        await storage.close()


@pytest.fixture
async def minio_harness(minio_storage: MinioMediaStorage) -> AsyncIterator[MinioHarness]:
    async with httpx.AsyncClient() as http:
        yield MinioHarness(minio_storage, http)


@pytest.fixture(params=["memory", "local_disk", "minio"])
def harness(request: pytest.FixtureRequest) -> Harness:
    chosen: Harness = request.getfixturevalue(f"{request.param}_harness")
    return chosen


@pytest.fixture
def key() -> str:
    return f"contract/{uuid.uuid4().hex}/original"


async def chunked(data: bytes, size: int = 65_537) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def shaped(data: bytes, shape: str) -> AsyncIterator[bytes]:
    return as_body(data) if shape == "bytes" else chunked(data)


def tamper(
    url: str, *, signature: bool = False, expiry: bool = False, key: tuple[str, str] | None = None
) -> str:
    """The URL with its signature, expiry or key changed, whatever the adapter calls them."""
    parts = urlsplit(url)
    query = []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        lowered = name.lower()
        if signature and lowered.endswith("signature"):
            value = ("B" if value[0] == "A" else "A") + value[1:]
        if expiry and lowered.endswith("expires"):
            value = str(int(value) + 3600)
        query.append((name, value))
    path = parts.path.replace(*key) if key else parts.path
    return urlunsplit(parts._replace(path=path, query=urlencode(query)))


# --- put / get / stat / delete ---------------------------------------------------------------


async def test_put_then_get_returns_the_bytes(harness: Harness, key: str) -> None:
    info = await harness.storage.put(key, as_body(b"hello"), content_type="image/jpeg")

    assert info == ObjectInfo(key=key, size=5, content_type="image/jpeg")
    assert await harness.storage.get(key) == b"hello"


@pytest.mark.parametrize("shape", ["bytes", "chunks"])
async def test_a_5_mb_object_round_trips(harness: Harness, key: str, shape: str) -> None:
    payload = random.randbytes(5 * MiB + 123)  # past MinIO's 5 MiB part: a multipart upload

    info = await harness.storage.put(key, shaped(payload, shape), content_type="video/mp4")

    assert info == ObjectInfo(key=key, size=len(payload), content_type="video/mp4")
    assert await harness.storage.get(key) == payload
    assert await harness.storage.stat(key) == info


async def test_stream_yields_the_object_in_bounded_chunks(harness: Harness, key: str) -> None:
    payload = random.randbytes(3 * MiB + 7)
    await harness.storage.put(key, as_body(payload), content_type="video/mp4")

    chunks = [chunk async for chunk in await harness.storage.stream(key, chunk_size=MiB)]

    assert b"".join(chunks) == payload
    assert max(len(chunk) for chunk in chunks) <= MiB


async def test_stream_of_a_missing_object_fails_up_front(harness: Harness, key: str) -> None:
    with pytest.raises(ObjectNotFound):
        await harness.storage.stream(key)


async def test_put_replaces_an_existing_object(harness: Harness, key: str) -> None:
    await harness.storage.put(key, as_body(b"old"), content_type="image/png")
    await harness.storage.put(key, chunked(b"newer"), content_type="image/webp")

    assert await harness.storage.get(key) == b"newer"
    assert await harness.storage.stat(key) == ObjectInfo(key, 5, "image/webp")


async def test_empty_objects_are_allowed(harness: Harness, key: str) -> None:
    assert (await harness.storage.put(key, chunked(b""), content_type="image/png")).size == 0
    assert await harness.storage.get(key) == b""


async def test_stat_describes_an_object_or_returns_none(harness: Harness, key: str) -> None:
    assert await harness.storage.stat(key) is None

    await harness.storage.put(key, as_body(b"12345678"), content_type="image/gif")

    assert await harness.storage.stat(key) == ObjectInfo(key, 8, "image/gif")


async def test_get_of_a_missing_key_raises_object_not_found(harness: Harness, key: str) -> None:
    with pytest.raises(ObjectNotFound):
        await harness.storage.get(key)


async def test_delete_is_idempotent(harness: Harness, key: str) -> None:
    await harness.storage.put(key, as_body(b"bye"), content_type="image/png")

    await harness.storage.delete(key)
    await harness.storage.delete(key)
    await harness.storage.delete(f"{key}-never-stored")

    assert await harness.storage.stat(key) is None
    with pytest.raises(ObjectNotFound):
        await harness.storage.get(key)


BAD_KEYS = {
    "empty": "",
    "absolute": "/media/1/original",
    "dot-dot": "media/../secret",
    "only-dot-dot": "..",
    "dot": "media/./original",
    "backslash": "media\\original",
    "nul": "media/\x00original",
    "newline": "media/\noriginal",
    "tab": "media/\toriginal",
    "double-slash": "media//original",
    "trailing-slash": "media/",
    "space": "media/my photo",
    "query": "media/a?b=c",
    "fragment": "media/a#b",
    "percent": "media/%2e%2e",
    "colon": "c:/media",
    "unicode": "média/original",
    "too-long": "/".join(["k" * 100] * 6),
    "segment-too-long": "media/" + "k" * 201,
}


@pytest.mark.parametrize("bad_key", BAD_KEYS.values(), ids=BAD_KEYS.keys())
async def test_invalid_keys_are_refused_everywhere(harness: Harness, bad_key: str) -> None:
    storage = harness.storage
    with pytest.raises(InvalidObjectKey):
        await storage.put(bad_key, as_body(b"x"), content_type="image/png")
    with pytest.raises(InvalidObjectKey):
        await storage.put(bad_key, chunked(b"x"), content_type="image/png")
    with pytest.raises(InvalidObjectKey):
        await storage.get(bad_key)
    with pytest.raises(InvalidObjectKey):
        await storage.stat(bad_key)
    with pytest.raises(InvalidObjectKey):
        await storage.delete(bad_key)
    with pytest.raises(InvalidObjectKey):
        await storage.presigned_get_url(bad_key, expires_in=LONG_ENOUGH)
    with pytest.raises(InvalidObjectKey):
        await storage.presigned_put_url(
            bad_key, content_type="image/png", size=1, expires_in=LONG_ENOUGH
        )


async def test_the_longest_valid_key_is_accepted(harness: Harness) -> None:
    first = uuid.uuid4().hex + "k" * 168
    key = "/".join([first, "k" * 200, "k.-_" * 27 + "k" * 2])
    assert len(key) == 512

    await harness.storage.put(key, as_body(b"long"), content_type="image/png")

    assert await harness.storage.get(key) == b"long"


# --- keys ------------------------------------------------------------------------------------


async def listed(storage: MediaStorage, prefix: str = "") -> list[str]:
    return [found async for found in storage.keys(prefix)]


@pytest.fixture
def tree(key: str) -> list[str]:
    """Keys in a folder of their own: nested, and one (``dirt``) sharing a string prefix."""
    base = key.removesuffix("/original")
    return [f"{base}/one", f"{base}/dir/two", f"{base}/dir/sub/three", f"{base}/dirt"]


async def test_keys_lists_every_object_under_a_prefix_once(
    harness: Harness, key: str, tree: list[str]
) -> None:
    for name in tree:
        await harness.storage.put(name, as_body(b"x"), content_type="image/png")

    found = await listed(harness.storage, key.removesuffix("original"))

    assert sorted(found) == sorted(tree)
    assert len(found) == len(set(found))


async def test_keys_match_a_plain_string_prefix(
    harness: Harness, key: str, tree: list[str]
) -> None:
    one, two, three, dirt = tree
    for name in tree:
        await harness.storage.put(name, chunked(b"data"), content_type="image/png")
    base = key.removesuffix("/original")

    assert sorted(await listed(harness.storage, f"{base}/dir/")) == sorted([two, three])
    assert sorted(await listed(harness.storage, f"{base}/dir")) == sorted([two, three, dirt])
    assert sorted(await listed(harness.storage, f"{base}/o")) == [one]
    assert await listed(harness.storage, three) == [three]
    assert await listed(harness.storage, f"{base}/nothing/") == []
    assert await listed(harness.storage, f"{key}-never-stored") == []


async def test_keys_without_a_prefix_include_every_object(harness: Harness, key: str) -> None:
    await harness.storage.put(key, as_body(b"x"), content_type="image/png")

    assert key in await listed(harness.storage)


async def test_keys_follow_puts_replacements_and_deletes(harness: Harness, key: str) -> None:
    prefix = key.removesuffix("original")
    await harness.storage.put(key, as_body(b"old"), content_type="image/png")
    await harness.storage.put(key, chunked(b"new"), content_type="image/webp")
    await harness.storage.put(f"{key}-empty", as_body(b""), content_type="image/png")
    with pytest.raises(ObjectTooLarge):
        await harness.storage.put(
            f"{key}-too-big", chunked(b"x" * 11), content_type="image/png", max_size=10
        )

    assert sorted(await listed(harness.storage, prefix)) == [key, f"{key}-empty"]

    await harness.storage.delete(key)

    assert await listed(harness.storage, prefix) == [f"{key}-empty"]


BAD_PREFIXES = {
    "dot-dot": "../",
    "inner-dot-dot": "media/../",
    "dot": "./",
    "absolute": "/media",
    "double-slash": "media//",
    "backslash": "media\\",
    "nul": "media/\x00",
    "space": "media/my ",
    "too-long": "k" * 600,
}


@pytest.mark.parametrize("bad_prefix", BAD_PREFIXES.values(), ids=BAD_PREFIXES.keys())
async def test_keys_refuse_a_prefix_no_key_can_start_with(
    harness: Harness, bad_prefix: str
) -> None:
    with pytest.raises(InvalidObjectKey):
        await listed(harness.storage, bad_prefix)


# --- size limit ------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["bytes", "chunks"])
async def test_an_oversized_put_is_refused_and_stores_nothing(
    harness: Harness, key: str, shape: str
) -> None:
    with pytest.raises(ObjectTooLarge) as raised:
        await harness.storage.put(
            key, shaped(b"x" * 200_001, shape), content_type="image/png", max_size=200_000
        )

    assert raised.value.max_size == 200_000
    assert await harness.storage.stat(key) is None


@pytest.mark.parametrize("shape", ["bytes", "chunks"])
async def test_an_oversized_put_keeps_the_previous_object(
    harness: Harness, key: str, shape: str
) -> None:
    await harness.storage.put(key, as_body(b"original"), content_type="image/png")

    with pytest.raises(ObjectTooLarge):
        await harness.storage.put(
            key, shaped(b"y" * 11, shape), content_type="image/gif", max_size=10
        )

    assert await harness.storage.get(key) == b"original"
    assert await harness.storage.stat(key) == ObjectInfo(key, 8, "image/png")


async def test_a_put_of_exactly_max_size_is_accepted(harness: Harness, key: str) -> None:
    info = await harness.storage.put(
        key, chunked(b"z" * 10, 3), content_type="image/png", max_size=10
    )

    assert info.size == 10


async def test_an_oversized_stream_is_not_read_to_its_end(harness: Harness, key: str) -> None:
    pulled = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal pulled
        while True:
            pulled += 1
            yield b"e" * 1024

    with pytest.raises(ObjectTooLarge):
        await harness.storage.put(key, endless(), content_type="image/png", max_size=10 * 1024)

    assert pulled == 11
    assert await harness.storage.stat(key) is None


# --- presigned URLs --------------------------------------------------------------------------


async def test_a_presigned_get_serves_the_bytes_and_content_type(
    harness: Harness, key: str
) -> None:
    await harness.storage.put(key, as_body(b"\x89PNG pixels"), content_type="image/png")
    url = await harness.storage.presigned_get_url(key, expires_in=LONG_ENOUGH)

    status, body, headers = await harness.fetch(url)

    assert (status, body) == (200, b"\x89PNG pixels")
    assert headers["content-type"] == "image/png"


async def test_a_presigned_get_of_a_missing_object_is_not_found(harness: Harness, key: str) -> None:
    url = await harness.storage.presigned_get_url(key, expires_in=LONG_ENOUGH)

    status, _, _ = await harness.fetch(url)

    assert status == 404


async def test_an_expired_presigned_get_is_refused(harness: Harness, key: str) -> None:
    await harness.storage.put(key, as_body(b"soon gone"), content_type="image/png")
    url = await harness.storage.presigned_get_url(key, expires_in=ONE_SECOND)

    await harness.let_time_pass(PAST_ONE_SECOND)
    status, body, _ = await harness.fetch(url)

    assert status == 403
    assert b"soon gone" not in body


@pytest.mark.parametrize("change", ["nothing", "signature", "expiry", "key"])
async def test_a_tampered_presigned_get_is_refused(harness: Harness, key: str, change: str) -> None:
    other = f"{key}-other"
    await harness.storage.put(key, as_body(b"mine"), content_type="image/png")
    await harness.storage.put(other, as_body(b"someone else's"), content_type="image/png")
    url = await harness.storage.presigned_get_url(key, expires_in=LONG_ENOUGH)

    status, body, _ = await harness.fetch(
        tamper(
            url,
            signature=change == "signature",
            expiry=change == "expiry",
            key=(key, other) if change == "key" else None,
        )
    )

    if change == "nothing":  # the tampering helper itself leaves a valid URL valid
        assert (status, body) == (200, b"mine")
    else:
        assert status == 403
        assert b"someone else's" not in body


async def test_a_presigned_put_uploads_what_get_returns(harness: Harness, key: str) -> None:
    url = await harness.storage.presigned_put_url(
        key, content_type="image/jpeg", size=13, expires_in=LONG_ENOUGH
    )

    status = await harness.upload(url, b"\xff\xd8 jpeg bytes", "image/jpeg")

    assert 200 <= status < 300
    assert await harness.storage.get(key) == b"\xff\xd8 jpeg bytes"
    assert await harness.storage.stat(key) == ObjectInfo(key, 13, "image/jpeg")


async def test_an_expired_presigned_put_is_refused(harness: Harness, key: str) -> None:
    url = await harness.storage.presigned_put_url(
        key, content_type="image/jpeg", size=8, expires_in=ONE_SECOND
    )

    await harness.let_time_pass(PAST_ONE_SECOND)
    status = await harness.upload(url, b"too late", "image/jpeg")

    assert status == 403
    assert await harness.storage.stat(key) is None


@pytest.mark.parametrize("change", ["signature", "key"])
async def test_a_tampered_presigned_put_is_refused(harness: Harness, key: str, change: str) -> None:
    other = f"{key}-other"
    url = await harness.storage.presigned_put_url(
        key, content_type="image/jpeg", size=6, expires_in=LONG_ENOUGH
    )

    status = await harness.upload(
        tamper(url, signature=change == "signature", key=(key, other) if change == "key" else None),
        b"sneaky",
        "image/jpeg",
    )

    assert status == 403
    assert await harness.storage.stat(key) is None
    assert await harness.storage.stat(other) is None


@pytest.mark.parametrize("sent", [b"declared+", b"declared" + b"+" * 100_000, b"declare", b""])
async def test_a_presigned_put_takes_only_the_declared_size(
    harness: Harness, key: str, sent: bytes
) -> None:
    """The size is bound into the URL: the storage itself refuses a longer or shorter body
    (S3 and MinIO: 403 for a signed Content-Length that differs; the local disk: 413 or 400)."""
    url = await harness.storage.presigned_put_url(
        key, content_type="image/jpeg", size=len(b"declared"), expires_in=LONG_ENOUGH
    )

    status = await harness.upload(url, sent, "image/jpeg")

    assert status in {400, 403, 413}
    assert await harness.storage.stat(key) is None


async def test_a_presigned_put_keeps_the_previous_object_when_refused(
    harness: Harness, key: str
) -> None:
    await harness.storage.put(key, as_body(b"before"), content_type="image/jpeg")
    url = await harness.storage.presigned_put_url(
        key, content_type="image/jpeg", size=4, expires_in=LONG_ENOUGH
    )

    status = await harness.upload(url, b"larger than four", "image/jpeg")

    assert status in {403, 413}
    assert await harness.storage.get(key) == b"before"


@pytest.mark.parametrize("sent_type", ["text/html", "image/png", "image/jpeg; x=1", ""])
async def test_a_presigned_put_takes_only_the_declared_type(
    harness: Harness, key: str, sent_type: str
) -> None:
    url = await harness.storage.presigned_put_url(
        key, content_type="image/jpeg", size=5, expires_in=LONG_ENOUGH
    )

    status = await harness.upload(url, b"<svg>", sent_type)

    assert status in {403, 415}
    assert await harness.storage.stat(key) is None


# --- local disk: the /media-files routes -----------------------------------------------------


async def test_local_disk_serves_inline_with_protective_headers(tmp_path: Path) -> None:
    async with open_local_disk(tmp_path) as local:
        await local.storage.put("media/1/original", as_body(b"<html>"), content_type="image/png")
        url = await local.storage.presigned_get_url("media/1/original", expires_in=timedelta(90))

        response = await local.client.get(url)

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.headers["cache-control"] == "private, max-age=3600"
    assert "sandbox" in response.headers["content-security-policy"]


async def test_local_disk_cache_lifetime_never_outlives_the_url(tmp_path: Path) -> None:
    async with open_local_disk(tmp_path) as local:
        await local.storage.put("media/1/original", as_body(b"img"), content_type="image/png")
        url = await local.storage.presigned_get_url(
            "media/1/original", expires_in=timedelta(seconds=90)
        )

        response = await local.client.get(url)

    assert response.headers["cache-control"] == "private, max-age=90"


async def test_local_disk_put_of_another_type_is_415(tmp_path: Path) -> None:
    async with open_local_disk(tmp_path) as local:
        url = await local.storage.presigned_put_url(
            "media/1/original", content_type="image/jpeg", size=8, expires_in=LONG_ENOUGH
        )

        response = await local.client.put(
            url, content=b"<script>", headers={"Content-Type": "text/html"}
        )

        assert response.status_code == 415
        assert "image/jpeg" in response.text
        assert await local.storage.stat("media/1/original") is None


async def test_local_disk_put_over_the_limit_is_413_and_stores_nothing(tmp_path: Path) -> None:
    async with open_local_disk(tmp_path, max_upload_bytes=100_000) as local:
        url = await local.storage.presigned_put_url(
            "media/1/original", content_type="image/jpeg", size=100_001, expires_in=LONG_ENOUGH
        )

        status = await local.upload(url, b"b" * 100_001, "image/jpeg")

        assert status == 413
        assert await local.storage.stat("media/1/original") is None


@pytest.mark.parametrize(("sent", "status"), [(101, 413), (99, 400), (0, 400)])
async def test_local_disk_put_of_another_length_is_refused_before_reading(
    tmp_path: Path, sent: int, status: int
) -> None:
    async with open_local_disk(tmp_path) as local:
        url = await local.storage.presigned_put_url(
            "media/1/original", content_type="image/jpeg", size=100, expires_in=LONG_ENOUGH
        )

        response = await local.client.put(
            url, content=b"b" * sent, headers={"Content-Type": "image/jpeg"}
        )

        assert response.status_code == status
        assert "exactly 100 bytes" in response.text or "of the 100 bytes" in response.text
        assert await local.storage.stat("media/1/original") is None


async def test_local_disk_put_url_without_its_size_is_refused(tmp_path: Path) -> None:
    """The size is part of what is signed: dropping or changing it breaks the URL."""
    async with open_local_disk(tmp_path) as local:
        url = await local.storage.presigned_put_url(
            "media/1/original", content_type="image/jpeg", size=5, expires_in=LONG_ENOUGH
        )
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        dropped = urlunsplit(
            parts._replace(query=urlencode({k: v for k, v in query.items() if k != "size"}))
        )
        grown = urlunsplit(parts._replace(query=urlencode(query | {"size": "6"})))

        assert await local.upload(dropped, b"12345", "image/jpeg") == 403
        assert await local.upload(grown, b"123456", "image/jpeg") == 403
        assert await local.storage.stat("media/1/original") is None


async def _put_chunks(
    local: LocalDiskHarness, url: str, chunks: int, chunk: bytes
) -> tuple[list[int], int]:
    """PUT ``chunks`` times ``chunk`` with no Content-Length, as a chunked upload arrives;
    the statuses answered and how many chunks were never read."""
    parts = urlsplit(url)
    body: list[HTTPRequestEvent] = [
        {"type": "http.request", "body": chunk, "more_body": i < chunks - 1} for i in range(chunks)
    ]
    statuses: list[int] = []

    async def receive() -> HTTPRequestEvent:
        return body.pop(0)

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    scope: HTTPScope = {  # type: ignore[typeddict-item]  # the app fills in the rest
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "PUT",
        "scheme": "http",
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver.local"), (b"content-type", b"image/jpeg")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver.local", 80),
    }
    await local.client.app(scope, receive, send)
    return statuses, len(body)


async def test_local_disk_chunked_put_stops_reading_past_the_declared_size(
    tmp_path: Path,
) -> None:
    """A chunked upload (no Content-Length) is cut off as soon as it passes the declared size,
    far below the route's limit, not after it has all been stored."""
    async with open_local_disk(tmp_path) as local:
        url = await local.storage.presigned_put_url(
            "media/1/original", content_type="image/jpeg", size=20_000, expires_in=LONG_ENOUGH
        )

        statuses, unread = await _put_chunks(local, url, 100, b"c" * 8192)

        assert statuses == [413]
        assert unread == 100 - 3  # 3 chunks of 8 KiB cross 20 kB; the rest never read
        assert await local.storage.stat("media/1/original") is None
    leftovers = await asyncio.to_thread(lambda: [p for p in tmp_path.rglob("*") if p.is_file()])
    assert leftovers == []


async def test_local_disk_chunked_put_of_the_declared_size_is_stored(tmp_path: Path) -> None:
    async with open_local_disk(tmp_path) as local:
        url = await local.storage.presigned_put_url(
            "media/1/original", content_type="image/jpeg", size=3 * 8192, expires_in=LONG_ENOUGH
        )

        statuses, unread = await _put_chunks(local, url, 3, b"c" * 8192)

        assert (statuses, unread) == ([204], 0)
        assert await local.storage.get("media/1/original") == b"c" * 3 * 8192


async def test_local_disk_chunked_put_ending_short_stores_nothing(tmp_path: Path) -> None:
    async with open_local_disk(tmp_path) as local:
        await local.storage.put("media/1/original", as_body(b"before"), content_type="image/jpeg")
        url = await local.storage.presigned_put_url(
            "media/1/original", content_type="image/jpeg", size=3 * 8192, expires_in=LONG_ENOUGH
        )

        statuses, _ = await _put_chunks(local, url, 2, b"c" * 8192)

        assert statuses == [400]
        assert await local.storage.get("media/1/original") == b"before"
    leftovers = await asyncio.to_thread(
        lambda: sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    )
    assert leftovers == ["original@meta.json", "original@object"]


async def test_local_disk_put_without_length_stops_reading_at_the_limit(tmp_path: Path) -> None:
    """A chunked upload (no Content-Length) is cut off while it streams, not after, at the
    route's limit even when a URL declared more."""
    async with open_local_disk(tmp_path, max_upload_bytes=100_000) as local:
        url = await local.storage.presigned_put_url(
            "media/1/original", content_type="image/jpeg", size=1_000_000, expires_in=LONG_ENOUGH
        )

        statuses, unread = await _put_chunks(local, url, 100, b"c" * 8192)

        assert statuses == [413]
        assert unread == 100 - 13  # 13 chunks of 8 KiB cross 100 kB; the rest never read
        assert await local.storage.stat("media/1/original") is None
    leftovers = await asyncio.to_thread(lambda: [p for p in tmp_path.rglob("*") if p.is_file()])
    assert leftovers == []  # no temp file left behind


@pytest.mark.parametrize(
    "query", ["", "?expires=9999999999", "?signature=abc", "?expires=soon&signature=abc"]
)
async def test_local_disk_refuses_urls_without_valid_parameters(tmp_path: Path, query: str) -> None:
    async with open_local_disk(tmp_path) as local:
        await local.storage.put("media/1/original", as_body(b"img"), content_type="image/png")

        get = await local.client.get(f"/media-files/media/1/original{query}")
        put = await local.client.put(
            f"/media-files/media/1/original{query}",
            content=b"x",
            headers={"Content-Type": "image/png"},
        )

    assert (get.status_code, put.status_code) == (403, 403)


async def test_local_disk_refuses_a_get_url_used_for_put(tmp_path: Path) -> None:
    async with open_local_disk(tmp_path) as local:
        url = await local.storage.presigned_get_url("media/1/original", expires_in=LONG_ENOUGH)

        assert await local.upload(url, b"x", "image/png") == 403


async def test_local_disk_keys_are_only_the_stored_objects(tmp_path: Path) -> None:
    """Metadata, temp and probe files, strays and folders no key can live in are not keys."""
    async with open_local_disk(tmp_path) as local:
        await local.storage.put("media/1/original", as_body(b"img"), content_type="image/png")
        await LocalDiskCheck(local.storage).check()
        strays = [
            "media/1/.original@object.x1y2.tmp",
            "media/1/notes.txt",
            "media/bad name@object",
            "lost+found/x@object",
            ".probe@leftover.tmp",
        ]
        for stray in strays:
            (tmp_path / stray).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / stray).write_bytes(b"not an object")
        (tmp_path / "media/2").mkdir()  # an empty folder (its last object was deleted)

        assert await listed(local.storage) == ["media/1/original"]
        assert await listed(local.storage, "media/1/") == ["media/1/original"]


async def test_local_disk_check_needs_a_writable_root(tmp_path: Path) -> None:
    storage = LocalDiskMediaStorage(tmp_path / "media", base_url="", signing_key=SIGNING_KEY)
    await LocalDiskCheck(storage).check()

    shutil.rmtree(tmp_path / "media")

    with pytest.raises(RuntimeError, match="not a directory"):
        await LocalDiskCheck(storage).check()


def test_local_disk_refuses_a_short_signing_key(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        LocalDiskMediaStorage(tmp_path, base_url="", signing_key=b"short")


# --- MinIO -----------------------------------------------------------------------------------


async def test_minio_signs_urls_for_the_public_endpoint_offline() -> None:
    storage = MinioMediaStorage(
        endpoint="127.0.0.1:1",  # nothing listens: signing must not need the service
        access_key="k",
        secret_key="s",
        bucket="media",
        public_endpoint="https://cdn.example.test",
    )

    get_url = urlsplit(await storage.presigned_get_url("media/1/original", expires_in=LONG_ENOUGH))
    put_url = urlsplit(
        await storage.presigned_put_url(
            "media/1/x", content_type="image/png", size=10, expires_in=LONG_ENOUGH
        )
    )

    assert (get_url.scheme, get_url.netloc, get_url.path) == (
        "https",
        "cdn.example.test",
        "/media/media/1/original",
    )
    assert put_url.netloc == "cdn.example.test"
    await storage.close()


async def test_minio_public_endpoint_urls_work_against_the_service(
    s3_config: S3Config, minio_storage: MinioMediaStorage, key: str
) -> None:
    host, _, port = s3_config.endpoint.rpartition(":")
    aliases = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}
    if host not in aliases:
        pytest.skip("needs a loopback MinIO to reach it under a second name")
    public = MinioMediaStorage(
        endpoint=s3_config.endpoint,
        access_key=s3_config.access_key,
        secret_key=s3_config.secret_key,
        bucket=minio_storage.bucket,
        public_endpoint=f"http://{aliases[host]}:{port}",
    )
    await minio_storage.put(key, as_body(b"via the public name"), content_type="image/png")

    url = await public.presigned_get_url(key, expires_in=LONG_ENOUGH)
    async with httpx.AsyncClient() as http:
        response = await http.get(url)

    assert urlsplit(url).hostname == aliases[host]
    assert (response.status_code, response.content) == (200, b"via the public name")
    await public.close()


async def test_minio_check_needs_the_bucket(
    s3_config: S3Config, minio_storage: MinioMediaStorage
) -> None:
    await MinioCheck(minio_storage).check()
    missing = MinioMediaStorage(
        endpoint=s3_config.endpoint,
        access_key=s3_config.access_key,
        secret_key=s3_config.secret_key,
        bucket=f"social-test-missing-{secrets.token_hex(4)}",
    )

    with pytest.raises(RuntimeError, match="does not exist"):
        await MinioCheck(missing).check()
    await missing.close()


async def test_minio_keys_page_through_long_listings_and_skip_foreign_names(
    s3_config: S3Config, minio_storage: MinioMediaStorage, key: str
) -> None:
    """More than one page of 1,000; an object named outside our key rules (uploaded by some
    other tool) is not listed, since no other method of the port could reach it."""
    prefix = key.removesuffix("original")
    names = [f"{prefix}{i:04}" for i in range(1001)]
    client = _minio_client(s3_config)

    def upload_all() -> None:
        for name in [*names, f"{prefix}odd name"]:
            client.put_object(minio_storage.bucket, name, io.BytesIO(b"x"), 1)

    await asyncio.to_thread(upload_all)

    assert sorted(await listed(minio_storage, prefix)) == names


async def test_minio_unreachable_is_unavailable() -> None:
    storage = MinioMediaStorage(
        endpoint="127.0.0.1:1", access_key="k", secret_key="s", bucket="media"
    )

    with pytest.raises(Unavailable):
        await storage.get("media/1/original")
    with pytest.raises(Unavailable):
        await MinioCheck(storage).check()
    await storage.close()
