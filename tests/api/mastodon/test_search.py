"""The app API's search v2 and reports: accounts, hashtags and statuses through the one search
use case (blocks and private accounts respected), reports of accounts and statuses, and the
admin listing refused to apps."""

from __future__ import annotations

from typing import Any

from social.domain.shared.identity import Role
from tests.api.conftest import Api, bearer, eventually
from tests.api.mastodon.people import Person, person
from tests.api.mastodon.tokens import app_token
from tests.api.test_interactions_and_feeds import publish
from tests.api.test_moderation import make


async def search(api: Api, who: Person | None, q: str, **params: str) -> dict[str, Any]:
    response = await api.client.get(
        "/api/v2/search",
        params={"q": q, "resolve": "1", "exclude_unreviewed": "1", **params},
        headers=who.auth if who else {},
    )
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    assert found.keys() == {"accounts", "statuses", "hashtags"}
    return found


async def test_accounts_hashtags_and_statuses(worker_api: Api) -> None:
    api = worker_api
    alice, bob = await person(api, "alice"), await person(api, "bobcat")
    cats = await publish(api, alice.token, "Sleepy #cats on the sofa")
    await publish(api, bob.token, "More #cats and #catsofinstagram")
    hidden = await person(api, "hidden", private=True)
    await publish(api, hidden.token, "Secret #cats sofa")

    async def indexed() -> bool:  # every post and both tags (each post is indexed by a job)
        sofa = (await search(api, alice, "sofa", type="statuses"))["statuses"]
        tags = (await search(api, None, "cat", type="hashtags"))["hashtags"]
        both = (await search(api, bob, "cats", type="statuses"))["statuses"]
        return len(sofa) == 1 and len(tags) == 2 and len(both) == 2

    await eventually(indexed, 30)
    for q in ("#cats", "cats", "CATS"):
        tags = (await search(api, bob, q, type="hashtags"))["hashtags"]
        assert tags[0]["name"] == "cats", q
        assert tags[0]["url"] == "http://testserver.local/tags/cats"
        assert {"history", "following"} <= tags[0].keys()
    assert [t["name"] for t in (await search(api, None, "cat"))["hashtags"]] == [
        "cats", "catsofinstagram",
    ]  # fmt: skip

    people = await search(api, bob, "alice", type="accounts")
    assert [a["id"] for a in people["accounts"]] == [alice.id]
    assert people["statuses"] == [] and people["hashtags"] == []
    for q in ("@alice", "alice@testserver.local", "ali"):
        found = (await search(api, None, q, type="accounts"))["accounts"]
        assert [a["acct"] for a in found] == ["alice"], q

    v1 = await api.client.get("/api/v1/accounts/search", params={"q": "@ali", "limit": "5"})
    assert [a["id"] for a in v1.json()] == [alice.id]
    none = await api.client.get("/api/v1/accounts/search", params={"q": "ali", "offset": "5"})
    assert none.json() == []

    statuses = (await search(api, bob, "sofa", type="statuses"))["statuses"]
    assert [s["id"] for s in statuses] == [cats["id"]]  # the private account's post stays out
    assert statuses[0]["account"]["id"] == alice.id and statuses[0]["tags"][0]["name"] == "cats"
    everything = await search(api, bob, "cats")
    assert {s["account"]["acct"] for s in everything["statuses"]} == {"alice", "bobcat"}
    assert everything["hashtags"][0]["name"] == "cats"
    limited = await search(api, bob, "cats", type="statuses", limit="1")
    assert len(limited["statuses"]) == 1
    past_the_page = await search(api, bob, "cats", offset="20")
    assert past_the_page == {"accounts": [], "statuses": [], "hashtags": []}

    blocked = await api.client.post(f"/api/v1/accounts/{bob.id}/block", headers=alice.auth)
    assert blocked.status_code == 200
    mine = await search(api, alice, "cats", type="statuses")
    assert [s["account"]["acct"] for s in mine["statuses"]] == ["alice"]
    assert (await search(api, alice, "bob", type="accounts"))["accounts"] == []

    bad = await api.client.get("/api/v2/search", params={"q": "x", "type": "places"})
    assert bad.status_code == 422 and "error" in bad.json()
    empty = await search(api, bob, "")
    assert empty == {"accounts": [], "statuses": [], "hashtags": []}
    no_scope = bearer(await app_token(api, "alice", "read:accounts"))
    refused = await api.client.get("/api/v2/search", params={"q": "cats"}, headers=no_scope)
    assert refused.status_code == 403 and "error" in refused.json()
    scoped = bearer(await app_token(api, "alice", "read:search"))
    allowed = await api.client.get("/api/v2/search", params={"q": "cats"}, headers=scoped)
    assert allowed.status_code == 200


