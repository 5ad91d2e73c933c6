"""The app API's relationships: following (a locked account through its request), blocking and
muting by account id, relationships in the order asked, follow requests, and scopes."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, bearer
from tests.api.mastodon.people import Person, links, person, walk
from tests.api.mastodon.tokens import app_token

RELATIONSHIP_KEYS = {
    "id", "following", "showing_reblogs", "notifying", "followed_by", "blocking", "blocked_by",
    "muting", "muting_notifications", "requested", "requested_by", "domain_blocking",
    "endorsed", "note", "languages",
}  # fmt: skip


async def act(api: Api, who: Person, verb: str, target: Person, **form: str) -> dict[str, Any]:
    response = await api.client.post(
        f"/api/v1/accounts/{target.id}/{verb}", data=form or None, headers=who.auth
    )
    assert response.status_code == 200, (verb, response.text)
    body: dict[str, Any] = response.json()
    assert body.keys() == RELATIONSHIP_KEYS and body["id"] == target.id
    return body


def flags(relationship: dict[str, Any]) -> set[str]:
    return {key for key, value in relationship.items() if value is True}


async def relationships(api: Api, who: Person, *ids: str) -> list[dict[str, Any]]:
    response = await api.client.get(
        "/api/v1/accounts/relationships", params=[("id[]", i) for i in ids], headers=who.auth
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def test_follow_unfollow_and_relationships_in_the_order_asked(api: Api) -> None:
    alice, bob, carol = [await person(api, name) for name in ("alice", "bob", "carol")]
    followed = await act(api, alice, "follow", bob, reblogs="1", notify="0")
    assert flags(followed) == {"following", "showing_reblogs"}
    assert flags(await act(api, bob, "follow", alice)) == {
        "following", "showing_reblogs", "followed_by",
    }  # fmt: skip
    again = await act(api, alice, "follow", bob)  # idempotent
    assert flags(again) == {"following", "showing_reblogs", "followed_by"}

    unknown = "01890000-0000-7000-8000-000000000000"
    found = await relationships(api, alice, carol.id, unknown, bob.id, "junk", carol.id, alice.id)
    assert [r["id"] for r in found] == [carol.id, bob.id, alice.id]
    assert [flags(r) for r in found] == [
        set(),
        {"following", "showing_reblogs", "followed_by"},
        set(),
    ]
    single = await api.client.get(
        "/api/v1/accounts/relationships", params={"id": bob.id}, headers=alice.auth
    )
    assert [r["id"] for r in single.json()] == [bob.id]
    assert await relationships(api, alice) == []

    assert flags(await act(api, alice, "unfollow", bob)) == {"followed_by"}
    assert flags(await act(api, alice, "unfollow", bob)) == {"followed_by"}
    refused = await api.client.post(f"/api/v1/accounts/{alice.id}/follow", headers=alice.auth)
    assert refused.status_code == 422 and "error" in refused.json()
    for missing in (unknown, "nope"):
        gone = await api.client.post(f"/api/v1/accounts/{missing}/follow", headers=alice.auth)
        assert gone.status_code == 404 and "error" in gone.json()
    anonymous = await api.client.post(f"/api/v1/accounts/{bob.id}/follow")
    assert anonymous.status_code == 401 and "error" in anonymous.json()


async def test_locked_account_request_authorize_and_reject(api: Api) -> None:
    star = await person(api, "star", private=True)
    fans = [await person(api, f"fan{i}") for i in range(5)]
    for fan in fans:
        requested = await act(api, fan, "follow", star)
        assert flags(requested) == {"requested"}
    me = await api.client.get("/api/v1/accounts/verify_credentials", headers=star.auth)
    assert me.json()["locked"] is True and me.json()["source"]["follow_requests_count"] == 5

    pages, nexts = await walk(api, "/api/v1/follow_requests", star.auth, limit=2)
    assert [a["id"] for page in pages for a in page] == [fan.id for fan in reversed(fans)]
    assert len(nexts) == 2 and all(n.startswith("http://testserver.local/api/v1/") for n in nexts)
    everything = await api.client.get("/api/v1/follow_requests", headers=star.auth)
    assert len(everything.json()) == 5 and "next" not in links(everything)

    authorized = await api.client.post(
        f"/api/v1/follow_requests/{fans[0].id}/authorize", headers=star.auth
    )
    assert authorized.status_code == 200
    assert authorized.json()["id"] == fans[0].id and flags(authorized.json()) == {"followed_by"}
    (seen,) = await relationships(api, fans[0], star.id)
    assert flags(seen) == {"following", "showing_reblogs"}
    rejected = await api.client.post(
        f"/api/v1/follow_requests/{fans[1].id}/reject", headers=star.auth
    )
    assert rejected.status_code == 200 and flags(rejected.json()) == set()
    (seen,) = await relationships(api, fans[1], star.id)
    assert flags(seen) == set()
    for decided in (fans[0], fans[1]):  # no request left to decide
        again = await api.client.post(
            f"/api/v1/follow_requests/{decided.id}/authorize", headers=star.auth
        )
        assert again.status_code == 404 and "error" in again.json()
    # a request is the target's to decide: not the requester's, nobody else's
    theirs = await api.client.post(
        f"/api/v1/follow_requests/{star.id}/authorize", headers=fans[2].auth
    )
    assert theirs.status_code == 404
    withdrawn = await act(api, fans[2], "unfollow", star)
    assert flags(withdrawn) == set()
    left = await api.client.get("/api/v1/follow_requests", headers=star.auth)
    assert [a["id"] for a in left.json()] == [fans[4].id, fans[3].id]


async def test_block_and_mute(api: Api) -> None:
    alice, bob = await person(api, "alice"), await person(api, "bob")
    await act(api, alice, "follow", bob)
    await act(api, bob, "follow", alice)
    muted = await act(api, alice, "mute", bob, notifications="1", duration="0")
    assert flags(muted) >= {"muting", "muting_notifications", "following"}
    assert "muting" not in flags(await act(api, alice, "unmute", bob))

    blocked = await act(api, alice, "block", bob)
    assert flags(blocked) == {"blocking"}  # the follows both ways went
    (seen,) = await relationships(api, alice, bob.id)
    assert flags(seen) == {"blocking"}
    # the blocked one cannot see or follow the blocker, nor learn of the block
    assert await relationships(api, bob, alice.id) == []
    refused = await api.client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.auth)
    assert refused.status_code == 404
    assert flags(await act(api, alice, "unblock", bob)) == set()
    assert flags(await act(api, bob, "follow", alice)) == {"following", "showing_reblogs"}


async def test_blocks_and_mutes_lists(api: Api) -> None:
    me = await person(api, "myself")
    others = [await person(api, f"other{i}") for i in range(5)]
    for other in others:  # muted first: a blocked account cannot be found to mute
        await act(api, me, "mute", other)
    for other in others:
        await act(api, me, "block", other)
    for path in ("/api/v1/blocks", "/api/v1/mutes"):
        pages, nexts = await walk(api, path, me.auth, limit=2)
        assert [a["id"] for page in pages for a in page] == [o.id for o in reversed(others)]
        assert len(nexts) == 2
    await act(api, me, "unblock", others[0])
    await act(api, me, "unmute", others[0])  # (a blocked account cannot be found to unmute)
    blocks = await api.client.get("/api/v1/blocks", headers=me.auth)
    assert others[0].id not in [a["id"] for a in blocks.json()] and len(blocks.json()) == 4
    mutes = await api.client.get("/api/v1/mutes", headers=me.auth)
    assert [a["id"] for a in mutes.json()] == [o.id for o in reversed(others[1:])]
    reader = bearer(await app_token(api, "myself", "read:statuses"))
    assert (await api.client.get("/api/v1/blocks", headers=reader)).status_code == 403
    follow_scope = bearer(await app_token(api, "myself", "follow"))
    assert (await api.client.get("/api/v1/mutes", headers=follow_scope)).status_code == 200


async def test_app_token_scopes_are_enforced(api: Api) -> None:
    alice, bob = await person(api, "alice"), await person(api, "bob")
    reader = await app_token(api, "alice", "read")
    refused = await api.client.post(f"/api/v1/accounts/{bob.id}/follow", headers=bearer(reader))
    assert refused.status_code == 403 and "error" in refused.json()
    seen = await api.client.get(
        "/api/v1/accounts/relationships", params={"id[]": bob.id}, headers=bearer(reader)
    )
    assert seen.status_code == 200 and flags(seen.json()[0]) == set()

    follower = await app_token(api, "alice", "read:accounts follow")
    followed = await api.client.post(f"/api/v1/accounts/{bob.id}/follow", headers=bearer(follower))
    assert followed.status_code == 200 and followed.json()["following"] is True
    muting = await api.client.post(f"/api/v1/accounts/{bob.id}/mute", headers=bearer(follower))
    assert muting.status_code == 200  # `follow` grants the block and mute scopes too
    me = await api.client.get("/api/v1/accounts/verify_credentials", headers=bearer(follower))
    assert me.status_code == 200 and me.json()["following_count"] == 1
    no_write = await api.client.patch(
        "/api/v1/accounts/update_credentials", data={"note": "x"}, headers=bearer(follower)
    )
    assert no_write.status_code == 403 and "error" in no_write.json()
    writer = await app_token(api, "alice", "write:accounts")
    assert (
        await api.client.get("/api/v1/accounts/verify_credentials", headers=bearer(writer))
    ).status_code == 403
    edited = await api.client.patch(
        "/api/v1/accounts/update_credentials", data={"note": "hi"}, headers=bearer(writer)
    )
    assert edited.status_code == 200 and edited.json()["source"]["note"] == "hi"
    assert alice.id == edited.json()["id"]
