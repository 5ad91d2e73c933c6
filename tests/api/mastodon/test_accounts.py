"""The app API's accounts: the signed-in account and its edits, accounts by id and by acct,
an account's posts and its followers, with the privacy of private accounts and blocks."""

from __future__ import annotations

import io
import os

from PIL import Image

from tests.api.conftest import Api, bearer
from tests.api.mastodon.people import links, person, walk
from tests.api.test_interactions_and_feeds import follow, publish
from tests.media_files import jpeg


def noisy_jpeg(side: int) -> bytes:
    """A photo that does not compress (random pixels)."""
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


ACCOUNT_KEYS = {
    "id", "username", "acct", "display_name", "note", "url", "uri", "avatar", "avatar_static",
    "header", "header_static", "locked", "bot", "group", "discoverable", "indexable",
    "created_at", "last_status_at", "statuses_count", "followers_count", "following_count",
    "fields", "emojis",
}  # fmt: skip


async def test_verify_and_update_credentials(api: Api) -> None:
    alice = await person(api, "alice")
    me = await api.client.get("/api/v1/accounts/verify_credentials", headers=alice.auth)
    assert me.status_code == 200, me.text
    body = me.json()
    assert body.keys() >= ACCOUNT_KEYS
    assert (body["id"], body["username"], body["acct"], body["locked"]) == (
        alice.id, "alice", "alice", False,
    )  # fmt: skip
    assert body["source"] == {
        "privacy": "public",
        "sensitive": False,
        "language": None,
        "note": "",
        "fields": [],
        "follow_requests_count": 0,
    }
    assert body["created_at"].endswith("Z")

    form = {"display_name": "Alice A.", "note": "I like <b>cats</b> & #tea", "locked": "1"}
    changed = await api.client.patch(
        "/api/v1/accounts/update_credentials",
        data={**form, "fields_attributes[0][name]": "ignored"},
        headers=alice.auth,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["display_name"], body["locked"]) == ("Alice A.", True)
    assert body["source"]["privacy"] == "private"
    assert body["source"]["note"] == "I like <b>cats</b> & #tea"
    assert "<b>" not in body["note"] and "&lt;b&gt;cats&lt;/b&gt;" in body["note"]

    avatar = await api.client.patch(
        "/api/v1/accounts/update_credentials",
        files={"avatar": ("me.jpg", jpeg((300, 300)), "image/jpeg")},
        data={"locked": "0"},
        headers=alice.auth,
    )
    assert avatar.status_code == 200, avatar.text
    assert avatar.json()["locked"] is False
    assert "/mastodon/default-avatar" not in avatar.json()["avatar"]
    big = noisy_jpeg(1400)  # over the app's 1 MiB body limit for JSON, under the avatar's
    assert len(big) > 1_100_000
    large = await api.client.patch(
        "/api/v1/accounts/update_credentials",
        files={"avatar": ("big.jpg", big, "image/jpeg")},
        headers=alice.auth,
    )
    assert large.status_code == 200, large.text
    assert large.json()["avatar"] != avatar.json()["avatar"]
    as_json = await api.client.patch(
        "/api/v1/accounts/update_credentials", json={"note": ""}, headers=alice.auth
    )
    assert as_json.status_code == 200 and as_json.json()["source"]["note"] == ""
    too_long = await api.client.patch(
        "/api/v1/accounts/update_credentials", data={"display_name": "x" * 500}, headers=alice.auth
    )
    assert too_long.status_code == 422 and "error" in too_long.json()

    assert (await api.client.get("/api/v1/accounts/verify_credentials")).status_code == 401
    bad = await api.client.get("/api/v1/accounts/verify_credentials", headers=bearer("not.a.jwt"))
    assert bad.status_code == 401 and "error" in bad.json()


async def test_account_by_id_and_lookup_by_acct(api: Api) -> None:
    alice, bob = await person(api, "alice"), await person(api, "bob")
    for path in (f"/api/v1/accounts/{alice.id}",):
        for headers in ({}, bob.auth):
            got = await api.client.get(path, headers=headers)
            assert got.status_code == 200, got.text
            assert (got.json()["id"], got.json()["acct"]) == (alice.id, "alice")
    for acct in ("alice", "@alice", "ALICE", "alice@testserver.local", "@alice@TestServer.local"):
        got = await api.client.get("/api/v1/accounts/lookup", params={"acct": acct})
        assert got.status_code == 200, (acct, got.text)
        assert got.json()["id"] == alice.id
    for acct in ("alice@elsewhere.example", "nobody", "", "@"):
        got = await api.client.get("/api/v1/accounts/lookup", params={"acct": acct})
        assert got.status_code == 404 and "error" in got.json(), acct
    for unknown in ("not-an-id", "01890000-0000-7000-8000-000000000000"):
        got = await api.client.get(f"/api/v1/accounts/{unknown}")
        assert got.status_code == 404 and "error" in got.json()

    blocked = await api.client.post(f"/api/v1/accounts/{bob.id}/block", headers=alice.auth)
    assert blocked.status_code == 200 and blocked.json()["blocking"] is True
    # blocked either way: the account does not exist for the other (as natively)
    for viewer, other in ((bob, alice), (alice, bob)):
        hidden = await api.client.get(f"/api/v1/accounts/{other.id}", headers=viewer.auth)
        assert hidden.status_code == 404
    hidden = await api.client.get(
        "/api/v1/accounts/lookup", params={"acct": "alice"}, headers=bob.auth
    )
    assert hidden.status_code == 404


