"""Uploads, processing and posts through HTTP with real images and video (POST-1 … POST-5)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.api.conftest import Api, bearer, eventually
from tests.media_files import jpeg, jpeg_with_gps, mp4, png_bomb, truncated_jpeg


async def upload(api: Api, token: str, content: bytes, name: str, **headers: str) -> Any:
    return await api.client.post(
        "/api/v1/media",
        files={"file": (name, content, "application/octet-stream")},
        data={"alt_text": f"alt for {name}"},
        headers=bearer(token) | headers,
    )


async def processed(api: Api, token: str, media_id: str) -> dict[str, Any]:
    result: dict[str, Any] = {}

    async def done() -> bool:
        result.update(
            (await api.client.get(f"/api/v1/media/{media_id}", headers=bearer(token))).json()
        )
        return bool(result["status"] != "processing")

    await eventually(done, seconds=60)
    return result


async def ready(api: Api, token: str, content: bytes, name: str) -> dict[str, Any]:
    response = await upload(api, token, content, name)
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "processing"
    media = await processed(api, token, response.json()["id"])
    assert media["status"] == "ready", media
    return media


async def test_gps_never_reaches_any_variant(worker_api: Api) -> None:
    token = await worker_api.token_for("alice")
    media = await ready(worker_api, token, jpeg_with_gps((2000, 1500)), "holiday.jpg")
    assert media["kind"] == "image" and media["alt_text"] == "alt for holiday.jpg"
    assert [(v["name"], v["width"], v["height"]) for v in media["variants"]] == [
        ("thumb", 150, 150),
        ("small", 640, 480),
        ("large", 1080, 810),
    ]
    assert media["blurhash"] and media["url"] and media["preview_url"]
    for variant in media["variants"]:
        body = (await worker_api.client.get(variant["url"])).content
        assert b"SpyCam" not in body and b"Exif" not in body
        assert not Image.open(io.BytesIO(body)).getexif()


@pytest.mark.parametrize(
    ("content", "name", "status"),
    [
        (b"I am a text file wearing a .jpg", "fake.jpg", 415),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.svg", 415),
        (b"", "empty.jpg", 415),
    ],
)
async def test_non_media_is_refused_at_upload(
    worker_api: Api, content: bytes, name: str, status: int
) -> None:
    response = await upload(worker_api, await worker_api.token_for("alice"), content, name)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("content", "reason"),
    [(truncated_jpeg(), "damaged"), (png_bomb(), "too large")],
    ids=["truncated", "bomb"],
)
async def test_bad_images_end_failed_with_a_reason(
    worker_api: Api, content: bytes, reason: str
) -> None:
    token = await worker_api.token_for("alice")
    response = await upload(worker_api, token, content, "photo.png")
    assert response.status_code == 202, response.text
    media = await processed(worker_api, token, response.json()["id"])
    assert media["status"] == "failed"
    assert reason in media["error"].lower()


async def test_oversize_images_are_413(database_url: str, database: Any, tmp_path: Path) -> None:
    from litestar.testing import AsyncTestClient

    from social.app import create_app
    from tests.api.conftest import api_settings

    settings = api_settings(database_url, tmp_path, max_image_bytes=100_000)
    async with AsyncTestClient(app=create_app(settings)) as client:
        api = Api(client=client, database=database)
        response = await upload(
            api, await api.token_for("alice"), jpeg_with_gps() + b"\0" * 200_000, "big.jpg"
        )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_presigned_upload_flow(worker_api: Api) -> None:
    token = await worker_api.token_for("alice")
    content = jpeg()
    created = await worker_api.client.post(
        "/api/v1/media/uploads",
        json={"kind": "image", "content_type": "image/jpeg", "size": len(content)},
        headers=bearer(token),
    )
    assert created.status_code == 201, created.text
    body = created.json()
    media_id = body["media"]["id"]
    early = await worker_api.client.post(
        f"/api/v1/media/{media_id}/complete", headers=bearer(token)
    )
    assert early.status_code == 409
    put = await worker_api.client.put(
        body["upload_url"], content=content, headers={"content-type": "image/jpeg"}
    )
    assert put.status_code == 204, put.text
    done = await worker_api.client.post(f"/api/v1/media/{media_id}/complete", headers=bearer(token))
    assert done.status_code == 202 and done.json()["status"] == "processing"
    assert (await processed(worker_api, token, media_id))["status"] == "ready"


async def test_a_post_with_three_images_and_a_video(worker_api: Api, tmp_path: Path) -> None:
    api = worker_api
    token = await api.token_for("alice")
    images = [await ready(api, token, jpeg(color=(i * 60, 90, 160)), f"p{i}.jpg") for i in range(3)]
    video = await ready(api, token, mp4(tmp_path), "clip.mp4")
    assert video["kind"] == "video" and video["duration_s"] == pytest.approx(1.0, abs=0.2)
    body = {
        "caption": "Ubud rice fields #Bali #travel with @bob",
        "media_ids": [m["id"] for m in [*images, video]],
        "tags": ["Indonesia"],
        "place": {"name": "Tegallalang", "latitude": -8.4312, "longitude": 115.2792},
    }
    created = await api.client.post(
        "/api/v1/posts", json=body, headers=bearer(token) | {"Idempotency-Key": "p1"}
    )
    assert created.status_code == 201, created.text
    post = created.json()
    assert post["tags"] == ["bali", "travel", "indonesia"] and post["mentions"] == ["bob"]
    assert [m["id"] for m in post["media"]] == body["media_ids"]
    assert post["place"]["name"] == "Tegallalang" and post["author"]["username"] == "alice"
    assert (post["liked"], post["bookmarked"], post["shared"]) == (False, False, False)
    replay = await api.client.post(
        "/api/v1/posts", json=body, headers=bearer(token) | {"Idempotency-Key": "p1"}
    )
    assert replay.json()["id"] == post["id"]
    assert (await api.client.get("/api/v1/users/alice")).json()["posts_count"] == 1

    anonymous = await api.client.get(f"/api/v1/posts/{post['id']}")
    assert anonymous.status_code == 200 and anonymous.json()["caption"] == body["caption"]
    edited = await api.client.patch(
        f"/api/v1/posts/{post['id']}",
        json={"caption": "Edited #ubud", "place": None, "comments_enabled": False},
        headers=bearer(token),
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["tags"] == ["ubud", "indonesia"] and edited.json()["place"] is None
    assert edited.json()["edited_at"] is not None and edited.json()["comments_enabled"] is False

    media_dir = tmp_path / "media" / "media"
    assert any(media_dir.rglob("*@object"))
    assert (
        await api.client.delete(f"/api/v1/posts/{post['id']}", headers=bearer(token))
    ).status_code == 204
    assert (await api.client.get(f"/api/v1/posts/{post['id']}")).status_code == 404

    async def nothing_left() -> bool:
        return not any(media_dir.rglob("*@object"))

    await eventually(nothing_left)
    assert (await api.client.get("/api/v1/users/alice")).json()["posts_count"] == 0


async def test_post_rules_and_privacy(worker_api: Api) -> None:
    api = worker_api
    alice, bob = await api.token_for("alice"), await api.token_for("bob")
    media = await ready(api, alice, jpeg(), "a.jpg")
    pending = (await upload(api, alice, jpeg(), "b.jpg")).json()
    bad = [
        ({"caption": "x", "media_ids": []}, "media_ids"),
        ({"caption": "x" * 2201, "media_ids": [media["id"]]}, "caption"),
        (
            {
                "caption": "x",
                "media_ids": [media["id"]],
                "place": {"name": "X", "latitude": 99, "longitude": 0},
            },
            "place.latitude",
        ),
        ({"caption": "x", "media_ids": ["not-a-uuid"]}, "media_ids[0]"),
    ]
    for body, field in bad:
        response = await api.client.post("/api/v1/posts", json=body, headers=bearer(alice))
        assert response.status_code == 422, (body, response.text)
        assert field in [e["field"] for e in response.json()["errors"]]
    bobs_try = await api.client.post(
        "/api/v1/posts", json={"media_ids": [media["id"]]}, headers=bearer(bob)
    )
    assert bobs_try.status_code == 422
    post = (
        await api.client.post(
            "/api/v1/posts", json={"media_ids": [media["id"]]}, headers=bearer(alice)
        )
    ).json()
    assert (
        await api.client.patch(
            f"/api/v1/posts/{post['id']}", json={"caption": "x"}, headers=bearer(bob)
        )
    ).status_code == 403
    assert (
        await api.client.delete(f"/api/v1/posts/{post['id']}", headers=bearer(bob))
    ).status_code == 403
    await api.client.patch("/api/v1/me", json={"is_private": True}, headers=bearer(alice))
    assert (await api.client.get(f"/api/v1/posts/{post['id']}")).status_code == 404
    assert (
        await api.client.get(f"/api/v1/posts/{post['id']}", headers=bearer(bob))
    ).status_code == 404
    assert (
        await api.client.get(f"/api/v1/posts/{post['id']}", headers=bearer(alice))
    ).status_code == 200
    assert (
        await api.client.get("/api/v1/posts/01a201a1-f11a-733b-bab2-2510031e5450")
    ).status_code == 404
    assert pending["status"] == "processing"
