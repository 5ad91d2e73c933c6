"""One status (a post, a comment, a share) and its context, bookmarks, favourites and the
Mastodon tag: Mastodon's shapes, and the domain's visibility (404 when hidden)."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, bearer
from tests.api.mastodon.helpers import feed_holds, links, walk
from tests.api.test_interactions_and_feeds import follow, publish


async def comment(api: Api, token: str, post_id: str, text: str, parent: str | None = None) -> Any:
    body = {"text": text} | ({"parent_id": parent} if parent else {})
    response = await api.client.post(
        f"/api/v1/posts/{post_id}/comments", json=body, headers=bearer(token)
    )
    assert response.status_code == 201, response.text
    return response.json()


async def status(api: Api, status_id: str, token: str | None = None) -> Any:
    headers = bearer(token) if token else {}
    return await api.client.get(f"/api/v1/statuses/{status_id}", headers=headers)


async def test_a_post_a_comment_a_reply_and_a_share(worker_api: Api) -> None:
    api = worker_api
    alice, bob, carol = [await api.token_for(n) for n in ("alice", "bob", "carol")]
    post = await publish(api, alice, "Hello\n\nworld <b>#cats</b>")
    top = await comment(api, bob, post["id"], "nice @alice")
    reply = await comment(api, alice, post["id"], "thanks", top["id"])
    await api.client.post(f"/api/v1/posts/{post['id']}/like", headers=bearer(bob))
    await api.client.post(f"/api/v1/posts/{post['id']}/bookmark", headers=bearer(bob))

    seen = (await status(api, post["id"], bob)).json()
    assert seen["id"] == post["id"] and seen["account"]["username"] == "alice"
    assert seen["content"].startswith("<p>Hello</p><p>world &lt;b&gt;<a href=")
    assert (seen["favourited"], seen["bookmarked"], seen["reblogged"]) == (True, True, False)
    assert (seen["favourites_count"], seen["replies_count"]) == (1, 2)
    anonymous = (await status(api, post["id"])).json()
    assert (anonymous["favourited"], anonymous["bookmarked"]) == (False, False)

    as_status = (await status(api, top["id"])).json()
    assert as_status["in_reply_to_id"] == post["id"]
    assert as_status["in_reply_to_account_id"] == seen["account"]["id"]
    assert as_status["account"]["username"] == "bob" and as_status["text"] == "nice @alice"
    assert as_status["mentions"] == [
        {
            "id": seen["account"]["id"],
            "username": "alice",
            "acct": "alice",
            "url": seen["account"]["url"],
        }
    ]
    as_reply = (await status(api, reply["id"])).json()
    assert as_reply["in_reply_to_id"] == top["id"]
    assert as_reply["in_reply_to_account_id"] == as_status["account"]["id"]

    share = await api.client.post(f"/api/v1/posts/{post['id']}/share", headers=bearer(bob))
    assert share.status_code == 200
    await feed_holds(api, bob, 1)  # the sharer's own feed receives it by the fan-out job
    home = (await api.client.get("/api/v1/timelines/home", headers=bearer(bob))).json()
    (reblog,) = [s for s in home if s["reblog"] is not None]
    again = (await status(api, reblog["id"], bob)).json()
    assert again == reblog
    assert again["reblog"]["id"] == post["id"] and again["account"]["username"] == "bob"
    assert (await status(api, reblog["id"])).json()["id"] == reblog["id"]
    await api.client.post("/api/v1/users/bob/block", headers=bearer(carol))
    assert (await status(api, reblog["id"], carol)).status_code == 404  # the sharer is hidden

    for missing in ("not-a-uuid", "0190a4c2-7a3e-7000-8000-000000000000"):
        response = await status(api, missing)
        assert response.status_code == 404 and "error" in response.json()


async def test_context_of_a_post_and_of_its_comments(worker_api: Api) -> None:
    api = worker_api
    alice, bob = await api.token_for("alice"), await api.token_for("bob")
    post = await publish(api, alice, "context")
    first = await comment(api, bob, post["id"], "first")
    second = await comment(api, bob, post["id"], "second")
    answer = await comment(api, alice, post["id"], "answer", first["id"])

    def ids(statuses: list[Any]) -> list[str]:
        return [s["id"] for s in statuses]

    context = (await api.client.get(f"/api/v1/statuses/{post['id']}/context")).json()
    assert context["ancestors"] == []
    assert ids(context["descendants"]) == [first["id"], answer["id"], second["id"]]
    of_first = (await api.client.get(f"/api/v1/statuses/{first['id']}/context")).json()
    assert ids(of_first["ancestors"]) == [post["id"]]
    assert ids(of_first["descendants"]) == [answer["id"]]
    of_answer = (await api.client.get(f"/api/v1/statuses/{answer['id']}/context")).json()
    assert ids(of_answer["ancestors"]) == [post["id"], first["id"]]
    assert of_answer["descendants"] == []


async def test_private_blocked_and_anonymous_get_not_found(worker_api: Api) -> None:
    api = worker_api
    alice, bob, carol = [await api.token_for(n) for n in ("alice", "bob", "carol")]
    post = await publish(api, alice, "mine")
    remark = await comment(api, carol, post["id"], "hello")
    await follow(api, carol, "alice")
    await api.client.patch("/api/v1/me", json={"is_private": True}, headers=bearer(alice))
    # carol followed before: she still sees it, as private; others do not
    assert (await status(api, post["id"], carol)).json()["visibility"] == "private"
    assert (await status(api, remark["id"], carol)).json()["visibility"] == "private"
    for token in (None, bob):
        for status_id in (post["id"], remark["id"]):
            response = await status(api, status_id, token)
            assert response.status_code == 404, response.text
        context = await api.client.get(
            f"/api/v1/statuses/{post['id']}/context", headers=bearer(token) if token else {}
        )
        assert context.status_code == 404
    tag = await api.client.get("/api/v1/timelines/home", headers=bearer(bob))
    assert tag.json() == []

    await api.client.patch("/api/v1/me", json={"is_private": False}, headers=bearer(alice))
    assert (await status(api, post["id"], bob)).status_code == 200
    await api.client.post("/api/v1/users/bob/block", headers=bearer(alice))
    assert (await status(api, post["id"], bob)).status_code == 404
    # a comment by someone who blocks the viewer is hidden too, on a post the viewer sees
    visible = await publish(api, carol, "carol's")
    hers = await comment(api, alice, visible["id"], "from alice")
    assert (await status(api, hers["id"], bob)).status_code == 404
    assert (await status(api, hers["id"])).status_code == 200


async def test_bookmarks_and_favourites_walk_by_link(worker_api: Api) -> None:
    api = worker_api
    alice, bob = await api.token_for("alice"), await api.token_for("bob")
    posts = [(await publish(api, alice, f"p{i}"))["id"] for i in range(5)]
    for post_id in posts:
        await api.client.post(f"/api/v1/posts/{post_id}/bookmark", headers=bearer(bob))
    for post_id in posts[:3]:
        await api.client.post(f"/api/v1/posts/{post_id}/like", headers=bearer(bob))
    assert await walk(api, "/api/v1/bookmarks", bob, limit=2) == posts[::-1]
    assert await walk(api, "/api/v1/favourites", bob, limit=2) == posts[:3][::-1]
    page = await api.client.get("/api/v1/favourites", headers=bearer(bob))
    assert all(s["favourited"] for s in page.json()) and "link" not in page.headers
    one = await api.client.get("/api/v1/bookmarks", params={"limit": 1}, headers=bearer(bob))
    assert set(links(one)) == {"next"} and one.json()[0]["bookmarked"] is True
    assert (await api.client.get("/api/v1/bookmarks")).status_code == 401


async def test_the_mastodon_tag_under_its_internal_prefix(api: Api) -> None:
    response = await api.client.get("/_mastodon/api/v1/tags/Cats")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["name"] == "cats" and body["url"].endswith("/tags/cats")
    assert body["history"] == [] and body["following"] is False
    native = await api.client.get("/api/v1/tags/cats")
    assert native.status_code == 200 and "posts_count" in native.json()  # untouched
