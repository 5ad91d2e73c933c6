"""Avatars (PROF-2) and account deletion (AUTH-6) through HTTP, with real image processing,
the local-disk storage and the in-process job worker."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.api.conftest import PASSWORD, Api, bearer, eventually
from tests.media_files import jpeg_with_gps


async def upload(api: Api, token: str, content: bytes, name: str = "me.jpg") -> Any:
    files = {"file": (name, content, "image/jpeg")}
    return await api.client.put("/api/v1/me/avatar", files=files, headers=bearer(token))


async def test_avatar_variants_carry_no_metadata(worker_api: Api) -> None:
    api, token = worker_api, await worker_api.token_for("alice")
    source = jpeg_with_gps()
    assert b"SpyCam" in source
    response = await upload(api, token, source)
    assert response.status_code == 200, response.text
    avatar = response.json()["avatar"]
    assert avatar["kind"] == "image" and avatar["status"] == "ready" and avatar["blurhash"]
    assert [(v["name"], v["width"], v["height"]) for v in avatar["variants"]] == [
        ("small", 150, 150),
        ("medium", 320, 320),
        ("large", 600, 600),
    ]
    for variant in avatar["variants"]:
        fetched = await api.client.get(variant["url"])
        assert fetched.status_code == 200
        assert fetched.headers["content-type"] == "image/jpeg"
        assert fetched.headers["x-content-type-options"] == "nosniff"
        assert b"SpyCam" not in fetched.content and b"Exif" not in fetched.content
        assert not Image.open(io.BytesIO(fetched.content)).getexif()
    public = (await api.client.get("/api/v1/users/alice")).json()
    assert public["avatar"]["id"] == avatar["id"]


async def test_replacing_and_removing_the_avatar_removes_old_objects(
    worker_api: Api, tmp_path: Path
) -> None:
    api, token = worker_api, await worker_api.token_for("alice")
    first = (await upload(api, token, jpeg_with_gps())).json()["avatar"]
    second = (await upload(api, token, jpeg_with_gps((300, 500)))).json()["avatar"]
    assert second["id"] != first["id"]

    async def first_gone() -> bool:
        return {(await api.client.get(v["url"])).status_code for v in first["variants"]} == {404}

    await eventually(first_gone)
    removed = await api.client.delete("/api/v1/me/avatar", headers=bearer(token))
    assert removed.status_code == 200 and removed.json()["avatar"] is None

    async def second_gone() -> bool:
        return {(await api.client.get(v["url"])).status_code for v in second["variants"]} == {404}

    await eventually(second_gone)


@pytest.mark.parametrize(
    ("content", "name", "status"),
    [
        (b"just some text, not an image", "fake.jpg", 415),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.svg", 415),
        (b"\xff\xd8\xff" + b"\x00" * 3_000_000, "huge.jpg", 413),
    ],
)
async def test_bad_avatars_are_problems(
    worker_api: Api, content: bytes, name: str, status: int
) -> None:
    response = await upload(worker_api, await worker_api.token_for("alice"), content, name)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    me = (await worker_api.client.get("/api/v1/users/alice")).json()
    assert me["avatar"] is None


async def test_avatar_upload_needs_a_file(worker_api: Api) -> None:
    token = await worker_api.token_for("alice")
    response = await worker_api.client.put(
        "/api/v1/me/avatar", files={"other": ("x", b"y")}, headers=bearer(token)
    )
    assert response.status_code in (400, 422)
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_deleted_account_is_gone_for_everyone_and_its_objects_too(worker_api: Api) -> None:
    api = worker_api
    body = await api.register("alice")
    token = body["tokens"]["access_token"]
    bob = await api.token_for("bob")
    await api.client.post("/api/v1/users/alice/follow", headers=bearer(bob))
    await api.client.post("/api/v1/users/bob/follow", headers=bearer(token))
    avatar = (await upload(api, token, jpeg_with_gps())).json()["avatar"]

    wrong = await api.client.request(
        "DELETE", "/api/v1/me", json={"password": "not it at all"}, headers=bearer(token)
    )
    assert wrong.status_code == 422
    accepted = await api.client.request(
        "DELETE", "/api/v1/me", json={"password": PASSWORD}, headers=bearer(token)
    )
    assert accepted.status_code == 202

    assert (await api.client.get("/api/v1/me", headers=bearer(token))).status_code == 401
    login = await api.client.post(
        "/api/v1/auth/login", json={"login": "alice", "password": PASSWORD}
    )
    assert login.status_code == 401
    for viewer in ({}, bearer(bob)):
        assert (await api.client.get("/api/v1/users/alice", headers=viewer)).status_code == 404

    async def erased() -> bool:
        objects = [(await api.client.get(v["url"])).status_code for v in avatar["variants"]]
        bob_now = (await api.client.get("/api/v1/users/bob")).json()
        return set(objects) == {404} and bob_now["followers_count"] == 0

    await eventually(erased)
    assert (await api.client.get("/api/v1/users/bob")).json()["following_count"] == 0
    body_again = {"username": "alice", "email": "alice@example.com", "password": PASSWORD}
    held = await api.client.post("/api/v1/auth/register", json=body_again)
    assert held.status_code == 409  # the username is held for a while (issue 15)
    assert held.json()["errors"][0]["field"] == "username"
    again = await api.register("alice2", email="alice@example.com")  # the email is free again
    assert again["user"]["id"] != body["user"]["id"]
