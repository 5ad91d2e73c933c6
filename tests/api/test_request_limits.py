"""The OpenAPI document states the request rules the server enforces, and the server agrees at
each boundary: a value at the limit passes the edge, one past it is 422 naming the field. JSON
bodies are typed strictly (a boolean is a JSON boolean), forms stay text."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from tests.api.conftest import Api, bearer
from tests.api.test_hostile_input import admin_token

PROBLEM = "application/problem+json"


async def _schema(api: Api, name: str) -> dict[str, Any]:
    document = (await api.client.get("/schema/openapi.json")).json()
    properties: dict[str, Any] = document["components"]["schemas"][name]["properties"]
    return properties


def _refused(response: Any, field: str) -> str:
    """The message the 422 gives ``field``."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert field in errors, errors
    assert "Expected" not in errors[field], errors  # said in words, not msgspec's
    return str(errors[field])


def _passes_edge(response: Any, field: str) -> None:
    """Not refused for ``field`` (any later answer, a business rule, is another matter)."""
    if response.status_code == 422:
        fields = [e["field"] for e in response.json().get("errors", [])]
        assert field not in fields, response.text


async def test_the_document_states_the_domains_limits(api: Api) -> None:
    register = await _schema(api, "RegisterIn")
    assert (register["username"]["minLength"], register["username"]["maxLength"]) == (3, 30)
    assert "pattern" in register["username"] and "pattern" in register["email"]
    assert (register["password"]["minLength"], register["password"]["maxLength"]) == (10, 128)
    assert register["display_name"]["maxLength"] == 50
    me = await _schema(api, "ProfileUpdateIn")
    assert (me["website"]["maxLength"], me["bio"]["maxLength"]) == (200, 150)
    assert me["display_name"]["maxLength"] == 50
    assert (await _schema(api, "ReportIn"))["reason"]["maxLength"] == 1000
    assert (await _schema(api, "ResolveIn"))["note"]["maxLength"] == 1000
    post = await _schema(api, "PostCreateIn")
    media = post["media_ids"]
    assert (media["minItems"], media["maxItems"], media["uniqueItems"]) == (1, 10, True)
    assert post["tags"]["items"]["pattern"] and post["tags"]["items"]["maxLength"] == 100
    assert (await _schema(api, "PostUpdateIn"))["tags"]["items"]["pattern"]
    text = (await _schema(api, "CommentIn"))["text"]
    assert (text["minLength"], text["maxLength"]) == (1, 1000) and text["pattern"]
    image = (await _schema(api, "ImageUploadIn"))["content_type"]["enum"]
    video = (await _schema(api, "VideoUploadIn"))["content_type"]["enum"]
    assert set(image) == {"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"}
    assert set(video) == {"video/mp4", "video/quicktime"}


async def test_register_limits(api: Api) -> None:
    url = "/api/v1/auth/register"
    ok = {"email": "x@example.com", "password": "a-long-pass-9"}
    response = await api.client.post(url, json=ok | {"username": "a" * 31})
    assert _refused(response, "username") == "must be at most 30 characters"
    response = await api.client.post(url, json=ok | {"username": "ab"})
    assert _refused(response, "username") == "must be at least 3 characters"
    response = await api.client.post(url, json=ok | {"username": "bad name"})
    assert "letters, digits" in _refused(response, "username")
    response = await api.client.post(url, json=ok | {"username": "u" * 30, "password": "p" * 129})
    assert _refused(response, "password") == "must be at most 128 characters"
    response = await api.client.post(url, json=ok | {"username": "u" * 30, "email": "nope"})
    assert _refused(response, "email") == "is not a valid email address"
    response = await api.client.post(
        url, json=ok | {"username": "u" * 30, "display_name": "d" * 51}
    )
    assert _refused(response, "display_name") == "must be at most 50 characters"
    at_limits = ok | {"username": "u" * 30, "display_name": "d" * 50, "password": "Pw-9" * 32}
    response = await api.client.post(url, json=at_limits)
    assert response.status_code == 201, response.text


