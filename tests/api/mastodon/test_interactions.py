"""Favourite, reblog and bookmark through the app API: the updated status with fresh counts
and flags, the reblog as a new status wrapping the post, the same privacy answers as the
native API, and comments refused with a reason."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, bearer
from tests.api.mastodon.posting import media_status


async def _verb(api: Api, token: str, status_id: str, verb: str) -> Any:
    return await api.client.post(f"/api/v1/statuses/{status_id}/{verb}", headers=bearer(token))


async def test_favourite_and_bookmark_answer_the_updated_status(worker_api: Api) -> None:
    alice, bob = await worker_api.token_for("alice"), await worker_api.token_for("bob")
    post = (await media_status(worker_api, alice)).json()
    assert (post["favourites_count"], post["favourited"], post["bookmarked"]) == (0, False, False)

    liked = await _verb(worker_api, bob, post["id"], "favourite")
    assert liked.status_code == 200, liked.text
    assert (liked.json()["id"], liked.json()["favourited"], liked.json()["favourites_count"]) == (
        post["id"],
        True,
        1,
    )
    assert (await _verb(worker_api, bob, post["id"], "favourite")).json()["favourites_count"] == 1
    native = await worker_api.client.get(f"/api/v1/posts/{post['id']}/likes")
    assert [u["username"] for u in native.json()["items"]] == ["bob"]
    unliked = (await _verb(worker_api, bob, post["id"], "unfavourite")).json()
    assert (unliked["favourited"], unliked["favourites_count"]) == (False, 0)

    saved = (await _verb(worker_api, bob, post["id"], "bookmark")).json()
    assert saved["bookmarked"] is True and saved["favourited"] is False
    mine = await worker_api.client.get("/api/v1/me/bookmarks", headers=bearer(bob))
    assert [p["id"] for p in mine.json()["items"]] == [post["id"]]
    assert (await _verb(worker_api, bob, post["id"], "unbookmark")).json()["bookmarked"] is False
    natively = await worker_api.client.get(f"/api/v1/posts/{post['id']}", headers=bearer(bob))
    assert natively.json()["bookmarked"] is False and natively.json()["likes_count"] == 0


async def test_a_reblog_is_a_new_status_wrapping_the_post(worker_api: Api) -> None:
    alice, bob = await worker_api.token_for("alice"), await worker_api.token_for("bob")
    post = (await media_status(worker_api, alice)).json()
    shared = await _verb(worker_api, bob, post["id"], "reblog")
    assert shared.status_code == 200, shared.text
    wrapper = shared.json()
    assert wrapper["id"] != post["id"] and wrapper["account"]["username"] == "bob"
    assert wrapper["reblog"]["id"] == post["id"] and wrapper["reblogged"] is True
    assert wrapper["reblog"]["reblogs_count"] == 1 and wrapper["reblog"]["reblogged"] is True
    again = (await _verb(worker_api, bob, post["id"], "reblog")).json()
    assert again["id"] == wrapper["id"]  # idempotent: the same share
    liked_through_share = (await _verb(worker_api, bob, wrapper["id"], "favourite")).json()
    assert liked_through_share["id"] == post["id"] and liked_through_share["favourited"]

    own = await _verb(worker_api, alice, post["id"], "reblog")
    assert own.status_code == 403 and "own post" in own.json()["error"]
    undone = (await _verb(worker_api, bob, post["id"], "unreblog")).json()
    assert (undone["id"], undone["reblogged"], undone["reblogs_count"]) == (post["id"], False, 0)

    # DELETE on the share's id takes the share back (Mastodon's way to undo a reblog)
    wrapper = (await _verb(worker_api, bob, post["id"], "reblog")).json()
    not_hers = await worker_api.client.delete(
        f"/api/v1/statuses/{wrapper['id']}", headers=bearer(alice)
    )
    assert not_hers.status_code == 403
    removed = await worker_api.client.delete(
        f"/api/v1/statuses/{wrapper['id']}", headers=bearer(bob)
    )
    assert removed.status_code == 200 and removed.json()["reblog"]["id"] == post["id"]
    fresh = await worker_api.client.get(f"/api/v1/posts/{post['id']}", headers=bearer(bob))
    assert fresh.json()["shares_count"] == 0
    gone = await _verb(worker_api, bob, wrapper["id"], "favourite")
    assert gone.status_code == 404


async def test_comments_cannot_be_favourited_reblogged_or_bookmarked(worker_api: Api) -> None:
    alice, bob = await worker_api.token_for("alice"), await worker_api.token_for("bob")
    post = (await media_status(worker_api, alice)).json()
    comment = await worker_api.client.post(
        "/api/v1/statuses",
        data={"status": "nice", "in_reply_to_id": post["id"]},
        headers=bearer(bob),
    )
    for verb, word in (
        ("favourite", "favourited"),
        ("reblog", "reblogged"),
        ("bookmark", "bookmarked"),
    ):
        refused = await _verb(worker_api, alice, comment.json()["id"], verb)
        assert refused.status_code == 422, refused.text
        assert f"comments cannot be {word}" in refused.json()["error"]


async def test_a_private_accounts_post_answers_as_natively(worker_api: Api) -> None:
    alice, bob = await worker_api.token_for("alice"), await worker_api.token_for("bob")
    await worker_api.client.patch("/api/v1/me", json={"is_private": True}, headers=bearer(alice))
    post = (await media_status(worker_api, alice)).json()
    native = await worker_api.client.post(f"/api/v1/posts/{post['id']}/like", headers=bearer(bob))
    assert native.status_code == 404
    for verb in ("favourite", "reblog", "bookmark"):
        refused = await _verb(worker_api, bob, post["id"], verb)
        assert refused.status_code == 404, (verb, refused.text)
        assert refused.json() == {"error": "No such status."}

    await worker_api.client.post("/api/v1/users/alice/follow", headers=bearer(bob))
    requests = await worker_api.client.get("/api/v1/me/follow-requests", headers=bearer(alice))
    request_id = requests.json()["items"][0]["id"]
    approved = await worker_api.client.post(
        f"/api/v1/me/follow-requests/{request_id}/approve", headers=bearer(alice)
    )
    assert approved.status_code in (200, 204), approved.text
    liked = await _verb(worker_api, bob, post["id"], "favourite")
    assert liked.status_code == 200 and liked.json()["visibility"] == "private"
    shared = await _verb(worker_api, bob, post["id"], "reblog")  # private posts stay private
    assert shared.status_code == 403 and "private" in shared.json()["error"]


def _next_link(response: Any) -> str | None:
    """The ``rel="next"`` URL of a ``Link`` header, as Mastodon.py reads it."""
    header: str = response.headers.get("link", "")
    for part in header.split(","):
        url, _, rel = part.partition(";")
        if 'rel="next"' in rel:
            return url.strip().strip("<>")
    return None


async def test_who_favourited_and_reblogged_pages_by_link(worker_api: Api) -> None:
    alice = await worker_api.token_for("alice")
    fans = [await worker_api.token_for(name) for name in ("bob", "carol", "dave")]
    post = (await media_status(worker_api, alice)).json()
    for fan in fans:
        assert (await _verb(worker_api, fan, post["id"], "favourite")).status_code == 200
        assert (await _verb(worker_api, fan, post["id"], "reblog")).status_code == 200
    for list_name in ("favourited_by", "reblogged_by"):
        url: str | None = f"/api/v1/statuses/{post['id']}/{list_name}?limit=2"
        seen: list[str] = []
        while url is not None:
            page = await worker_api.client.get(url)  # public post: anyone may look
            assert page.status_code == 200, page.text
            seen += [account["username"] for account in page.json()]
            url = _next_link(page)
            assert url is None or url.startswith("http")
        assert seen == ["dave", "carol", "bob"], (list_name, seen)

    share = (await _verb(worker_api, fans[0], post["id"], "reblog")).json()
    through_share = await worker_api.client.get(f"/api/v1/statuses/{share['id']}/reblogged_by")
    assert [a["username"] for a in through_share.json()] == ["dave", "carol", "bob"]
    comment = await worker_api.client.post(
        "/api/v1/statuses",
        data={"status": "nice", "in_reply_to_id": post["id"]},
        headers=bearer(fans[0]),
    )
    on_comment = await worker_api.client.get(
        f"/api/v1/statuses/{comment.json()['id']}/favourited_by"
    )
    assert on_comment.status_code == 200 and on_comment.json() == []
    assert "link" not in on_comment.headers


async def test_who_favourited_a_private_post_is_for_its_audience(worker_api: Api) -> None:
    alice, bob = await worker_api.token_for("alice"), await worker_api.token_for("bob")
    await worker_api.client.patch("/api/v1/me", json={"is_private": True}, headers=bearer(alice))
    post = (await media_status(worker_api, alice)).json()
    await _verb(worker_api, alice, post["id"], "favourite")
    mine = await worker_api.client.get(
        f"/api/v1/statuses/{post['id']}/favourited_by", headers=bearer(alice)
    )
    assert [a["username"] for a in mine.json()] == ["alice"]
    for headers in ({}, bearer(bob)):
        hidden = await worker_api.client.get(
            f"/api/v1/statuses/{post['id']}/favourited_by", headers=headers
        )
        assert hidden.status_code == 404 and hidden.json() == {"error": "No such status."}
