"""Every path both client APIs serve answers in the caller's shape: a JWT (the native token) or
no token at all gets the native route (problem+json errors, native bodies), an app token (opaque,
issued by ``/oauth/token``) gets the app API's twin (``{"error"}`` bodies, Mastodon entities).

A twin answers a token it does not know with 401 ``{"error"}``; a native-only sub-path, which
has no twin for its method, stays native whatever the token: an app token there is refused as any
invalid native token is (401 problem+json)."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import Response
from litestar.exceptions import MethodNotAllowedException, NotFoundException
from litestar.utils import normalize_path

from social.adapters.mastodon.routes import COLLIDING_PREFIX
from tests.api.conftest import Api, bearer
from tests.api.mastodon.tokens import app_token

BOGUS_APP_TOKEN = "an-app-token-nobody-issued"
BAD_JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJub2JvZHkifQ.c2lnbmF0dXJl"
_SOME_ID = "01938a7e-5c2d-7f10-9a4b-3e6d8c1f2a5b"  # fixed: parallel workers collect alike

COLLIDING: list[tuple[str, str]] = [
    ("POST", "/api/v1/media"),
    ("POST", "/api/v1/media/uploads"),
    ("GET", f"/api/v1/media/{_SOME_ID}"),
    ("PUT", f"/api/v1/media/{_SOME_ID}"),
    ("POST", f"/api/v1/media/{_SOME_ID}/complete"),
    ("GET", "/api/v1/notifications"),
    ("GET", f"/api/v1/notifications/{_SOME_ID}"),
    ("GET", "/api/v1/notifications/unread-count"),
    ("POST", "/api/v1/notifications/read"),
    ("POST", "/api/v1/notifications/clear"),
    ("POST", f"/api/v1/notifications/{_SOME_ID}/dismiss"),
    ("POST", "/api/v1/reports"),
    ("GET", "/api/v1/tags/cats"),
    ("GET", "/api/v1/tags/trending"),
    ("GET", "/api/v1/tags/cats/posts"),
    ("GET", "/api/v1/admin/reports"),
    ("GET", f"/api/v1/admin/reports/{_SOME_ID}"),
    ("POST", f"/api/v1/admin/reports/{_SOME_ID}/resolve"),
]
"""Every native route on a colliding path, and the Mastodon routes of those paths."""


def _problem(response: Response, *statuses: int) -> None:
    """A native error: problem+json with one of ``statuses``."""
    assert response.status_code in statuses, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == response.status_code


def _app_error(response: Response, status: int) -> None:
    """An app-API error: ``{"error": "..."}`` as JSON with ``status``."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["error"], str) and body["error"]
    assert "status" not in body and "type" not in body  # not problem+json


def _twin_status(api: Api, method: str, path: str) -> int:
    """What the app API answers a token it does not know on ``path``: 401 from the twin that
    serves it; 404 or 405 when no twin does (a native-only sub-path, or a twin path with other
    methods). The twins come from the other parts of the app API."""
    router = api.client.app.asgi_router
    try:
        router.handle_routing(path=normalize_path(COLLIDING_PREFIX + path), method=method)
    except NotFoundException:
        return 404
    except MethodNotAllowedException:
        return 405
    return 401


def _twin_exists(api: Api, method: str, path: str) -> bool:
    return _twin_status(api, method, path) == 401


async def _call(api: Api, method: str, path: str, headers: dict[str, str]) -> Response:
    body: dict[str, Any] = {"json": {}} if method in ("POST", "PUT") else {}
    return await api.client.request(method, path, headers=headers, **body)


@pytest.mark.parametrize(("method", "path"), COLLIDING)
async def test_anonymous_and_jwt_callers_get_the_native_routes(
    api: Api, method: str, path: str
) -> None:
    """Native errors are problem+json (a Mastodon-only sub-path is the native router's 404 or
    405); the public tag reads answer with native bodies."""
    for headers in ({}, bearer(BAD_JWT)):
        response = await _call(api, method, path, headers)
        if response.status_code >= 400:
            _problem(response, response.status_code)
        else:
            assert path.startswith("/api/v1/tags/"), (path, response.text)
            assert "error" not in response.json()


