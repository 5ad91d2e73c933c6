"""Accounts through HTTP: register, login, refresh, logout, password (AUTH-1 … AUTH-3)."""

from __future__ import annotations

import pytest

from tests.api.conftest import PASSWORD, Api, bearer


def assert_problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert body["status"] == status
    assert {"type", "title", "detail"} <= body.keys()
    return body


async def test_register_returns_me_and_tokens(api: Api) -> None:
    body = await api.register("Alice", display_name="Alice A.")
    user, tokens = body["user"], body["tokens"]
    assert user["username"] == "alice"
    assert user["email"] == "alice@example.com"
    assert user["role"] == "user"
    assert user["display_name"] == "Alice A."
    assert user["posts_count"] == user["followers_count"] == user["following_count"] == 0
    assert "password" not in user and "password_hash" not in user
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 900
    me = await api.client.get("/api/v1/me", headers=bearer(tokens["access_token"]))
    assert me.status_code == 200 and me.json()["id"] == user["id"]


@pytest.mark.parametrize(
    ("username", "email", "field"),
    [("ALICE", "new@example.com", "username"), ("newname", "ALICE@example.com", "email")],
)
async def test_register_conflicts_are_409(api: Api, username: str, email: str, field: str) -> None:
    await api.register("alice")
    response = await api.client.post(
        "/api/v1/auth/register", json={"username": username, "email": email, "password": PASSWORD}
    )
    body = assert_problem(response, 409)
    assert body["errors"] == [{"field": field, "message": body["detail"]}]


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, {"username", "email", "password"}),  # every missing field named
        ({"username": "alice", "email": "alice@example.com"}, {"password"}),
        ({"username": 5, "email": "a@example.com", "password": PASSWORD}, {"username"}),
        (
            {"username": "a!", "email": "nope", "password": "short"},
            {"username", "email", "password"},
        ),
        ({"username": "alice", "email": "a@example.com", "password": "x" * 5000}, {"password"}),
        ([], {"body"}),
    ],
)
async def test_invalid_registrations_are_422_with_field_errors(
    api: Api, payload: object, fields: set[str]
) -> None:
    response = await api.client.post("/api/v1/auth/register", json=payload)
    body = assert_problem(response, 422)
    assert {e["field"] for e in body["errors"]} == fields  # type: ignore[attr-defined]


async def test_malformed_json_is_a_400_problem(api: Api) -> None:
    response = await api.client.post(
        "/api/v1/auth/register",
        content=b'{"username": ',
        headers={"content-type": "application/json"},
    )
    assert_problem(response, 400)


async def test_login_by_username_or_email(api: Api) -> None:
    await api.register("alice")
    for login in ("alice", "ALICE@example.com"):
        response = await api.client.post(
            "/api/v1/auth/login", json={"login": login, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        assert set(response.json()) == {"access_token", "refresh_token", "token_type", "expires_in"}


async def test_failed_logins_do_not_say_what_was_wrong(api: Api) -> None:
    await api.register("alice")
    wrong = await api.client.post(
        "/api/v1/auth/login", json={"login": "alice", "password": "nope nope nope"}
    )
    unknown = await api.client.post(
        "/api/v1/auth/login", json={"login": "bob", "password": PASSWORD}
    )
    assert assert_problem(wrong, 401)["detail"] == assert_problem(unknown, 401)["detail"]


async def test_refresh_rotates_and_reuse_revokes_the_family(api: Api) -> None:
    tokens = (await api.register("alice"))["tokens"]
    first = tokens["refresh_token"]
    rotated = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200
    second = rotated.json()
    assert second["refresh_token"] != first
    # (a repeat within the grace window, before the new pair is used, answers the same pair:
    # tests/api/test_refresh_grace.py; once the new pair was used, a repeat is a leak)
    again = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert again.status_code == 200 and again.json() == second
    used = await api.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
    )
    assert used.status_code == 200
    second = used.json()
    reused = await api.client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert_problem(reused, 401)
    # the whole family is gone: the successor token and its access token too
    assert_problem(
        await api.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
        ),
        401,
    )
    assert_problem(await api.client.get("/api/v1/me", headers=bearer(second["access_token"])), 401)


async def test_logout_revokes_the_session(api: Api) -> None:
    tokens = (await api.register("alice"))["tokens"]
    headers = bearer(tokens["access_token"])
    response = await api.client.post(
        "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}, headers=headers
    )
    assert response.status_code == 204
    assert_problem(
        await api.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        ),
        401,
    )
    assert_problem(await api.client.get("/api/v1/me", headers=headers), 401)
    assert_problem(await api.client.post("/api/v1/auth/logout", json={}), 401)


async def test_password_change_signs_out_other_sessions(api: Api) -> None:
    here = (await api.register("alice"))["tokens"]
    login = await api.client.post(
        "/api/v1/auth/login", json={"login": "alice", "password": PASSWORD}
    )
    elsewhere = login.json()
    response = await api.client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "another good secret 9"},
        headers=bearer(here["access_token"]),
    )
    assert response.status_code == 204
    assert (
        await api.client.get("/api/v1/me", headers=bearer(here["access_token"]))
    ).status_code == 200
    assert_problem(
        await api.client.get("/api/v1/me", headers=bearer(elsewhere["access_token"])), 401
    )
    assert_problem(
        await api.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": elsewhere["refresh_token"]}
        ),
        401,
    )
    old = await api.client.post("/api/v1/auth/login", json={"login": "alice", "password": PASSWORD})
    assert_problem(old, 401)
    wrong = await api.client.post(
        "/api/v1/me/password",
        json={"current_password": "not my password", "new_password": "yet another secret 1"},
        headers=bearer(here["access_token"]),
    )
    assert assert_problem(wrong, 422)["errors"] == [
        {"field": "current_password", "message": "is not correct"}
    ]
