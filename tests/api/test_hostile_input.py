"""Hostile input at the HTTP edge (issue 13, items 1 and 4): a NUL anywhere, JSON nested too
deep or not UTF-8, answers made outside any route, and request fields the API does not take.
None of it may reach a use case or the database, and none of it may answer 500."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar.enums import RequestEncodingType
from litestar.exceptions import WebSocketDisconnect
from litestar.routes import HTTPRoute
from sqlalchemy import text

from social.adapters.http.hostile_input import MAX_JSON_DEPTH
from social.adapters.postgres.database import Database
from social.domain.shared.identity import Role
from tests.api.conftest import PASSWORD, Api, bearer
from tests.api.test_posts import ready
from tests.media_files import jpeg
from tests.served import free_port, serving

PROBLEM = "application/problem+json"
SECURITY_HEADERS = (
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "content-security-policy",
    "x-request-id",
)
NUL_MESSAGE = "must not contain the NUL character (U+0000)"


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.request.url, response.text)
    assert response.headers["content-type"] == PROBLEM
    for name in SECURITY_HEADERS:
        assert name in response.headers, (name, response.headers)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


async def admin_token(api: Api) -> str:
    """A signed-in admin: every JSON route is open to it (the test client is allowed)."""
    await api.register("chief")
    async with api.database.engine.begin() as connection:
        await connection.execute(
            text("UPDATE users SET role = :role WHERE username = 'chief'"), {"role": Role.ADMIN}
        )
    login = await api.client.post(
        "/api/v1/auth/login", json={"login": "chief", "password": PASSWORD}
    )
    return str(login.json()["access_token"])


def json_routes(api: Api) -> list[tuple[str, str]]:
    """Every (method, path) whose handler takes a JSON body, path parameters filled in."""
    found: list[tuple[str, str]] = []
    for route in api.client.app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            data = handler.parsed_data_field
            kind = getattr(data.kwarg_definition, "media_type", None) if data else None
            if data is None or kind not in (None, RequestEncodingType.JSON):
                continue
            path = route.path_format
            for name in route.path_parameters:
                path = path.replace(f"{{{name}}}", str(uuid.uuid4()))
            found += [(method, path) for method in sorted(handler.http_methods)]
    return found


# NUL (U+0000): 404 in a path, 422 naming the field in a query or a JSON string.


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/users/a%00b"),
        ("GET", "/api/v1/users/a%00b/followers"),
        ("GET", "/api/v1/users/a%00b/following"),
        ("GET", "/api/v1/users/a%00b/posts"),
        ("POST", "/api/v1/users/a%00b/follow"),
        ("DELETE", "/api/v1/users/a%00b/block"),
        ("GET", "/api/v1/tags/a%00b"),
        ("GET", "/api/v1/tags/a%00b/posts"),
        ("GET", "/api/v1/nowhere%00"),
    ],
)
async def test_a_nul_in_the_path_is_not_found(api: Api, method: str, path: str) -> None:
    token = await api.token_for("alice")
    response = await api.client.request(method, path, headers=bearer(token))
    assert_problem(response, 404)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("q=a%00b&type=users", "q"),
        ("q=a%00b&type=posts", "q"),
        ("q=a%00b&type=tags", "q"),
        ("q=a%00b&type=places", "q"),
        ("q=sun&type=users%00", "type"),
        ("q=sun&type=users&cursor=%00", "cursor"),
        ("q=sun&type=users&a%00=1", "a\\u0000"),
    ],
)
async def test_a_nul_in_the_query_is_422_naming_the_parameter(
    api: Api, query: str, field: str
) -> None:
    body = assert_problem(await api.client.get(f"/api/v1/search?{query}"), 422)
    assert body["errors"] == [{"field": field, "message": NUL_MESSAGE}]


async def test_a_nul_in_any_query_of_any_route_is_422(api: Api) -> None:
    token = await api.token_for("alice")
    for path in (
        "/api/v1/tags/trending?limit=1%00",
        "/api/v1/feed?cursor=x%00y",
        "/health/live?x=%00",
    ):
        body = assert_problem(await api.client.get(path, headers=bearer(token)), 422)
        assert body["errors"][0]["message"] == NUL_MESSAGE


async def test_a_nul_in_the_stream_query_refuses_the_socket(api: Api) -> None:
    token = await api.token_for("alice")
    url = f"/api/v1/stream?access_token={token}&x=%00"
    with pytest.raises(WebSocketDisconnect) as refused, await api.client.websocket_connect(url):
        pass
    assert refused.value.code == 1008
    with await api.client.websocket_connect(f"/api/v1/stream?access_token={token}") as ws:
        assert ws.receive_json()["event"] == "ready"


async def test_a_nul_in_a_json_string_is_422_naming_the_field_on_every_json_route(
    api: Api,
) -> None:
    token = await admin_token(api)
    routes = json_routes(api)
    assert len(routes) >= 18  # login, register, posts, comments, reports, admin, …
    for method, path in routes:
        response = await api.client.request(
            method, path, json={"name": "a\x00b"}, headers=bearer(token)
        )
        body = assert_problem(response, 422)
        assert body["errors"] == [{"field": "name", "message": NUL_MESSAGE}], (method, path)
    # the admin is still there: nothing ran (DELETE /me and POST /auth/logout were among them)
    assert (await api.client.get("/api/v1/me", headers=bearer(token))).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"login": "root\x00", "password": PASSWORD}, "login"),
        ({"login": "root", "password": "\x00"}, "password"),
        ({"login": {"deeper": ["x", "a\x00"]}}, "login.deeper[1]"),
        ({"login\x00": "root"}, "login\\u0000"),
        ("\x00", "body"),
    ],
)
async def test_the_field_holding_the_nul_is_named(api: Api, body: Any, field: str) -> None:
    response = await api.client.post("/api/v1/auth/login", json=body)
    assert assert_problem(response, 422)["errors"] == [{"field": field, "message": NUL_MESSAGE}]


async def test_an_escaped_backslash_before_u0000_is_plain_text(api: Api) -> None:
    """``"\\\\u0000"`` is the six characters ``\\u0000``, not a NUL: an ordinary failed login."""
    raw = b'{"login": "root\\\\u0000", "password": "x"}'
    response = await api.client.post(
        "/api/v1/auth/login", content=raw, headers={"content-type": "application/json"}
    )
    assert_problem(response, 401)


async def test_a_nul_never_reaches_the_search_of_each_type_or_registration(api: Api) -> None:
    """The 18 routes of the report answered 500 from PostgreSQL; a few of them, by hand."""
    for kind in ("users", "posts", "tags", "places"):
        response = await api.client.get("/api/v1/search", params={"q": "a\x00b", "type": kind})
        assert_problem(response, 422)
    register = {"username": "eve\x00", "email": "eve@example.com", "password": PASSWORD}
    response = await api.client.post("/api/v1/auth/register", json=register)
    assert assert_problem(response, 422)["errors"][0]["field"] == "username"
    assert (await api.client.get("/api/v1/users/eve")).status_code == 404


async def test_a_nul_in_a_form_text_part_is_422_naming_it(api: Api) -> None:
    """Multipart forms are parsed apart from JSON bodies; their text parts follow the same rule."""
    token = await api.token_for("alice")
    response = await api.client.post(
        "/api/v1/media",
        files={"file": ("a.jpg", jpeg(), "image/jpeg")},
        data={"alt_text": "a\x00b"},
        headers=bearer(token),
    )
    assert assert_problem(response, 422)["errors"] == [
        {"field": "alt_text", "message": NUL_MESSAGE}
    ]


async def test_unknown_form_parts_are_422_naming_them(api: Api) -> None:
    token = await api.token_for("alice")
    for method, path in [("POST", "/api/v1/media"), ("PUT", "/api/v1/me/avatar")]:
        response = await api.client.request(
            method,
            path,
            files={"file": ("a.jpg", jpeg(), "image/jpeg")},
            data={"caption": "x"},
            headers=bearer(token),
        )
        problem = assert_problem(response, 422)
        assert problem["errors"] == [
            {"field": "caption", "message": "is not a field of this request"}
        ]


# JSON nested too deep, or not UTF-8: 400 on every JSON route.


def nested(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


async def test_json_nested_a_thousand_levels_is_400_on_every_json_route(api: Api) -> None:
    token = await admin_token(api)
    for method, path in json_routes(api):
        response = await api.client.request(
            method,
            path,
            content=nested(1000),
            headers=bearer(token) | {"content-type": "application/json"},
        )
        body = assert_problem(response, 400)
        assert str(MAX_JSON_DEPTH) in body["detail"], (method, path)


async def test_the_nesting_limit_is_exact(api: Api) -> None:
    headers = {"content-type": "application/json"}
    deepest = b'{"login": ' + nested(MAX_JSON_DEPTH - 1) + b', "password": "x"}'
    at_limit = await api.client.post("/api/v1/auth/login", content=deepest, headers=headers)
    assert assert_problem(at_limit, 422)["errors"][0]["field"] == "login"  # a list, not text
    too_deep = b'{"login": ' + nested(MAX_JSON_DEPTH) + b', "password": "x"}'
    over = await api.client.post("/api/v1/auth/login", content=too_deep, headers=headers)
    assert_problem(over, 400)
    wide = b"[" + b",".join([b"[]"] * 500) + b"]"  # many brackets, shallow: not refused as deep
    flat = await api.client.post("/api/v1/auth/login", content=wide, headers=headers)
    assert assert_problem(flat, 422)["detail"] != assert_problem(over, 400)["detail"]


@pytest.mark.parametrize(
    "raw",
    [
        b'{"login": "\xff\xfe", "password": "x"}',
        b'{"login": "caf\xe9", "password": "x"}',
        b'{"\xc3": "x"}',
        b"\xff\xfe{}",
    ],
)
async def test_a_body_that_is_not_utf8_is_400_on_every_json_route(api: Api, raw: bytes) -> None:
    token = await admin_token(api)
    for method, path in json_routes(api):
        response = await api.client.request(
            method, path, content=raw, headers=bearer(token) | {"content-type": "application/json"}
        )
        assert_problem(response, 400)


# Answers made outside any route carry the same headers.


async def test_router_level_answers_carry_request_ids_and_security_headers(api: Api) -> None:
    not_found = await api.client.get("/api/v1/nonexistent", headers={"X-Request-ID": "probe-1"})
    assert_problem(not_found, 404)
    assert not_found.headers["x-request-id"] == "probe-1"
    wrong_method = await api.client.put("/health/live")
    assert_problem(wrong_method, 405)
    assert "GET" in wrong_method.headers["allow"]
    too_large = await api.client.post(
        "/api/v1/auth/login",
        content=b"{" + b" " * 1_100_000 + b"}",
        headers={"content-type": "application/json"},
    )
    assert_problem(too_large, 413)
    assert too_large.headers["connection"] == "close"


async def test_a_read_body_keeps_the_connection(api: Api) -> None:
    """Only an answer given before the body was read says ``Connection: close``."""
    response = await api.client.post("/api/v1/auth/login", json={"login": "x", "password": "y"})
    assert_problem(response, 401)
    assert "connection" not in response.headers


# Unknown fields are refused, named, never silently dropped.


async def test_unknown_fields_in_a_post_are_422_naming_each_one(worker_api: Api) -> None:
    api = worker_api
    token = await api.token_for("alice")
    media = await ready(api, token, jpeg(), "a.jpg")
    body = {"media_ids": [media["id"]], "caption": "hi", "visibility": "private", "sensitive": True}
    response = await api.client.post("/api/v1/posts", json=body, headers=bearer(token))
    problem = assert_problem(response, 422)
    assert {e["field"] for e in problem["errors"]} == {"visibility", "sensitive"}
    assert "visibility" in problem["detail"] and "sensitive" in problem["detail"]
    assert (await api.client.get("/api/v1/users/alice/posts")).json()["items"] == []

    created = await api.client.post(
        "/api/v1/posts", json={"media_ids": [media["id"]], "caption": "hi"}, headers=bearer(token)
    )
    assert created.status_code == 201, created.text
    post_id = created.json()["id"]
    other = await ready(api, token, jpeg(), "b.jpg")
    patch = await api.client.patch(
        f"/api/v1/posts/{post_id}",
        json={"caption": "changed", "media_ids": [other["id"]]},
        headers=bearer(token),
    )
    assert assert_problem(patch, 422)["errors"] == [
        {"field": "media_ids", "message": "is not a field of this request"}
    ]
    after = (await api.client.get(f"/api/v1/posts/{post_id}")).json()
    assert after["caption"] == "hi"
    nested_place = {
        "media_ids": [media["id"]],
        "place": {"name": "X", "latitude": 1, "longitude": 2, "altitude": 3},
    }
    response = await api.client.post("/api/v1/posts", json=nested_place, headers=bearer(token))
    assert [e["field"] for e in assert_problem(response, 422)["errors"]] == ["place.altitude"]


async def test_unknown_fields_are_refused_on_login_and_register(api: Api) -> None:
    login = await api.client.post(
        "/api/v1/auth/login", json={"login": "a", "password": "b", "remember_me": True}
    )
    assert assert_problem(login, 422)["errors"] == [
        {"field": "remember_me", "message": "is not a field of this request"}
    ]
    register = {"username": "eve", "email": "e@example.com", "password": PASSWORD, "role": "admin"}
    response = await api.client.post("/api/v1/auth/register", json=register)
    assert [e["field"] for e in assert_problem(response, 422)["errors"]] == ["role"]
    assert (await api.client.get("/api/v1/users/eve")).status_code == 404


# The same through a real server: granian, as `social serve` runs it.


@pytest.fixture
async def served(database: Database, database_url: str, tmp_path: Path) -> AsyncIterator[int]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIAL_")} | {
        "SOCIAL_DATABASE_URL": database_url,
        "SOCIAL_DATA_DIR": str(tmp_path / "data"),
        "SOCIAL_SECRET_KEY": "hostile-input-test-secret-" + "x" * 40,
        "SOCIAL_LOG_LEVEL": "WARNING",
    }
    async with serving(env, "--port", str(port), client_timeout_s=5) as server:
        yield server.port
    assert b"Traceback" not in server.output, server.log[-3000:]


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, dict[str, str], bytes]:
    writer.write(request)
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    body = await asyncio.wait_for(reader.readexactly(int(headers["content-length"])), 10)
    return int(lines[0].split()[1]), headers, body


async def test_granian_answers_outside_routes_with_headers_and_closes_honestly(
    served: int,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", served)
    try:
        for request, status in [
            (b"GET /api/v1/nonexistent HTTP/1.1\r\nHost: x\r\n\r\n", 404),
            (b"PUT /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 405),
            (b"GET /api/v1/users/a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 404),
            (b"GET /api/v1/search?q=a%00b&type=users HTTP/1.1\r\nHost: x\r\n\r\n", 422),
        ]:
            code, headers, body = await _exchange(reader, writer, request)
            assert code == status, body
            assert headers["content-type"] == PROBLEM
            assert all(name in headers for name in SECURITY_HEADERS), headers
            assert "connection" not in headers  # and the same connection carries on
        deep = nested(1000)
        code, headers, body = await _exchange(
            reader,
            writer,
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(deep)}\r\n\r\n".encode()
            + deep,
        )
        assert code == 400, body
        assert json.loads(body)["status"] == 400

        huge = 2_000_000  # over SOCIAL_MAX_JSON_BODY_BYTES; only the head and a little is sent
        code, headers, body = await _exchange(
            reader,
            writer,
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {huge}\r\n\r\n".encode()
            + b"{"
            + b" " * 1000,
        )
        assert code == 413
        assert headers["connection"] == "close"
        assert all(name in headers for name in SECURITY_HEADERS), headers
        assert await asyncio.wait_for(reader.read(), 10) == b""  # closed, as announced
    finally:
        writer.close()
