"""Issue 13, item 6 through HTTP: a tag's count agrees with its page at once (both read the
post's own rows, not the search index), and a comment hidden from the viewer by a block cannot
be replied to (404, as if it did not exist)."""

from __future__ import annotations

from typing import Any

from social.adapters.postgres.search_changes import PostgresSearchSyncPause
from tests.api.conftest import Api, bearer
from tests.api.test_interactions_and_feeds import publish


async def _tag(api: Api, tag: str) -> tuple[int, list[str]]:
    summary = await api.client.get(f"/api/v1/tags/{tag}")
    page = await api.client.get(f"/api/v1/tags/{tag}/posts")
    assert summary.status_code == 200 and page.status_code == 200, (summary.text, page.text)
    return summary.json()["posts_count"], [p["id"] for p in page.json()["items"]]


async def test_a_tag_counts_what_its_page_lists_at_once(worker_api: Api) -> None:
    api = worker_api
    alice = await api.token_for("alice")
    bob = await api.token_for("bob")
    await api.client.patch("/api/v1/me", json={"is_private": True}, headers=bearer(bob))
    # The search index is held still (as when its sync lags): the count must not need it.
    async with PostgresSearchSyncPause(api.database.engine).paused():
        first = await publish(api, alice, "Sore di pantai #senja")
        assert await _tag(api, "senja") == (1, [first["id"]])
        second = await publish(api, alice, "Lagi #Senja")
        await publish(api, bob, "Rahasia #senja")  # private: neither listed nor counted
        assert await _tag(api, "senja") == (2, [second["id"], first["id"]])
        deleted = await api.client.delete(f"/api/v1/posts/{first['id']}", headers=bearer(alice))
        assert deleted.status_code == 204
        assert await _tag(api, "senja") == (1, [second["id"]])


async def _comment(api: Api, token: str, post: dict[str, Any], **body: Any) -> Any:
    return await api.client.post(
        f"/api/v1/posts/{post['id']}/comments", json={"text": "hi", **body}, headers=bearer(token)
    )


async def test_a_comment_hidden_by_a_block_cannot_be_replied_to(worker_api: Api) -> None:
    api = worker_api
    alice, bob, carol = [await api.token_for(name) for name in ("alice", "bob", "carol")]
    post = await publish(api, alice, "Open to all")
    by_bob = (await _comment(api, bob, post)).json()
    reply_by_carol = (await _comment(api, carol, post, parent_id=by_bob["id"])).json()
    blocked = await api.client.post("/api/v1/users/alice/block", headers=bearer(bob))
    assert blocked.status_code == 204, blocked.text
    # bob blocked alice: his comment, and the thread under it, are hidden from her
    for parent in (by_bob["id"], reply_by_carol["id"]):
        refused = await _comment(api, alice, post, parent_id=parent)
        assert refused.status_code == 404, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
    # carol sees the thread and may still reply to both
    for parent in (by_bob["id"], reply_by_carol["id"]):
        assert (await _comment(api, carol, post, parent_id=parent)).status_code == 201
