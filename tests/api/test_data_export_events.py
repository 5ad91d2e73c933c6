"""The data export and the purge cover what event albums, OpenID Connect and faces added, end to
end on MinIO with the in-process worker: the archive holds exactly the user's albums (and their
photo files), collection, opened events, access grants, linked identities and face reference;
the purge then leaves none of it, in the database or in the bucket."""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from litestar.testing import AsyncTestClient
from minio import Minio
from sqlalchemy import text

from social.adapters.faces.postgres_references import PostgresFaceReferences
from social.adapters.postgres.database import Database
from social.adapters.postgres.unit_of_work import SqlaUnitOfWork
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.app import create_app
from social.domain.accounts.oidc_model import OidcIdentity
from social.domain.faces.model import EMBEDDING_SIZE
from social.domain.faces.reference import FaceReference
from tests.api.conftest import PASSWORD, Api, api_settings, bearer, eventually
from tests.api.test_event_albums import EVENTS, all_ready, create
from tests.conftest import TEST_SECRET
from tests.media_files import jpeg
from tests.services import S3Config

ISSUER = "https://id.example.org"
EMBEDDING = tuple((i - 64) / 64 for i in range(EMBEDDING_SIZE))  # exact in a ``real``
CONSENTED = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
LINKED = datetime(2026, 12, 6, 8, 15, tzinfo=UTC)


@pytest.fixture
async def minio_api(
    database: Database, database_url: str, s3_config: S3Config, tmp_path: Path
) -> AsyncIterator[tuple[Api, Minio, str]]:
    """The app on MinIO (a bucket of its own, removed afterwards) with its worker in process."""
    bucket = f"social-test-{secrets.token_hex(4)}"
    settings = api_settings(
        database_url,
        tmp_path,
        run_worker_in_process=True,
        s3_endpoint=s3_config.endpoint,
        s3_access_key=s3_config.access_key,
        s3_secret_key=s3_config.secret_key,
        s3_bucket=bucket,
    )
    minio = Minio(s3_config.endpoint, s3_config.access_key, s3_config.secret_key, secure=False)
    try:
        async with AsyncTestClient(app=create_app(settings)) as client:
            yield Api(client=client, database=database), minio, bucket
    finally:
        if minio.bucket_exists(bucket):
            for item in minio.list_objects(bucket, recursive=True):
                minio.remove_object(bucket, item.object_name or "")
            minio.remove_bucket(bucket)


def at(value: str) -> str:
    """A time as the archive writes it (``isoformat``), from the API's form."""
    return datetime.fromisoformat(value).isoformat()


async def items(api: Api, token: str, path: str) -> list[dict[str, Any]]:
    response = await api.client.get(path, params={"limit": 100}, headers=bearer(token))
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["items"]
    return found


async def link_identity_and_face(database: Database, user_id: UUID) -> None:
    """Through their own adapters, as the OIDC callback and the selfie endpoint store them."""
    uow = SqlaUnitOfWork(database.sessions, EmailCipher(KeyRing.from_secret(TEST_SECRET)))
    async with uow:
        await uow.oidc_identities.add(OidcIdentity(ISSUER, "alice-at-id", user_id, LINKED))
        await uow.commit()
    await PostgresFaceReferences(database.sessions).put(
        FaceReference(user_id, EMBEDDING, CONSENTED)
    )


async def fetch_archive(api: Api, token: str) -> zipfile.ZipFile:
    requested = await api.client.post("/api/v1/me/exports", headers=bearer(token))
    assert requested.status_code == 202, requested.text
    found: list[dict[str, Any]] = []

    async def ready() -> bool:
        response = await api.client.get("/api/v1/me/exports", headers=bearer(token))
        found[:] = response.json()
        return bool(found[0]["status"] == "ready")

    await eventually(ready, seconds=60)
    async with httpx.AsyncClient() as http:
        fetched = await http.get(found[0]["url"])  # presigned MinIO GET
    assert fetched.status_code == 200, fetched.text
    return zipfile.ZipFile(io.BytesIO(fetched.content))


def stored(minio: Minio, bucket: str) -> list[str]:
    return [o.object_name or "" for o in minio.list_objects(bucket, recursive=True)]