async def test_reports_of_accounts_and_statuses(worker_api: Api) -> None:
    api = worker_api
    alice, bob, keeper = [await person(api, name) for name in ("alice", "bob", "keeper")]
    await make(api, "keeper", Role.MODERATOR)
    post = await publish(api, bob.token, "Spam spam spam")
    comment = await api.client.post(
        f"/api/v1/posts/{post['id']}/comments", json={"text": "more spam"}, headers=bob.auth
    )
    token = bearer(await app_token(api, "alice", "write:reports"))
    path = "/_mastodon/api/v1/reports"

    plain = await api.client.post(
        path, data={"account_id": bob.id, "category": "spam"}, headers=token
    )
    assert plain.status_code == 200, plain.text
    report = plain.json()
    assert report["target_account"]["id"] == bob.id
    assert (report["category"], report["comment"], report["status_ids"]) == ("spam", "", [])
    assert (report["action_taken"], report["forwarded"], report["rule_ids"]) == (False, False, [])
    assert report["created_at"].endswith("Z")

    ids = [post["id"], comment.json()["id"]]
    with_statuses = await api.client.post(
        path,
        data={
            "account_id": bob.id,
            "status_ids[]": ids,
            "comment": "Selling things",
            "forward": "false",
        },
        headers=token,
    )
    assert with_statuses.status_code == 200, with_statuses.text
    assert with_statuses.json()["status_ids"] == ids
    assert with_statuses.json()["comment"] == "Selling things"
    assert with_statuses.json()["category"] == "other"

    queue = await api.client.get("/api/v1/admin/reports", headers=keeper.auth)
    assert queue.status_code == 200, queue.text
    filed = {(r["target_type"], r["target_id"], r["reason"]) for r in queue.json()["items"]}
    assert filed == {
        ("user", bob.id, "Reported as spam from an app."),
        ("post", post["id"], "Selling things"),
        ("comment", comment.json()["id"], "Selling things"),
    }
    for bad in (
        {"account_id": "01890000-0000-7000-8000-000000000000"},
        {"account_id": bob.id, "status_ids[]": "01890000-0000-7000-8000-000000000000"},
        {},
    ):
        missing = await api.client.post(path, data=bad, headers=token)
        assert missing.status_code == 404 and "error" in missing.json(), bad
    wrong = await api.client.post(
        path, data={"account_id": bob.id, "category": "boring"}, headers=token
    )
    assert wrong.status_code == 422 and "error" in wrong.json()
    self_report = await api.client.post(path, data={"account_id": alice.id}, headers=token)
    assert self_report.status_code == 422

    reader = bearer(await app_token(api, "alice", "read"))
    assert (
        await api.client.post(path, data={"account_id": bob.id}, headers=reader)
    ).status_code == 403
    for caller in (token, reader, bearer(await app_token(api, "alice"))):
        listing = await api.client.get("/_mastodon/api/v1/admin/reports", headers=caller)
        assert listing.status_code == 403 and "error" in listing.json()
        assert "admin" in listing.json()["error"]
