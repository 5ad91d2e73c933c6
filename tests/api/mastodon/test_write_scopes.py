"""The writes with OAuth app tokens: each endpoint asks for its Mastodon scope (403 with
``{"error"}`` otherwise), and an app token with the right ones works end to end."""

from __future__ import annotations

from tests.api.conftest import Api, bearer
from tests.api.mastodon.posting import V1_MEDIA, media_status, upload
from tests.api.mastodon.tokens import app_token


async def test_a_read_only_token_cannot_write(worker_api: Api) -> None:
    await worker_api.register("alice")
    author = await worker_api.token_for("bob")
    post = (await media_status(worker_api, author)).json()
    reader = await app_token(worker_api, "alice", "read")
    for response in (
        await worker_api.client.post(
            "/api/v1/statuses",
            data={"status": "hi", "in_reply_to_id": post["id"]},
            headers=bearer(reader),
        ),
        await upload(worker_api, reader),
        await upload(worker_api, reader, path=V1_MEDIA),
        await worker_api.client.post(
            f"/api/v1/statuses/{post['id']}/favourite", headers=bearer(reader)
        ),
        await worker_api.client.delete(f"/api/v1/statuses/{post['id']}", headers=bearer(reader)),
    ):
        assert response.status_code == 403, response.text
        assert "scope" in response.json()["error"]
    liked_by = await worker_api.client.get(
        f"/api/v1/statuses/{post['id']}/favourited_by", headers=bearer(reader)
    )
    assert liked_by.status_code == 200 and liked_by.json() == []


async def test_each_write_asks_for_its_own_sub_scope(worker_api: Api) -> None:
    await worker_api.register("alice")
    bob = await worker_api.token_for("bob")
    post = (await media_status(worker_api, bob)).json()
    media_only = await app_token(worker_api, "alice", "write:media")
    uploaded = await upload(worker_api, media_only)
    assert uploaded.status_code == 200, uploaded.text
    refused = await worker_api.client.post(
        "/api/v1/statuses",
        data={"status": "hi", "media_ids[]": uploaded.json()["id"]},
        headers=bearer(media_only),
    )
    assert refused.status_code == 403

    poster = await app_token(worker_api, "alice", "write:statuses write:media")
    made = await media_status(worker_api, poster, "from an app")
    assert made.status_code == 200 and made.json()["account"]["username"] == "alice"

    liker = await app_token(worker_api, "alice", "write:favourites")
    url = f"/api/v1/statuses/{post['id']}"
    assert (await worker_api.client.post(f"{url}/favourite", headers=bearer(liker))).json()[
        "favourited"
    ]
    for verb in ("reblog", "bookmark"):
        response = await worker_api.client.post(f"{url}/{verb}", headers=bearer(liker))
        assert response.status_code == 403, verb
    saver = await app_token(worker_api, "alice", "write:bookmarks")
    saved = await worker_api.client.post(f"{url}/bookmark", headers=bearer(saver))
    assert saved.status_code == 200 and saved.json()["bookmarked"] is True
