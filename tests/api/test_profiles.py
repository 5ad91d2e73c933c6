"""The own account and public profiles through HTTP (PROF-1 read side, PROF-2 fields)."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api, bearer


async def test_patch_me_updates_and_validates(api: Api) -> None:
    headers = bearer(await api.token_for("alice"))
    response = await api.client.patch(
        "/api/v1/me",
        json={
            "display_name": "Alice",
            "bio": "Photos of Jakarta",
            "website": "alice.dev",
            "is_private": True,
        },
        headers=headers,
    )
    assert response.status_code == 200, response.text
    me = response.json()
    assert (me["display_name"], me["bio"], me["website"], me["is_private"]) == (
        "Alice",
        "Photos of Jakarta",
        "https://alice.dev",
        True,
    )
    cleared = await api.client.patch("/api/v1/me", json={"website": None}, headers=headers)
    assert cleared.json()["website"] is None and cleared.json()["bio"] == "Photos of Jakarta"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"bio": "x" * 151}, "bio"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"display_name": "x" * 51}, "display_name"),
        ({"is_private": "yes"}, "is_private"),
    ],
)
async def test_patch_me_rejects_bad_fields(
    api: Api, payload: dict[str, object], field: str
) -> None:
    response = await api.client.patch(
        "/api/v1/me", json=payload, headers=bearer(await api.token_for())
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_public_profile_for_anonymous_and_signed_in_viewers(api: Api) -> None:
    await api.register("alice", display_name="Alice")
    anonymous = await api.client.get("/api/v1/users/ALICE")
    assert anonymous.status_code == 200
    profile = anonymous.json()
    assert profile["username"] == "alice" and profile["display_name"] == "Alice"
    assert profile["relationship"] is None
    assert "email" not in profile and "role" not in profile
    bob = bearer(await api.token_for("bob"))
    seen = (await api.client.get("/api/v1/users/alice", headers=bob)).json()
    assert seen["relationship"] == {
        "following": False,
        "requested": False,
        "followed_by": False,
        "blocking": False,
        "muting": False,
    }


async def test_unknown_users_are_404_problems(api: Api) -> None:
    response = await api.client.get("/api/v1/users/nobody")
    assert response.status_code == 404
    assert response.json()["type"] == "/problems/not-found"
    long = await api.client.get("/api/v1/users/" + "x" * 200)
    assert long.status_code in (404, 422)
