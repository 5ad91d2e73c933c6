"""The app API's notifications (the twin under ``/_mastodon`` of the native path): Mastodon's
types for our kinds, each with its status, filters, paging both ways by ``Link``, one by id,
dismiss, clear and the unread count."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tests.api.conftest import Api, bearer, eventually
from tests.api.mastodon.people import Person, links, person, walk
from tests.api.mastodon.tokens import app_token
from tests.api.test_interactions_and_feeds import follow, publish

PATH = "/_mastodon/api/v1/notifications"


async def listed(api: Api, who: Person, **params: Any) -> list[dict[str, Any]]:
    response = await api.client.get(PATH, params=params, headers=who.auth)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def test_types_statuses_and_filters(worker_api: Api) -> None:
    api = worker_api
    alice, bob, carol, dave = [await person(api, n) for n in ("alice", "bob", "carol", "dave")]
    post = await publish(api, alice.token, "Sunset #sky")
    url = f"/api/v1/posts/{post['id']}"
    # notifications are stamped when their job runs, and jobs run concurrently: each action's
    # notification is waited for before the next, so the expected order is the order of acts

    def count_of(who: Person, count: int) -> Callable[[], Awaitable[bool]]:
        async def there() -> bool:
            return len(await listed(api, who)) == count

        return there

    await follow(api, bob.token, "alice")
    await eventually(count_of(alice, 1))
    await api.client.post(f"{url}/like", headers=bob.auth)
    await eventually(count_of(alice, 2))
    comment = await api.client.post(f"{url}/comments", json={"text": "Wow"}, headers=carol.auth)
    await eventually(count_of(alice, 3))
    await api.client.post(f"{url}/share", headers=dave.auth)
    await eventually(count_of(alice, 4))
    mention = await publish(api, dave.token, "With @alice today")
    reply = await api.client.post(
        f"{url}/comments",
        json={"text": "@carol thanks", "parent_id": comment.json()["id"]},
        headers=alice.auth,
    )
    assert reply.status_code == 201, reply.text
    await eventually(count_of(alice, 5))
    await eventually(count_of(carol, 1))
    found = await listed(api, alice)
    assert [(n["type"], n["account"]["acct"]) for n in found] == [
        ("mention", "dave"),
        ("reblog", "dave"),
        ("mention", "carol"),
        ("favourite", "bob"),
        ("follow", "bob"),
    ]
    for n in found:
        assert n["created_at"].endswith("Z") and n["group_key"] == f"ungrouped-{n['id']}"
    by_type = {(n["type"], n["account"]["acct"]): n for n in found}
    assert by_type["mention", "dave"]["status"]["id"] == mention["id"]
    assert by_type["reblog", "dave"]["status"]["id"] == post["id"]
    assert by_type["favourite", "bob"]["status"]["id"] == post["id"]
    assert by_type["follow", "bob"]["status"] is None
    commented = by_type["mention", "carol"]["status"]
    assert (commented["id"], commented["in_reply_to_id"]) == (comment.json()["id"], post["id"])
    assert commented["in_reply_to_account_id"] == alice.id and "Wow" in commented["content"]
    mentions = by_type["mention", "dave"]["status"]["mentions"]
    assert [(m["id"], m["acct"]) for m in mentions] == [(alice.id, "alice")]

    (replied,) = [n for n in await listed(api, carol) if n["type"] == "mention"]
    status = replied["status"]
    assert (status["id"], status["in_reply_to_id"]) == (reply.json()["id"], comment.json()["id"])
    assert status["in_reply_to_account_id"] == carol.id
    assert [m["id"] for m in status["mentions"]] == [carol.id]

    def kinds(items: list[dict[str, Any]]) -> list[str]:
        return [n["type"] for n in items]

    assert kinds(await listed(api, alice, **{"types[]": "follow"})) == ["follow"]
    both = await api.client.get(
        PATH, params=[("types[]", "favourite"), ("types[]", "reblog")], headers=alice.auth
    )
    assert kinds(both.json()) == ["reblog", "favourite"]
    assert kinds(await listed(api, alice, **{"exclude_types[]": "mention"})) == [
        "reblog", "favourite", "follow",
    ]  # fmt: skip
    assert await listed(api, alice, **{"types[]": "poll"}) == []
    everything_but = await api.client.get(
        PATH,
        params=[("types[]", "mention"), ("exclude_types[]", "mention")],
        headers=alice.auth,
    )
    assert everything_but.json() == [] and "link" not in everything_but.headers

    # a locked account's follow request
    await api.client.patch("/api/v1/me", json={"is_private": True}, headers=dave.auth)
    await follow(api, carol.token, "dave")

    async def requested() -> bool:
        return kinds(await listed(api, dave, **{"types[]": "follow_request"})) == ["follow_request"]

    await eventually(requested)


async def test_paging_both_ways_one_dismiss_clear_and_count(worker_api: Api) -> None:
    api = worker_api
    star = await person(api, "star")
    fans = [await person(api, f"fan{i}") for i in range(7)]
    for fan in fans:
        await follow(api, fan.token, "star")

    async def all_seven() -> bool:
        return len(await listed(api, star)) == 7

    await eventually(all_seven)
    newest_first = [n["id"] for n in await listed(api, star)]
    for limit in (1, 2, 3, 7):
        pages, nexts = await walk(api, PATH, star.auth, limit=limit)
        assert [n["id"] for page in pages for n in page] == newest_first, limit
        assert all(url.startswith("http://testserver.local/api/v1/notifications?") for url in nexts)
    page = await api.client.get(PATH, params={"limit": 3}, headers=star.auth)
    paging = links(page)
    assert set(paging) == {"next", "prev"}
    assert f"min_id={newest_first[0]}" in paging["prev"]
    assert f"max_id={newest_first[2]}" in paging["next"] and "limit=3" in paging["next"]
    older = await listed(api, star, max_id=newest_first[2], limit=2)
    assert [n["id"] for n in older] == newest_first[3:5]
    newer = await listed(api, star, since_id=newest_first[4], limit=2)
    assert [n["id"] for n in newer] == newest_first[:2]
    closest = await listed(api, star, min_id=newest_first[4], limit=2)
    assert [n["id"] for n in closest] == newest_first[2:4]
    assert await listed(api, star, min_id=newest_first[0]) == []
    between = await listed(api, star, max_id=newest_first[0], since_id=newest_first[3])
    assert [n["id"] for n in between] == newest_first[1:3]

    one = await api.client.get(f"{PATH}/{newest_first[1]}", headers=star.auth)
    assert one.status_code == 200 and one.json()["id"] == newest_first[1]
    theirs = await api.client.get(f"{PATH}/{newest_first[1]}", headers=fans[0].auth)
    assert theirs.status_code == 404 and "error" in theirs.json()
    count = await api.client.get(f"{PATH}/unread_count", headers=star.auth)
    assert count.json() == {"count": 7}

    dismissed = await api.client.post(f"{PATH}/{newest_first[1]}/dismiss", headers=star.auth)
    assert dismissed.status_code == 200 and dismissed.json() == {}
    again = await api.client.post(f"{PATH}/{newest_first[1]}/dismiss", headers=star.auth)
    assert again.status_code == 404 and "error" in again.json()
    assert (await api.client.get(f"{PATH}/{newest_first[1]}", headers=star.auth)).status_code == 404
    rest = [n["id"] for n in await listed(api, star)]
    assert rest == newest_first[:1] + newest_first[2:]
    # the dismissed one still marks its place when a client pages from it
    after_gone = await listed(api, star, max_id=newest_first[1])
    assert [n["id"] for n in after_gone] == newest_first[2:]

    cleared = await api.client.post(f"{PATH}/clear", headers=star.auth)
    assert cleared.status_code == 200 and cleared.json() == {}
    empty = await api.client.get(PATH, headers=star.auth)
    assert empty.json() == [] and "link" not in empty.headers
    assert len(await listed(api, fans[0])) == 0


async def test_scopes_and_the_native_path_keeps_its_shape(worker_api: Api) -> None:
    api = worker_api
    alice, bob = await person(api, "alice"), await person(api, "bob")
    await follow(api, bob.token, "alice")

    async def notified() -> bool:
        return len(await listed(api, alice)) == 1

    await eventually(notified)
    reader = bearer(await app_token(api, "alice", "read:notifications"))
    got = await api.client.get(PATH, headers=reader)
    assert got.status_code == 200 and got.json()[0]["type"] == "follow"
    refused = await api.client.post(f"{PATH}/clear", headers=reader)
    assert refused.status_code == 403 and "error" in refused.json()
    statuses_only = bearer(await app_token(api, "alice", "read:statuses"))
    assert (await api.client.get(PATH, headers=statuses_only)).status_code == 403
    assert (await api.client.get(PATH)).status_code == 401
    native = await api.client.get("/api/v1/notifications", headers=alice.auth)
    assert native.status_code == 200 and native.json()["items"][0]["kind"] == "follow"
