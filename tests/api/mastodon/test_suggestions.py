"""The app API's suggestions (``/api/v2/suggestions``, ``/api/v1/suggestions``, dismissing):
the native suggested accounts in Mastodon's shapes, with its scopes and errors."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api
from tests.api.mastodon.people import Person, person
from tests.api.mastodon.tokens import app_token


async def _follow(api: Api, who: Person, target: Person) -> None:
    response = await api.client.post(f"/api/v1/accounts/{target.id}/follow", headers=who.auth)
    assert response.status_code == 200, response.text


async def _suggested(api: Api, token: str, path: str = "/api/v2/suggestions", **params: Any) -> Any:
    response = await api.client.get(
        path, params=params, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    assert "link" not in response.headers  # one page, as Mastodon's
    return response.json()


async def test_friends_of_friends_come_first_with_mastodons_sources_and_a_dismissal_sticks(
    api: Api,
) -> None:
    alice, bob, carol, dave = [await person(api, n) for n in ("alice", "bob", "carol", "dave")]
    erin = await person(api, "erin")
    await _follow(api, alice, bob)
    await _follow(api, alice, dave)
    for followee in (bob, dave):
        await _follow(api, followee, carol)  # carol: followed by two of alice's followees
    await _follow(api, bob, erin)  # erin: by one
    token = await app_token(api, "alice", "read write follow")

    found = await _suggested(api, token)
    assert [s["account"]["id"] for s in found[:2]] == [carol.id, erin.id]
    assert found[0]["source"] == "past_interactions"
    assert found[0]["sources"] == ["friends_of_friends"]
    assert found[0]["account"]["username"] == "carol"
    assert {s["account"]["id"] for s in found}.isdisjoint({alice.id, bob.id, dave.id})
    assert [a["id"] for a in await _suggested(api, token, "/api/v1/suggestions")] == [
        s["account"]["id"] for s in found
    ]
    assert len(await _suggested(api, token, limit=1)) == 1

    dismissed = await api.client.delete(
        f"/api/v1/suggestions/{carol.id}", headers={"Authorization": f"Bearer {token}"}
    )
    assert dismissed.status_code == 200 and dismissed.json() == {}
    assert carol.id not in {s["account"]["id"] for s in await _suggested(api, token)}


async def test_unknown_accounts_and_missing_scopes_answer_in_mastodons_shape(api: Api) -> None:
    await person(api, "alice")
    token = await app_token(api, "alice", "read write follow")
    auth = {"Authorization": f"Bearer {token}"}
    for target in ("01890000-0000-7000-8000-000000000000", "not-an-id"):
        unknown = await api.client.delete(f"/api/v1/suggestions/{target}", headers=auth)
        assert unknown.status_code == 404 and set(unknown.json()) >= {"error"}
    writer = await app_token(api, "alice", "write")
    refused = await api.client.get(
        "/api/v2/suggestions", headers={"Authorization": f"Bearer {writer}"}
    )
    assert refused.status_code == 403 and "error" in refused.json()
    anonymous = await api.client.get("/api/v2/suggestions")
    assert anonymous.status_code == 401 and "error" in anonymous.json()
