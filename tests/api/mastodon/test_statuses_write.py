"""Posting, replying, editing and deleting through ``/api/v1/statuses``: posts need a photo,
replies are comments (visible natively too), one status per ``Idempotency-Key``, and the rules
on visibility."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, bearer
from tests.api.mastodon.posting import media_status, ready_photo


async def _reply(api: Api, token: str, to: str, text: str, **extra: Any) -> Any:
    return await api.client.post(
        "/api/v1/statuses",
        data={"status": text, "in_reply_to_id": to, **extra},
        headers=bearer(token),
    )


async def test_a_status_with_a_photo_is_a_post(worker_api: Api) -> None:
    token = await worker_api.token_for("alice")
    response = await media_status(worker_api, token, "hello #cats\nsecond <line>")
    assert response.status_code == 200, response.text
    status = response.json()
    assert status["content"].startswith("<p>hello <a") and "&lt;line&gt;" in status["content"]
    assert status["text"] == "hello #cats\nsecond <line>"
    assert status["visibility"] == "public" and status["in_reply_to_id"] is None
    assert status["account"]["username"] == "alice" and status["reblog"] is None
    assert status["tags"] == [{"name": "cats", "url": status["tags"][0]["url"]}]
    [attachment] = status["media_attachments"]
    assert attachment["url"].startswith("http") and attachment["type"] == "image"
    assert status["created_at"].endswith("Z")
    native = await worker_api.client.get(f"/api/v1/posts/{status['id']}")
    assert native.status_code == 200 and native.json()["caption"] == status["text"]


async def test_a_status_without_a_photo_needs_a_reply_target(worker_api: Api) -> None:
    token = await worker_api.token_for("alice")
    for body in ({"status": "text only"}, {"status": "x", "media_ids[]": "nope"}):
        refused = await worker_api.client.post("/api/v1/statuses", data=body, headers=bearer(token))
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"].startswith("Validation failed: media_ids")
    mine = (await worker_api.client.get("/api/v1/me", headers=bearer(token))).json()
    assert mine["posts_count"] == 0


async def test_a_repeated_idempotency_key_returns_the_same_status(worker_api: Api) -> None:
    token = await worker_api.token_for("alice")
    media = await ready_photo(worker_api, token)
    form = {"status": "once", "media_ids[]": [media["id"]]}
    key = {"Idempotency-Key": "post-1"}
    first = await worker_api.client.post("/api/v1/statuses", data=form, headers=bearer(token) | key)
    again = await worker_api.client.post("/api/v1/statuses", data=form, headers=bearer(token) | key)
    assert first.status_code == again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"]
    replies = [
        await worker_api.client.post(
            "/api/v1/statuses",
            json={"status": "thanks", "in_reply_to_id": first.json()["id"]},
            headers=bearer(token) | {"Idempotency-Key": "reply-1"},
        )
        for _ in range(2)
    ]
    assert [r.status_code for r in replies] == [200, 200]
    assert replies[0].json()["id"] == replies[1].json()["id"]
    mine = (await worker_api.client.get("/api/v1/me", headers=bearer(token))).json()
    assert mine["posts_count"] == 1
    comments = await worker_api.client.get(f"/api/v1/posts/{first.json()['id']}/comments")
    assert len(comments.json()["items"]) == 1  # the keyed reply, made once


async def test_replies_are_comments_one_level_deep(worker_api: Api) -> None:
    alice, bob = await worker_api.token_for("alice"), await worker_api.token_for("bob")
    post = (await media_status(worker_api, alice)).json()
    top = await _reply(worker_api, bob, post["id"], "nice @alice")
    assert top.status_code == 200, top.text
    comment = top.json()
    assert comment["in_reply_to_id"] == post["id"]
    assert comment["in_reply_to_account_id"] == post["account"]["id"]
    assert comment["text"] == "nice @alice" and comment["media_attachments"] == []
    answer = (await _reply(worker_api, alice, comment["id"], "thanks")).json()
    assert answer["in_reply_to_id"] == comment["id"]
    assert answer["in_reply_to_account_id"] == comment["account"]["id"]
    deeper = (await _reply(worker_api, bob, answer["id"], "you are welcome")).json()
    assert deeper["in_reply_to_id"] == comment["id"]  # joins the top-level comment's thread

    native = await worker_api.client.get(f"/api/v1/posts/{post['id']}/comments")
    assert [c["id"] for c in native.json()["items"]] == [comment["id"]]
    thread = await worker_api.client.get(
        f"/api/v1/posts/{post['id']}/comments", params={"parent_id": comment["id"]}
    )
    assert [c["id"] for c in thread.json()["items"]] == [answer["id"], deeper["id"]]

    media = await ready_photo(worker_api, bob)
    with_media = await _reply(worker_api, bob, post["id"], "look", **{"media_ids[]": media["id"]})
    assert with_media.status_code == 422 and "media_ids" in with_media.json()["error"]
    empty = await _reply(worker_api, bob, post["id"], "")
    assert empty.status_code == 422 and "text" in empty.json()["error"]
    for missing in ("0190a0a0-0000-7000-8000-000000000000", "nope"):
        gone = await _reply(worker_api, bob, missing, "hello?")
        assert gone.status_code == 404 and gone.json() == {"error": "No such status."}


async def test_visibility_direct_and_polls_are_refused(worker_api: Api) -> None:
    token = await worker_api.token_for("alice")
    for extra, word in (
        ({"visibility": "direct"}, "direct"),
        ({"visibility": "secret"}, "visibility"),
        ({"poll[options][]": ["a", "b"], "poll[expires_in]": "300"}, "polls"),
        ({"visibility": "private"}, "private account"),
    ):
        refused = await media_status(worker_api, token, "hi", **extra)
        assert refused.status_code == 422, (extra, refused.text)
        assert word in refused.json()["error"], refused.json()
    for visibility in ("public", "unlisted"):
        made = await media_status(worker_api, token, "hi", visibility=visibility)
        assert made.status_code == 200 and made.json()["visibility"] == "public"
    await worker_api.client.patch("/api/v1/me", json={"is_private": True}, headers=bearer(token))
    private = await media_status(worker_api, token, "hi", visibility="private", sensitive="1")
    assert private.status_code == 200 and private.json()["visibility"] == "private"


async def test_edit_changes_a_posts_caption_only(worker_api: Api) -> None:
    alice, bob = await worker_api.token_for("alice"), await worker_api.token_for("bob")
    post = (await media_status(worker_api, alice, "first")).json()
    url = f"/api/v1/statuses/{post['id']}"
    edited = await worker_api.client.put(
        url, data={"status": "second #dogs"}, headers=bearer(alice)
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["text"] == "second #dogs" and edited.json()["edited_at"]
    assert [t["name"] for t in edited.json()["tags"]] == ["dogs"]
    not_mine = await worker_api.client.put(url, data={"status": "mine"}, headers=bearer(bob))
    assert not_mine.status_code == 403 and "error" in not_mine.json()
    comment = (await _reply(worker_api, bob, post["id"], "hi")).json()
    on_comment = await worker_api.client.put(
        f"/api/v1/statuses/{comment['id']}", data={"status": "edited"}, headers=bearer(bob)
    )
    assert on_comment.status_code == 422 and "only a post" in on_comment.json()["error"]


async def test_delete_answers_the_text_and_the_status_is_gone(worker_api: Api) -> None:
    alice, bob = await worker_api.token_for("alice"), await worker_api.token_for("bob")
    post = (await media_status(worker_api, alice, "bye #now")).json()
    comment = (await _reply(worker_api, bob, post["id"], "wait")).json()
    url = f"/api/v1/statuses/{post['id']}"
    refused = await worker_api.client.delete(url, headers=bearer(bob))
    assert refused.status_code == 403 and "error" in refused.json()

    gone_comment = await worker_api.client.delete(
        f"/api/v1/statuses/{comment['id']}",
        headers=bearer(alice),  # on her post: allowed
    )
    assert gone_comment.status_code == 200 and gone_comment.json()["text"] == "wait"
    deleted = await worker_api.client.delete(url, headers=bearer(alice))
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["id"] == post["id"] and deleted.json()["text"] == "bye #now"
    assert (await worker_api.client.get(f"/api/v1/posts/{post['id']}")).status_code == 404
    again = await worker_api.client.delete(url, headers=bearer(alice))
    assert again.status_code == 404 and again.json() == {"error": "No such status."}