async def test_statuses_newest_first_with_link_and_private_accounts(worker_api: Api) -> None:
    api = worker_api
    alice, bob, carol = [await person(api, name) for name in ("alice", "bob", "carol")]
    made = [await publish(api, alice.token, f"post {i}" + " #cats" * (i % 2)) for i in range(5)]
    path = f"/api/v1/accounts/{alice.id}/statuses"
    pages, nexts = await walk(api, path, bob.auth, limit=2)
    seen = [s["id"] for page in pages for s in page]
    assert seen == [p["id"] for p in reversed(made)]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert all(url.startswith("http://testserver.local/api/v1/accounts/") for url in nexts)
    assert all("limit=2" in url for url in nexts)
    first = pages[0][0]
    assert (first["account"]["id"], first["content"].startswith("<p>")) == (alice.id, True)
    assert first["visibility"] == "public" and first["in_reply_to_id"] is None

    tagged = await api.client.get(path, params={"tagged": "cats"})
    assert [s["id"] for s in tagged.json()] == [made[3]["id"], made[1]["id"]]
    for flag in ("only_media", "exclude_replies", "exclude_reblogs"):
        same = await api.client.get(path, params={flag: "true"})
        assert [s["id"] for s in same.json()] == [p["id"] for p in reversed(made)]
    pinned = await api.client.get(path, params={"pinned": "true"})
    assert pinned.status_code == 200 and pinned.json() == []

    # private: hidden from a non-follower and anonymous callers, as natively (404)
    await api.client.patch("/api/v1/me", json={"is_private": True}, headers=alice.auth)
    await follow(api, carol.token, "alice")  # a request, until approved
    for headers in ({}, bob.auth, carol.auth):
        hidden = await api.client.get(path, headers=headers)
        assert hidden.status_code == 404 and "error" in hidden.json()
        assert (await api.client.get(f"{path}?pinned=true", headers=headers)).status_code == 404
    native = await api.client.get("/api/v1/users/alice/posts", headers=bob.auth)
    assert native.status_code == 404
    approved = await api.client.post(
        f"/api/v1/follow_requests/{carol.id}/authorize", headers=alice.auth
    )
    assert approved.status_code == 200 and approved.json()["followed_by"] is True
    shown = await api.client.get(path, headers=carol.auth)
    assert shown.status_code == 200 and len(shown.json()) == 5
    assert shown.json()[0]["visibility"] == "private"
    own = await api.client.get(path, headers=alice.auth)
    assert len(own.json()) == 5


async def test_followers_and_following_pages_without_gaps_or_repeats(api: Api) -> None:
    star = await person(api, "star")
    fans = [await person(api, f"fan{i:02}") for i in range(7)]
    for fan in fans:
        await follow(api, fan.token, "star")
    await follow(api, star.token, "fan03")
    path = f"/api/v1/accounts/{star.id}/followers"
    for limit in (1, 2, 3, 7, 40):
        pages, nexts = await walk(api, path, {}, limit=limit)
        ids = [a["id"] for page in pages for a in page]
        assert ids == [fan.id for fan in reversed(fans)], limit
        assert all(len(page) <= limit for page in pages)
        assert len(nexts) == (len(fans) - 1) // limit
    default = await api.client.get(path)
    assert len(default.json()) == 7 and "next" not in links(default)
    following = await api.client.get(f"/api/v1/accounts/{star.id}/following")
    assert [a["username"] for a in following.json()] == ["fan03"]
    assert following.json()[0]["followers_count"] == 1

    # a private account's lists: for its owner and approved followers only
    await api.client.patch("/api/v1/me", json={"is_private": True}, headers=star.auth)
    outsider = await person(api, "outsider")
    for headers in ({}, outsider.auth):
        for which in ("followers", "following"):
            hidden = await api.client.get(f"/api/v1/accounts/{star.id}/{which}", headers=headers)
            assert hidden.status_code == 404, which
    for viewer in (star, fans[0]):
        shown = await api.client.get(path, headers=viewer.auth)
        assert shown.status_code == 200 and len(shown.json()) == 7
    # blocked: the blocked one no longer sees the list, nor is on it
    await api.client.post(f"/api/v1/accounts/{fans[0].id}/block", headers=star.auth)
    assert (await api.client.get(path, headers=fans[0].auth)).status_code == 404
    left = await api.client.get(path, headers=star.auth)
    assert fans[0].id not in [a["id"] for a in left.json()] and len(left.json()) == 6