@pytest.mark.parametrize(("method", "path"), COLLIDING)
async def test_an_app_token_gets_the_app_api(api: Api, method: str, path: str) -> None:
    response = await _call(api, method, path, bearer(BOGUS_APP_TOKEN))
    if _twin_exists(api, method, path):
        _app_error(response, 401)
    elif response.status_code >= 400:  # a native-only route: native (the token is no JWT)
        _problem(response, response.status_code)
    else:
        assert path.startswith("/api/v1/tags/"), (path, response.text)


async def test_a_native_caller_gets_native_bodies_on_every_colliding_path(api: Api) -> None:
    token = await api.token_for("alice")
    me = bearer(token)
    client = api.client

    notifications = await client.get("/api/v1/notifications", headers=me)
    assert notifications.json() == {"items": [], "next_cursor": None}
    assert (await client.get("/api/v1/notifications/unread-count", headers=me)).json() == {
        "count": 0
    }
    assert (await client.post("/api/v1/notifications/read", json={}, headers=me)).status_code == 204
    _problem(await client.get(f"/api/v1/media/{_SOME_ID}", headers=me), 404)
    _problem(await client.post("/api/v1/media", headers=me), 400, 415, 422)
    _problem(await client.post("/api/v1/reports", json={}, headers=me), 400, 422)
    tag = await client.get("/api/v1/tags/cats", headers=me)
    assert tag.json() == {"name": "cats", "posts_count": 0}
    _problem(await client.get("/api/v1/admin/reports", headers=me), 403)


async def test_native_paths_of_other_names_are_not_rewritten(api: Api) -> None:
    """Only the colliding segments move: ``/api/v1/mediaX`` or ``/api/v1/admin/reportsX`` with
    an app token stays native (a 404 problem), and so do the paths that merely contain them."""
    for path in ("/api/v1/mediax", "/api/v1/admin/reportsx", "/api/v1/x/notifications"):
        _problem(await api.client.get(path, headers=bearer(BOGUS_APP_TOKEN)), 404)


async def test_a_real_app_token_never_gets_the_native_shape(api: Api) -> None:
    """Whatever the twins answer a signed-in app (a Mastodon body, or a Mastodon error such as
    a missing scope or an unknown id), it is never the native route's answer."""
    await api.register("alice")
    token = bearer(await app_token(api, "alice"))
    for method, path in COLLIDING:
        if not _twin_exists(api, method, path):
            continue  # a native-only route stays native (test above)
        response = await _call(api, method, path, token)
        assert not response.headers["content-type"].startswith("application/problem+json"), (
            method,
            path,
            response.text,
        )
        if response.status_code >= 400:
            _app_error(response, response.status_code)
    listed = await api.client.get("/api/v1/notifications", headers=token)
    if _twin_exists(api, "GET", "/api/v1/notifications"):
        assert listed.status_code == 200 and listed.json() == []  # Mastodon's bare array
    tag = await api.client.get("/api/v1/tags/cats", headers=token)
    if _twin_exists(api, "GET", "/api/v1/tags/cats"):
        assert tag.status_code == 200 and {"name", "url", "history"} <= tag.json().keys()


async def test_a_twin_answers_at_its_own_path_too(api: Api) -> None:
    """Served as the app API's route it is, to any caller (docs/architecture.md): the same
    handler, authentication and scopes; a native token sees the Mastodon shape there."""
    jwt = bearer(await api.token_for("alice"))
    direct = await api.client.get(f"{COLLIDING_PREFIX}/api/v1/tags/cats", headers=jwt)
    assert direct.status_code == 200, direct.text
    assert {"name", "url", "history"} <= direct.json().keys()
    native = await api.client.get("/api/v1/tags/cats", headers=jwt)
    assert native.json() == {"name": "cats", "posts_count": 0}
