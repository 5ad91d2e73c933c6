"""Download your data (AUTH-10) end to end on the embedded default: the job builds the zip on
the local disk, the owner lists it and fetches it through its signed link, the link is mailed
as an ``.eml`` file, nobody else sees it, and the expiry job removes it."""

from __future__ import annotations

import asyncio
import email
import io
import json
import zipfile
from email.message import Message
from pathlib import Path
from typing import Any

from sqlalchemy import text

from social.domain.lifecycle.expire_exports import ExpireDataExports
from tests.api.conftest import Api, bearer, eventually
from tests.api.test_posts import ready
from tests.media_files import jpeg


async def exports_of(api: Api, token: str) -> list[dict[str, Any]]:
    response = await api.client.get("/api/v1/me/exports", headers=bearer(token))
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def mailed_text(data_dir: Path) -> str:
    """The text of the one mail announcing the export (sign-up mailed a verification link too)."""
    messages = [email.message_from_bytes(p.read_bytes()) for p in (data_dir / "mail").glob("*.eml")]
    [message] = [m for m in messages if m["Subject"] == "Your data export is ready"]
    part: Message = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


async def test_one_pending_export_at_a_time_and_only_for_its_owner(api: Api) -> None:
    alice, bob = await api.token_for("alice"), await api.token_for("bob")
    first = await api.client.post("/api/v1/me/exports", headers=bearer(alice))
    assert first.status_code == 202, first.text
    assert first.json()["status"] == "pending" and first.json()["id"]
    second = await api.client.post("/api/v1/me/exports", headers=bearer(alice))
    assert second.status_code == 409
    assert second.headers["content-type"].startswith("application/problem+json")
    assert second.json()["type"].endswith("/conflict")
    [listed] = await exports_of(api, alice)
    assert listed["id"] == first.json()["id"] and listed["status"] == "pending"
    assert listed["url"] is None and listed["expires_at"] > listed["created_at"]
    assert await exports_of(api, bob) == []
    assert (await api.client.post("/api/v1/me/exports")).status_code == 401
    assert (await api.client.get("/api/v1/me/exports")).status_code == 401


async def test_the_archive_is_built_mailed_fetched_and_expired(
    worker_api: Api, tmp_path: Path
) -> None:
    api = worker_api
    alice, bob = await api.token_for("alice"), await api.token_for("bob")
    photo = await ready(api, alice, jpeg((1600, 1200)), "sea.jpg")
    body = {
        "caption": "Sea #blue",
        "media_ids": [photo["id"]],
        "tags": ["holiday"],
        "place": {"name": "Porto", "latitude": 41.15, "longitude": -8.61},
    }
    created = await api.client.post("/api/v1/posts", json=body, headers=bearer(alice))
    assert created.status_code == 201, created.text
    bobs = await ready(api, bob, jpeg(), "b.jpg")
    bob_post = await api.client.post(
        "/api/v1/posts", json={"caption": "b", "media_ids": [bobs["id"]]}, headers=bearer(bob)
    )
    bob_post_id = bob_post.json()["id"]
    for action in ("like", "bookmark"):
        done = await api.client.post(f"/api/v1/posts/{bob_post_id}/{action}", headers=bearer(alice))
        assert done.status_code in (200, 201, 204), done.text
    comment = await api.client.post(
        f"/api/v1/posts/{bob_post_id}/comments", json={"text": "nice"}, headers=bearer(alice)
    )
    assert comment.status_code == 201, comment.text
    await api.client.post("/api/v1/users/bob/follow", headers=bearer(alice))
    await api.client.post("/api/v1/users/alice/follow", headers=bearer(bob))

    requested = await api.client.post("/api/v1/me/exports", headers=bearer(alice))
    assert requested.status_code == 202, requested.text
    found: list[dict[str, Any]] = []

    async def is_ready() -> bool:
        found[:] = await exports_of(api, alice)
        return bool(found[0]["status"] == "ready")

    await eventually(is_ready, seconds=60)
    [export] = found
    assert export["id"] == requested.json()["id"] and export["url"]
    assert await exports_of(api, bob) == []  # the list is per owner

    fetched = await api.client.get(export["url"])
    assert fetched.status_code == 200 and fetched.headers["content-type"] == "application/zip"
    zipped = zipfile.ZipFile(io.BytesIO(fetched.content))
    names = set(zipped.namelist())
    assert {"profile.json", "posts.json", "comments.json", "likes.json", "bookmarks.json"} <= names
    assert json.loads(zipped.read("profile.json"))["username"] == "alice"
    [post] = json.loads(zipped.read("posts.json"))
    assert post["caption"] == "Sea #blue" and set(post["tags"]) == {"blue", "holiday"}
    assert post["place"] == {"name": "Porto", "latitude": 41.15, "longitude": -8.61}
    [item] = post["media"]
    assert item["id"] == photo["id"] and item["source"] == "large"
    large = next(v for v in photo["variants"] if v["name"] == "large")
    assert zipped.read(item["file"]) == (await api.client.get(large["url"])).content
    assert [c["text"] for c in json.loads(zipped.read("comments.json"))] == ["nice"]
    assert [x["post_id"] for x in json.loads(zipped.read("likes.json"))] == [bob_post_id]
    assert [x["post_id"] for x in json.loads(zipped.read("bookmarks.json"))] == [bob_post_id]
    assert [f["username"] for f in json.loads(zipped.read("followers.json"))] == ["bob"]
    assert [f["username"] for f in json.loads(zipped.read("following.json"))] == ["bob"]

    # Nobody gets at the archive without its signed link: a forged signature is refused.
    forged = export["url"].split("signature=")[0] + "signature=forged"
    assert (await api.client.get(forged)).status_code == 403

    async def mailed() -> bool:  # the export's own mail (sign-up's verification comes first)
        return any(
            b"Your data export is ready" in p.read_bytes()
            for p in (tmp_path / "mail").glob("*.eml")
        )

    await eventually(mailed)
    text_body = mailed_text(tmp_path)
    assert export["url"] in text_body

    async with api.database.engine.begin() as connection:
        await connection.execute(
            text("UPDATE data_exports SET expires_at = now() - interval '1 second'")
        )
    # The cron job's use case, run where the app's adapters live (its own event loop).
    expire = api.client.app.state.use_cases.get(ExpireDataExports)
    assert await asyncio.to_thread(api.client.blocking_portal.call, expire.execute) == 1
    [expired] = await exports_of(api, alice)
    assert expired["status"] == "expired" and expired["url"] is None
    assert (await api.client.get(export["url"])).status_code == 404
    again = await api.client.post("/api/v1/me/exports", headers=bearer(alice))
    assert again.status_code == 202


async def test_the_openapi_document_covers_the_exports(api: Api) -> None:
    paths = (await api.client.get("/schema/openapi.json")).json()["paths"]
    exports = paths["/api/v1/me/exports"]
    assert {"202", "401", "409"} <= set(exports["post"]["responses"])
    listed = exports["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed["type"] == "array"
