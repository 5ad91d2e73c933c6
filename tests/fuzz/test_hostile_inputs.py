"""Hostile input on every operation: never a 5xx, and every error is problem+json.

One test per operation of the OpenAPI document (so new routes are attacked automatically), each
sending every hostile variant of every input it has (see ``tests/fuzz/hostile.py``) as the
signed-in admin of the fuzz world, with rate limits off. One more test sends the worst of them
with rate limits on, since the limiter reads paths and headers before any handler does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import requests
from litestar import Litestar

from social.app import create_app
from social.settings import RateLimitSettings
from tests.fuzz.harness import client, fuzz_settings, serving
from tests.fuzz.hostile import HostileRequest, hostile_requests
from tests.fuzz.openapi import Operation, operations
from tests.fuzz.world import World, sign_in

PROBLEM_JSON = "application/problem+json"
API = "/api/v1"


def _send(session: requests.Session, request: HostileRequest) -> requests.Response:
    return session.request(
        request.method,
        request.url,
        headers=request.headers,
        data=request.body if request.files is None else request.data,
        files=request.files,
        timeout=60,
    )


def _problem(response: requests.Response, shape: str = "native") -> str | None:
    """What is wrong with the answer, or None: no 5xx, and errors in the operation's shape:
    problem+json natively, ``{"error": "..."}`` on the Mastodon-compatible API (an HTML page on
    its one browser page, the OAuth sign-in)."""
    status = response.status_code
    if status >= 500:
        return f"{status}: {response.text[:300]}"
    if status < 400:
        return None
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    if shape == "page":
        if content_type == PROBLEM_JSON and status in _EDGE_REFUSALS:
            return _problem(response)
        return None if content_type == "text/html" else f"{status} as {content_type}"
    if shape == "mastodon":
        return _mastodon_error(response, content_type)
    if content_type != PROBLEM_JSON:
        return f"{status} as {content_type or 'no content type'}: {response.text[:200]}"
    try:
        body = json.loads(response.content)
    except ValueError:
        return f"{status} problem body is not JSON: {response.content[:200]!r}"
    if not isinstance(body, dict) or body.get("status") != status:
        return f"{status} problem body does not name its status: {response.text[:200]}"
    missing = {"type", "title", "detail"} - body.keys()
    if missing:
        return f"{status} problem body lacks {sorted(missing)}: {response.text[:200]}"
    return None


_EDGE_REFUSALS = (400, 404, 413, 422, 431)
"""Bytes no client library sends (a NUL in the query or path, an encoded slash, a malformed body
encoding, oversize headers) are refused before any route is chosen (a path no route matches is a
404 of the app, not of a route), as problem+json on both APIs."""


def _mastodon_error(response: requests.Response, content_type: str) -> str | None:
    status = response.status_code
    if content_type == PROBLEM_JSON and status in _EDGE_REFUSALS:
        return _problem(response)  # refused at the edge, before routing: one shape for both APIs
    if content_type != "application/json":
        return f"{status} as {content_type or 'no content type'}: {response.text[:200]}"
    try:
        body = json.loads(response.content)
    except ValueError:
        return f"{status} error body is not JSON: {response.content[:200]!r}"
    if not isinstance(body, dict) or not isinstance(body.get("error"), str):
        return f"{status} error body has no error message: {response.text[:200]}"
    return None


def _shape(operation: Operation) -> str:
    if "mastodon" not in operation.spec.get("tags", []):
        return "native"
    return "page" if operation.path == "/oauth/authorize" else "mastodon"


def _failures(
    session: requests.Session, hostile: Iterator[HostileRequest], shape: str = "native"
) -> list[str]:
    failures = []
    for request in hostile:
        response = _send(session, request)
        problem = _problem(response, shape)
        if problem:
            failures.append(f"{request.method} {request.url[:120]} [{request.label}] -> {problem}")
    return failures


def ends_session(operation: Operation) -> bool:
    return operation.method == "post" and operation.path.endswith("/auth/logout")


@pytest.fixture(scope="module", params=["embedded", "production"])
def shape(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The app as embedded (PostgreSQL only) and as in production (Redis, MinIO, OpenSearch):
    a hostile text reaches a different search engine, storage, cache and limiter in each."""
    if request.param == "production":
        overrides: dict[str, Any] = request.getfixturevalue("production_overrides")
        return overrides
    return {}


