"""The instance documents (public, with and without a trailing slash, as Mastodon.py calls
them), the default images and the stubs of endpoints we have nothing behind."""

from __future__ import annotations

import re

import pytest

from social.settings import Settings
from tests.api.conftest import Api, bearer


@pytest.mark.parametrize("path", ["/api/v1/instance", "/api/v1/instance/"])
async def test_instance_v1_is_public_and_claims_a_parsable_version(api: Api, path: str) -> None:
    response = await api.client.get(path)
    assert response.status_code == 200, response.text
    body = response.json()
    assert re.match(r"^4\.2\.0 \(compatible; social \d+\.\d+\.\d+", body["version"])
    settings = Settings()
    statuses = body["configuration"]["statuses"]
    assert statuses["max_characters"] == settings.posts.caption_max_length
    assert statuses["max_media_attachments"] == settings.posts.post_max_media
    media = body["configuration"]["media_attachments"]
    assert "image/jpeg" in media["supported_mime_types"]
    assert "video/mp4" in media["supported_mime_types"]
    assert media["image_size_limit"] == settings.media.max_image_bytes
    assert body["urls"]["streaming_api"].startswith(("ws://", "wss://"))
    assert body["rules"] == [] and body["registrations"] is True
    assert body["uri"] and "://" not in body["uri"]


@pytest.mark.parametrize("path", ["/api/v2/instance", "/api/v2/instance/"])
async def test_instance_v2(api: Api, path: str) -> None:
    response = await api.client.get(path)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"].startswith("4.2.0 (compatible; social ")
    assert "api_versions" not in body  # only servers claiming 4.3 or later send it
    assert body["configuration"]["urls"]["streaming"].startswith(("ws://", "wss://"))
    assert body["configuration"]["statuses"]["max_media_attachments"] >= 1
    assert body["registrations"]["enabled"] is True
    assert body["thumbnail"]["url"].startswith("http")
    assert body["contact"]["account"] is None and body["rules"] == []
    assert "timelines_access" not in body["configuration"]  # absent: timelines are open


async def test_default_images_are_served(api: Api) -> None:
    body = (await api.client.get("/api/v1/instance")).json()
    assert body["thumbnail"] is None
    for path in ("/mastodon/default-avatar.png", "/mastodon/default-header.png"):
        response = await api.client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
        assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


async def test_stubs_answer_empty_shapes(api: Api) -> None:
    token = await api.token_for("alice")
    headers = bearer(token)
    stubs: list[tuple[str, object]] = [
        ("/api/v1/custom_emojis", []),
        ("/api/v1/filters", []),
        ("/api/v2/filters", []),
        ("/api/v1/lists", []),
        ("/api/v1/markers", {}),
        ("/api/v1/announcements", []),
    ]
    for path, empty in stubs:
        response = await api.client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.text)
        assert response.json() == empty, path
    assert (await api.client.get("/api/v1/custom_emojis")).json() == []
    assert (await api.client.get("/api/v1/lists")).status_code == 401


async def test_preferences_follow_the_accounts_privacy(api: Api) -> None:
    token = await api.token_for("alice")
    response = await api.client.get("/api/v1/preferences", headers=bearer(token))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "posting:default:visibility": "public",
        "posting:default:sensitive": False,
        "posting:default:language": None,
        "reading:expand:media": "default",
        "reading:expand:spoilers": False,
    }
    await api.client.patch("/api/v1/me", json={"is_private": True}, headers=bearer(token))
    response = await api.client.get("/api/v1/preferences", headers=bearer(token))
    assert response.json()["posting:default:visibility"] == "private"