async def test_the_export_holds_the_event_sections_and_the_purge_erases_them(
    minio_api: tuple[Api, Minio, str],
) -> None:
    api, minio, bucket = minio_api
    registered = await api.register("alice")
    alice, alice_id = registered["tokens"]["access_token"], UUID(registered["user"]["id"])
    bob = await api.token_for("bob")
    album = await create(api, alice, title="Wisuda Alice", password="rahasia-1")
    files = [("files", ("a.jpg", jpeg((1600, 1200), color=(200, 40, 40)), "image/jpeg"))]
    upload = await api.client.post(
        f"{EVENTS}/{album['id']}/photos", files=files, headers=bearer(alice)
    )
    assert upload.status_code == 202, upload.text
    [photo] = await all_ready(api, alice, album["id"], 1)
    bobs_album = await create(api, bob, title="Bob's", password="kunci-99")
    upload = await api.client.post(
        f"{EVENTS}/{bobs_album['id']}/photos",
        files=[("files", ("b.jpg", jpeg((64, 64)), "image/jpeg"))],
        headers=bearer(bob),
    )
    assert upload.status_code == 202, upload.text
    [bobs_photo] = await all_ready(api, bob, bobs_album["id"], 1)
    opened = await api.client.post(
        f"{EVENTS}/{bobs_album['id']}/open", json={"password": "kunci-99"}, headers=bearer(alice)
    )
    assert opened.status_code == 200, opened.text
    saved = await api.client.post(
        "/api/v1/me/collection", json={"photo_ids": [bobs_photo["id"]]}, headers=bearer(alice)
    )
    assert saved.json() == {"added": 1}
    await link_identity_and_face(api.database, alice_id)
    [recent] = await items(api, alice, "/api/v1/me/events/recent")
    [kept] = await items(api, alice, "/api/v1/me/collection")
    async with api.database.sessions() as session:
        granted = await session.scalar(text("SELECT granted_at FROM event_access"))
    assert isinstance(granted, datetime)
    album = (await api.client.get(f"{EVENTS}/{album['id']}", headers=bearer(alice))).json()

    zipped = await fetch_archive(api, alice)
    file = f"media/{photo['id']}.jpg"

    def read(name: str) -> Any:
        return json.loads(zipped.read(name))

    assert read("events.json") == [
        {
            "id": album["id"],
            "title": "Wisuda Alice",
            "event_date": album["event_date"],
            "visibility": album["visibility"],
            "has_password": True,
            "created_at": at(album["created_at"]),
            "updated_at": at(album["updated_at"]),
        }
    ]
    assert read("event_photos.json") == [
        {
            "event_id": album["id"],
            "media_id": photo["id"],
            "position": 1,
            "added_at": at(photo["added_at"]),
            "file": file,
            "source": "large",
        }
    ]
    large = next(v for v in photo["media"]["variants"] if v["name"] == "large")
    async with httpx.AsyncClient() as http:
        assert zipped.read(file) == (await http.get(large["url"])).content
    assert f"media/{bobs_photo['id']}.jpg" not in zipped.namelist()  # named, not copied
    assert read("photo_collection.json") == [
        {
            "media_id": bobs_photo["id"],
            "event_id": bobs_album["id"],
            "bookmarked_at": at(kept["saved_at"]),
        }
    ]
    assert read("recent_events.json") == [
        {"event_id": bobs_album["id"], "opened_at": at(recent["opened_at"])}
    ]
    assert read("event_access.json") == [
        {"event_id": bobs_album["id"], "granted_at": granted.isoformat()}
    ]
    assert read("linked_identities.json") == [
        {"issuer": ISSUER, "subject": "alice-at-id", "linked_at": LINKED.isoformat()}
    ]
    assert read("face_reference.json") == {
        "consented_at": CONSENTED.isoformat(),
        "embedding": list(EMBEDDING),
    }
    async with api.database.sessions() as session:
        hashed = await session.scalar(
            text("SELECT password_hash FROM events WHERE id = :id"), {"id": UUID(album["id"])}
        )
    assert hashed and all(hashed.encode() not in zipped.read(n) for n in zipped.namelist())
    readme = zipped.read("README.txt").decode()
    assert all(name in readme for name in ("events.json", "face_reference.json"))

    # The purge: the album's photo objects leave the bucket (not only the rows), the face
    # reference and the linked identity leave the database; Bob's album stays whole.
    mine = [key for key in stored(minio, bucket) if photo["id"] in key]
    assert mine, "the album photo's objects are in the bucket before the purge"
    bobs = sorted(key for key in stored(minio, bucket) if bobs_photo["id"] in key)
    gone = await api.client.request(
        "DELETE", "/api/v1/me", json={"password": PASSWORD}, headers=bearer(alice)
    )
    assert gone.status_code == 202, gone.text

    async def purged() -> bool:
        async with api.database.sessions() as session:
            left = await session.scalar(
                text("SELECT count(*) FROM users WHERE id = :id"), {"id": alice_id}
            )
        return bool(left == 0)

    await eventually(purged, seconds=30)
    keys = stored(minio, bucket)
    assert [key for key in keys if photo["id"] in key] == []
    assert [key for key in keys if key.startswith(f"exports/{alice_id}/")] == []
    assert sorted(key for key in keys if bobs_photo["id"] in key) == bobs
    assert await PostgresFaceReferences(api.database.sessions).get(alice_id) is None
    async with api.database.sessions() as session:
        for table, column in (
            ("oidc_identities", "user_id"),
            ("events", "owner_id"),
            ("event_access", "user_id"),
            ("event_recent", "user_id"),
            ("photo_bookmarks", "user_id"),
            ("media", "owner_id"),
        ):
            count = await session.scalar(
                text(f"SELECT count(*) FROM {table} WHERE {column} = :id"), {"id": alice_id}
            )
            assert count == 0, table
    assert [p["id"] for p in await items(api, bob, f"{EVENTS}/{bobs_album['id']}/photos")] == [
        bobs_photo["id"]
    ]