@pytest.fixture(scope="module")
def shaped_app(
    shape: dict[str, Any], database_url: str, fuzz_data_dir: Path, served: World
) -> Litestar:
    return create_app(fuzz_settings(database_url, fuzz_data_dir, **shape))


@pytest.fixture
def hostile_world(shaped_app: Litestar, served: World) -> World:
    serving(shaped_app)
    return served


@pytest.mark.parametrize("operation", operations(), ids=lambda op: op.id)
def test_hostile_input_never_crashes_a_request(operation: Operation, hostile_world: World) -> None:
    world = hostile_world
    with client() as session:
        auth = sign_in(session) if ends_session(operation) else world.headers()
        shape = _shape(operation)
        failures = _failures(session, hostile_requests(operation, world, auth), shape)
        if operation.method == "get":  # readers may be anonymous: that path is attacked too
            failures += [
                f"anonymous {failure}"
                for failure in _failures(session, hostile_requests(operation, world, {}), shape)
            ]
        # The signed-in user is still signed in: nothing above ended the session or the
        # account, which would have left the operations after this one answering only 401.
        me = session.get(f"{API}/me", headers=world.headers())
        assert me.status_code == 200, me.text
    assert not failures, f"{len(failures)} hostile requests mishandled:\n" + "\n".join(failures)


def test_look_alike_usernames_are_not_new_accounts(hostile_world: World) -> None:
    """A name that looks like (or folds to) a taken one is refused, never registered."""
    with client() as session:
        for name in (
            "fr\u0456end",
            "\uff46\uff52\uff49\uff45\uff4e\uff44",
            "fri\u200dend",
            "\u202efriend",
            "as\u212aer",
            "FRIEND",
        ):
            body = {"username": name, "email": f"{len(name)}x@example.com", "password": "x" * 12}
            response = session.post(f"{API}/auth/register", json=body)
            assert response.status_code in (409, 422), (name, response.status_code, response.text)
            assert _problem(response) is None, (name, _problem(response))


@pytest.fixture
def limited(shape: dict[str, Any], database_url: str, fuzz_data_dir: Path, served: World) -> World:
    """The same world served by an app with the default (production) rate limits."""
    limits = {f.name: f.default for f in fields(RateLimitSettings)}
    settings = fuzz_settings(database_url, fuzz_data_dir, **shape | limits)
    assert settings.rate_limits.rate_limit_enabled and settings.rate_limits.rate_limit_login <= 20
    serving(create_app(settings))
    return served


def test_hostile_input_with_rate_limits_on(limited: World) -> None:
    """The limiter sees every request first: hostile ones pass through it cleanly, and once the
    limit is reached the refusals are 429 problem+json with Retry-After."""
    auth = limited.headers()
    hostile = [
        HostileRequest("NUL in path", "GET", f"{API}/users/a%00b", dict(auth)),
        HostileRequest("invalid UTF-8 path", "GET", f"{API}/users/%FF%FE", dict(auth)),
        HostileRequest("8 KB path", "GET", f"{API}/tags/{'t' * 8_192}", dict(auth)),
        HostileRequest("unknown route", "GET", f"{API}/nowhere%00", dict(auth)),
        HostileRequest("bad token", "GET", f"{API}/me", {"Authorization": "Bearer \xff\x00"}),
        HostileRequest(
            "deep login",
            "POST",
            f"{API}/auth/login",
            {"Content-Type": "application/json"},
            body=b"[" * 1_000 + b"]" * 1_000,
        ),
        HostileRequest(
            "invalid UTF-8 login",
            "POST",
            f"{API}/auth/login",
            {"Content-Type": "application/json"},
            body=b'{"login": "\xff", "password": "\xfe"}',
        ),
    ]
    statuses = []
    with client() as session:
        failures = _failures(session, iter(hostile))
        for _ in range(40):  # well past the login limit (10 a minute)
            response = _send(session, hostile[-1])
            statuses.append(response.status_code)
            problem = _problem(response)
            if problem:
                failures.append(f"login flood -> {problem}")
            if response.status_code == 429:
                assert response.headers.get("retry-after", "").isdigit(), response.headers
                break
    assert not failures, "\n".join(failures)
    assert statuses[-1] == 429, f"never limited: {statuses}"
