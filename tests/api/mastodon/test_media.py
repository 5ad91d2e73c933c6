"""Media through the app API: multipart uploads of a real JPEG, the attachment ready at once
when processing is quick, 202/206 while it is not, descriptions, and only one's own media."""

from __future__ import annotations

import asyncio
from pathlib import Path
from uuid import UUID

from social.adapters.postgres.database import Database
from social.domain.media.process_media import ProcessMedia
from tests.api.conftest import Api, bearer
from tests.api.mastodon.posting import V1_MEDIA, app_api, jpeg, upload
from tests.media_files import truncated_jpeg


def _use_case(api: Api) -> ProcessMedia:
    use_case: ProcessMedia = api.client.app.state.use_cases.get(ProcessMedia)
    return use_case


async def test_a_quick_photo_is_ready_in_the_upload_answer(worker_api: Api) -> None:
    token = await worker_api.token_for("alice")
    response = await upload(worker_api, token, jpeg((96, 64)))
    assert response.status_code == 200, response.text
    media = response.json()
    assert media["type"] == "image" and media["description"] == "a small orange square"
    assert media["url"].startswith("http") and media["preview_url"].startswith("http")
    assert media["meta"]["original"] == {"width": 96, "height": 64, "size": "96x64", "aspect": 1.5}
    assert media["blurhash"] and media["remote_url"] is None
    again = await worker_api.client.get(f"{V1_MEDIA}/{media['id']}", headers=bearer(token))
    assert again.status_code == 200 and again.json()["id"] == media["id"]
    photo = await worker_api.client.get(media["url"])
    assert photo.status_code == 200 and photo.content[:2] == b"\xff\xd8"

    v1 = await upload(worker_api, token, path=V1_MEDIA, description=None)
    assert v1.status_code == 200 and v1.json()["url"] and v1.json()["description"] is None


async def test_processing_media_is_202_then_206_then_200(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    async with app_api(database, database_url, tmp_path, media_upload_wait_s=0) as api:
        token = await api.token_for("alice")
        response = await upload(api, token)
        assert response.status_code == 202, response.text
        pending = response.json()
        assert pending["url"] is None and pending["preview_url"] is None
        url = f"{V1_MEDIA}/{pending['id']}"
        polled = await api.client.get(url, headers=bearer(token))
        assert polled.status_code == 206 and polled.json() == pending
        described = await api.client.put(url, data={"description": "alt"}, headers=bearer(token))
        assert described.status_code == 206 and described.json()["description"] == "alt"
        v1 = await upload(api, token, path=V1_MEDIA)
        assert v1.status_code == 200 and v1.json()["url"] is None  # v1 is always 200

        # the worker's use case, run where the app's adapters live (its own event loop)
        process = _use_case(api).execute
        portal = api.client.blocking_portal
        await asyncio.to_thread(portal.call, process, UUID(pending["id"]))
        done = await api.client.get(url, headers=bearer(token))
        assert done.status_code == 200, done.text
        assert done.json()["url"] and done.json()["description"] == "alt"  # kept by the job


async def test_descriptions_change_until_the_photo_is_posted(worker_api: Api) -> None:
    token = await worker_api.token_for("alice")
    media = (await upload(worker_api, token)).json()
    url = f"{V1_MEDIA}/{media['id']}"
    changed = await worker_api.client.put(
        url, data={"description": "a cat", "focus": "0,0"}, headers=bearer(token)
    )
    assert changed.status_code == 200 and changed.json()["description"] == "a cat"
    cleared = await worker_api.client.put(url, json={"description": ""}, headers=bearer(token))
    assert cleared.status_code == 200 and cleared.json()["description"] is None
    untouched = await worker_api.client.put(url, data={"focus": "0,0"}, headers=bearer(token))
    assert untouched.status_code == 200 and untouched.json()["description"] is None
    too_long = await worker_api.client.put(
        url, data={"description": "x" * 1001}, headers=bearer(token)
    )
    assert too_long.status_code == 422 and too_long.json()["error"].startswith("Validation failed")

    posted = await worker_api.client.post(
        "/api/v1/statuses", data={"status": "hi", "media_ids[]": media["id"]}, headers=bearer(token)
    )
    assert posted.status_code == 200, posted.text
    late = await worker_api.client.put(url, data={"description": "late"}, headers=bearer(token))
    assert late.status_code == 422 and "already in a post" in late.json()["error"]


async def test_media_is_only_its_owners(worker_api: Api) -> None:
    alice, bob = await worker_api.token_for("alice"), await worker_api.token_for("bob")
    media = (await upload(worker_api, alice)).json()
    url = f"{V1_MEDIA}/{media['id']}"
    for response in (
        await worker_api.client.get(url, headers=bearer(bob)),
        await worker_api.client.put(url, data={"description": "mine"}, headers=bearer(bob)),
        await worker_api.client.get(f"{V1_MEDIA}/not-an-id", headers=bearer(alice)),
    ):
        assert response.status_code == 404 and response.json() == {"error": "No such media."}
    anonymous = await worker_api.client.get(url)
    assert anonymous.status_code == 401 and "error" in anonymous.json()


async def test_what_is_not_a_photo_or_video_is_a_422(worker_api: Api) -> None:
    token = await worker_api.token_for("alice")
    for content in (b"I am a text file wearing a .jpg", b"<svg/>"):
        refused = await upload(worker_api, token, content)
        assert refused.status_code == 422, refused.text
        assert "not a photo" in refused.json()["error"]
    no_file = await worker_api.client.post(
        "/api/v2/media", data={"description": "x"}, headers=bearer(token)
    )
    assert no_file.status_code == 422 and "file" in no_file.json()["error"]
    broken = await upload(worker_api, token, truncated_jpeg())  # fails while processed
    assert broken.status_code == 422 and "damaged" in broken.json()["error"].lower()