async def test_profile_limits_and_strict_json_types(api: Api) -> None:
    token = await api.token_for("alice")
    headers = bearer(token)
    for field, limit in (("display_name", 50), ("bio", 150)):
        response = await api.client.patch("/api/v1/me", json={field: "x" * limit}, headers=headers)
        assert response.status_code == 200, response.text
        response = await api.client.patch(
            "/api/v1/me", json={field: "x" * (limit + 1)}, headers=headers
        )
        assert _refused(response, field) == f"must be at most {limit} characters"
    site = "https://" + ("a" * 60 + ".") * 3 + "a" * 5 + ".com"
    assert len(site) == 200
    response = await api.client.patch("/api/v1/me", json={"website": site}, headers=headers)
    assert response.status_code == 200, response.text
    response = await api.client.patch("/api/v1/me", json={"website": site + "x"}, headers=headers)
    assert _refused(response, "website") == "must be at most 200 characters"
    bare = site.removeprefix("https://")  # ``https://`` is added, so 192 is its limit
    response = await api.client.patch("/api/v1/me", json={"website": bare}, headers=headers)
    assert response.status_code == 200, response.text
    response = await api.client.patch("/api/v1/me", json={"website": "b" + bare}, headers=headers)
    assert "http or https" in _refused(response, "website")
    for wrong in (0, "true", None):
        response = await api.client.patch("/api/v1/me", json={"is_private": wrong}, headers=headers)
        assert _refused(response, "is_private").startswith("must be a boolean"), wrong
    response = await api.client.patch("/api/v1/me", json={"is_private": True}, headers=headers)
    assert response.status_code == 200 and response.json()["is_private"] is True


async def test_post_comment_and_upload_limits(api: Api) -> None:
    headers = bearer(await api.token_for("alice"))
    ids = [str(uuid4()) for _ in range(11)]
    response = await api.client.post("/api/v1/posts", json={"media_ids": ids}, headers=headers)
    assert _refused(response, "media_ids") == "must be at most 10 items"
    response = await api.client.post("/api/v1/posts", json={"media_ids": []}, headers=headers)
    assert _refused(response, "media_ids") == "must not be empty"
    response = await api.client.post("/api/v1/posts", json={"media_ids": ids[:10]}, headers=headers)
    assert "is not one of your uploads" in response.text  # past the edge, to the domain
    response = await api.client.post(
        "/api/v1/posts", json={"media_ids": ids[:1], "tags": ["no-dash"]}, headers=headers
    )
    assert "is not a tag" in _refused(response, "tags[0]")
    response = await api.client.post(
        "/api/v1/posts", json={"media_ids": ids[:1], "tags": ["#Fine_1"]}, headers=headers
    )
    _passes_edge(response, "tags[0]")
    for text in ("", "   "):
        response = await api.client.post(
            f"/api/v1/posts/{uuid4()}/comments", json={"text": text}, headers=headers
        )
        assert _refused(response, "text") == "must not be empty"
    response = await api.client.post(
        "/api/v1/media/uploads",
        json={"kind": "image", "content_type": "text/html", "size": 10},
        headers=headers,
    )
    assert _refused(response, "content_type") == "is not one of the accepted values"
    response = await api.client.post(
        "/api/v1/media/uploads",
        json={"kind": "image", "content_type": "video/mp4", "size": 10},
        headers=headers,
    )
    assert _refused(response, "content_type") == "is not one of the accepted values"
    response = await api.client.post(
        "/api/v1/media/uploads",
        json={"kind": "video", "content_type": "video/mp4", "size": 10},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    response = await api.client.post(
        "/api/v1/media/uploads",
        json={"kind": "image", "content_type": "image/png", "size": 10},
        headers=headers,
    )
    assert response.status_code == 201, response.text


async def test_report_reason_and_resolution_note_limits(api: Api) -> None:
    admin = bearer(await admin_token(api))
    target = (await api.register("bob"))["user"]["id"]
    headers = bearer(await api.token_for("carol"))
    report = {"target_type": "user", "target_id": target}
    response = await api.client.post(
        "/api/v1/reports", json=report | {"reason": "r" * 1001}, headers=headers
    )
    assert _refused(response, "reason") == "must be at most 1000 characters"
    response = await api.client.post(
        "/api/v1/reports", json=report | {"reason": "r" * 1000}, headers=headers
    )
    assert response.status_code == 201, response.text
    report_id = response.json()["id"]
    url = f"/api/v1/admin/reports/{report_id}/resolve"
    response = await api.client.post(
        url, json={"action": "dismiss", "note": "n" * 1001}, headers=admin
    )
    assert _refused(response, "note") == "must be at most 1000 characters"
    response = await api.client.post(
        url, json={"action": "dismiss", "note": "n" * 1000}, headers=admin
    )
    assert response.status_code == 204, response.text
