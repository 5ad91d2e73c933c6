"""The OpenAPI document is exact: what it says every operation may answer, and how, is what the
server sends (issue 13, item 7). Walks the served document, then samples real error answers
and validates them against the schema the document gives for that operation and status."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import jsonschema_rs
from litestar.routes import HTTPRoute, WebSocketRoute
from litestar.testing import AsyncTestClient

from social.adapters.http.notifications import stream as stream_module
from social.adapters.http.problems import PROBLEM_JSON
from social.adapters.postgres.database import Database, DatabaseCheck
from social.app import create_app
from social.domain.shared.errors import DomainError
from tests.api.conftest import PASSWORD, Api, api_settings, bearer

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("get", "put", "post", "patch", "delete")
PREFIX = "/api/v1/"
STREAM = "/api/v1/stream"
PROBLEM = "#/components/schemas/ProblemOut"
COMMON = {"400", "401", "422", "429", "500", "503"}
TITLES = {  # RFC 9110's names, as docs/api.md lists them
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    426: "Upgrade Required",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


async def _document(api: Api) -> dict[str, Any]:
    response = await api.client.get("/schema/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _is_problem(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    """The Problem schema itself, or a schema built on it (``allOf``)."""
    if schema.get("$ref") == PROBLEM:
        return True
    resolved = _resolve(document, schema)
    return any(part.get("$ref") == PROBLEM for part in resolved.get("allOf", []))


def _validate(document: dict[str, Any], schema: dict[str, Any], instance: Any) -> None:
    """JSON Schema 2020-12 validation, ``#/components/...`` references resolved in the
    document (OpenAPI 3.1 schemas are JSON Schema)."""
    root = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": document["components"],
        **schema,
    }
    jsonschema_rs.validator_for(root).validate(instance)


async def test_every_api_operation_documents_its_problems_as_problem_json(api: Api) -> None:
    document = await _document(api)
    operations = [
        op
        for op in _operations(document)
        if op[0].startswith(PREFIX) and "mastodon" not in op[2].get("tags", ())
    ]  # the app API's errors are its own shape (next test)
    assert len(operations) >= 60
    for path, method, operation in operations:
        if path == STREAM:
            continue
        responses = operation["responses"]
        expected = set(COMMON)
        if "requestBody" in operation:
            expected.add("413")
        if "{" in path:
            expected.add("404")
        missing = expected - set(responses)
        assert not missing, f"{method.upper()} {path} lacks {sorted(missing)}"
        for status, response in responses.items():
            if int(status) < 400:
                continue
            content = response.get("content", {})
            assert list(content) == [PROBLEM_JSON], f"{method.upper()} {path} {status}"
            assert _is_problem(document, content[PROBLEM_JSON]["schema"]), (path, status)


async def test_every_app_api_operation_documents_its_errors_as_mastodon_does(api: Api) -> None:
    """The Mastodon-compatible API (tag ``mastodon``) answers errors as ``{"error": ...}``; its
    one HTML page (the OAuth sign-in) may answer an HTML page too."""
    document = await _document(api)
    assert document["components"]["schemas"]["AppError"]["required"] == ["error"]
    operations = [op for op in _operations(document) if "mastodon" in op[2].get("tags", ())]
    assert len(operations) >= 60
    for path, method, operation in operations:
        responses = operation["responses"]
        assert {"401", "403", "404", "422", "429", "500"} <= responses.keys(), (path, method)
        for status, response in responses.items():
            if int(status) < 400:
                continue
            content = response.get("content", {})
            expected = (
                ["application/json", "text/html"]
                if path == "/oauth/authorize"
                else ["application/json"]
            )
            assert list(content) == expected, f"{method.upper()} {path} {status}"
            schema = content["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/AppError"}, (path, status)


async def test_rate_limit_request_id_and_retry_headers_are_documented(api: Api) -> None:
    document = await _document(api)
    headers = document["components"]["headers"]
    for name in ("X-Request-ID", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"):
        assert name in headers
    for path, method, operation in _operations(document):
        for status, response in operation["responses"].items():
            if path == STREAM and status in ("101", "403"):  # made by the ASGI server
                continue
            documented = response.get("headers", {})
            assert "X-Request-ID" in documented, f"{method.upper()} {path} {status}"
            if not path.startswith(PREFIX) or path == STREAM:
                continue
            for name in ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"):
                assert name in documented, f"{method.upper()} {path} {status} {name}"
            if status == "429":
                for name in ("Retry-After", "RateLimit-Limit", "RateLimit-Remaining"):
                    assert documented[name].get("required") is True, (path, name)
            if status == "503":
                assert "Retry-After" in documented, path


async def test_the_stream_health_and_metrics_are_documented(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    app = create_app(api_settings(database_url, tmp_path, metrics_token="scrape-token-42"))
    async with AsyncTestClient(app=app) as client:
        document = (await client.get("/schema/openapi.json")).json()
    paths = document["paths"]
    for path in ("/health/live", "/health/ready", "/metrics", STREAM):
        assert "get" in paths[path], path
    stream = paths[STREAM]["get"]
    assert "101" in stream["responses"] and "x-websocket" in stream
    closes = {str(v) for k, v in vars(stream_module).items() if k.startswith("CLOSE_")}
    assert closes <= set(stream["x-websocket"]["close-codes"]), closes
    server = _resolve(document, stream["x-websocket"]["server-messages"])
    assert set(server["discriminator"]["mapping"]) >= {"ready", "notification", "feed_item"}
    assert "503" in paths["/health/ready"]["get"]["responses"]
    metrics = paths["/metrics"]["get"]
    assert list(metrics["responses"]["200"]["content"]) == ["text/plain"]
    assert metrics["security"] == [{"MetricsToken": []}]
    # what the document adds by hand is really served
    routes = {route.path: route for route in app.routes}
    assert isinstance(routes[STREAM], WebSocketRoute)
    assert isinstance(routes["/metrics"], HTTPRoute)


async def test_no_union_is_ambiguous(api: Api) -> None:
    """A ``oneOf`` without a discriminator fails for a value that fits two branches (an empty
    search page fitted all three); nullable types are written as nullable types."""
    document = await _document(api)
    found: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "oneOf" in node:
                mapping = node.get("discriminator", {}).get("mapping", {})
                refs = {branch.get("$ref") for branch in node["oneOf"]}
                if not mapping or set(mapping.values()) != refs:
                    found.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(document, "")
    assert not found, found


async def test_search_pages_carry_the_kind_they_hold(api: Api) -> None:
    document = await _document(api)
    schema = document["paths"]["/api/v1/search"]["get"]["responses"]["200"]["content"]
    schema = schema["application/json"]["schema"]
    for kind in ("posts", "users", "tags", "places"):
        response = await api.client.get("/api/v1/search", params={"q": "sea", "type": kind})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["type"] == kind and body["items"] == [] and "next_cursor" in body
        _validate(document, schema, body)


async def test_options_allows_every_method_of_the_path(api: Api) -> None:
    document = await _document(api)
    for path, item in document["paths"].items():
        if path == "/metrics":  # behind the metrics token
            continue
        concrete = re.sub(r"\{[a-z_]+\}", str(uuid.uuid4()), path)
        response = await api.client.options(concrete)
        assert response.status_code == 204, (path, response.status_code)
        allowed = {m.strip() for m in response.headers["allow"].split(",")}
        documented = {m.upper() for m in item if m in METHODS}
        assert allowed == documented | {"OPTIONS"}, (path, allowed)
        assert response.headers["x-request-id"]


async def test_cors_preflight_is_still_answered_by_cors(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    settings = api_settings(database_url, tmp_path, cors_origins=("https://app.example",))
    async with AsyncTestClient(app=create_app(settings)) as client:
        response = await client.options(
            "/api/v1/me",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "PATCH",
            },
        )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "https://app.example"
    assert "PATCH" in response.headers["access-control-allow-methods"]


def _documented(document: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    response: dict[str, Any] = document["paths"][path][method]["responses"][str(status)]
    return response


def _check_problem(
    document: dict[str, Any], path: str, method: str, response: Any, status: int
) -> dict[str, Any]:
    """Status, content type, body and required headers as the document says."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].split(";")[0] == PROBLEM_JSON
    documented = _documented(document, path, method, status)
    body: dict[str, Any] = response.json()
    _validate(document, documented["content"][PROBLEM_JSON]["schema"], body)
    assert body["status"] == status and body["title"] == TITLES[status]
    for name, header in documented.get("headers", {}).items():
        if _resolve(document, header).get("required") or header.get("required"):
            assert name.lower() in response.headers, (path, status, name)
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,64}", response.headers["x-request-id"])
    return body


async def test_error_answers_match_the_documented_schema(api: Api) -> None:
    document = await _document(api)
    client = api.client
    login = "/api/v1/auth/login"
    broken = await client.post(login, content=b"{", headers={"content-type": "application/json"})
    _check_problem(document, login, "post", broken, 400)
    wrong = await client.post(login, json={"login": "nobody", "password": "x" * 12})
    _check_problem(document, login, "post", wrong, 401)
    invalid = await client.post("/api/v1/auth/register", json={"username": "no spaces!"})
    body = _check_problem(document, "/api/v1/auth/register", "post", invalid, 422)
    assert body["type"] == "/problems/validation-failed" and body["errors"]
    await api.register("taken")
    again = {"username": "taken", "email": "other@example.com", "password": PASSWORD}
    taken = await client.post("/api/v1/auth/register", json=again)
    _check_problem(document, "/api/v1/auth/register", "post", taken, 409)
    missing = await client.get(f"/api/v1/posts/{uuid.uuid4()}")
    _check_problem(document, "/api/v1/posts/{post_id}", "get", missing, 404)
    anonymous = await client.get("/api/v1/me")
    _check_problem(document, "/api/v1/me", "get", anonymous, 401)
    huge = b'{"login": "' + b"a" * 1_100_000 + b'"}'
    too_large = await client.post(login, content=huge, headers={"content-type": "application/json"})
    _check_problem(document, login, "post", too_large, 413)
    token = await api.token_for("uploader")
    not_media = await client.post(
        "/api/v1/media",
        files={"file": ("notes.txt", b"just some text, not a photo", "text/plain")},
        headers=bearer(token),
    )
    body = _check_problem(document, "/api/v1/media", "post", not_media, 415)
    assert body["type"] == "/problems/unsupported-media-type"


async def test_rate_limited_answers_match_the_document(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    app = create_app(api_settings(database_url, tmp_path, rate_limit_login=1))
    async with AsyncTestClient(app=app) as client:
        document = (await client.get("/schema/openapi.json")).json()
        body = {"login": "nobody", "password": "x" * 12}
        first = await client.post("/api/v1/auth/login", json=body)
        assert first.headers["ratelimit-limit"] == "1"
        limited = await client.post("/api/v1/auth/login", json=body)
        _check_problem(document, "/api/v1/auth/login", "post", limited, 429)
        assert int(limited.headers["retry-after"]) >= 0


async def test_a_readiness_failure_matches_the_document(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    app = create_app(api_settings(database_url, tmp_path))
    async with AsyncTestClient(app=app) as client:
        document = (await client.get("/schema/openapi.json")).json()
        ready = await client.get("/health/ready")
        healthy = _documented(document, "/health/ready", "get", 200)["content"]
        _validate(document, healthy["application/json"]["schema"], ready.json())
        dead = Database.connect(
            "postgresql+asyncpg://postgres@127.0.0.1:1/none", pool_size=1, pool_timeout_s=1
        )
        checks = app.state.adapters.checks
        checks[[c.name for c in checks].index("database")] = DatabaseCheck(dead)
        response = await client.get("/health/ready")
        await dead.close()
    body = _check_problem(document, "/health/ready", "get", response, 503)
    assert body["down"] == ["database"]
    assert int(response.headers["retry-after"]) > 0


async def test_a_plain_get_of_the_stream_is_told_to_upgrade(api: Api) -> None:
    document = await _document(api)
    response = await api.client.get(STREAM)
    body = _check_problem(document, STREAM, "get", response, 426)
    assert response.headers["upgrade"] == "websocket"
    assert body["type"] == "/problems/upgrade-required"


async def test_deleting_the_account_answers_202_without_a_body(api: Api) -> None:
    document = await _document(api)
    assert "content" not in _documented(document, "/api/v1/me", "delete", 202)
    token = await api.token_for("leaver")
    response = await api.client.request(
        "DELETE", "/api/v1/me", json={"password": PASSWORD}, headers=bearer(token)
    )
    assert response.status_code == 202 and response.content == b""


def test_docs_list_every_problem_type_the_server_gives() -> None:
    """Each ``type`` a domain error renders (and the status it gets) is in docs/api.md's table,
    and the example there has the server's title."""
    guide = (ROOT / "docs" / "api.md").read_text()
    table = dict(re.findall(r"^\| `(/problems/[a-z-]+)` \| (\d{3}) \|", guide, re.MULTILINE))
    from social.adapters.http.errors import _STATUS_CODES

    def subclasses(cls: type[DomainError]) -> list[type[DomainError]]:
        return [cls, *(s for sub in cls.__subclasses__() for s in subclasses(sub))]

    for error in subclasses(DomainError):
        if error is DomainError:
            continue
        status = next((s for t, s in _STATUS_CODES.items() if issubclass(error, t)), 400)
        kind = f"/problems/{error.code}"
        assert table.get(kind) == str(status), f"{error.__name__}: {kind} {status} not in api.md"
    for status in TITLES:
        assert str(status) in table.values(), status
    assert '"title": "Unprocessable Content"' in guide
    assert ", ".join(f"`{title}`" for title in TITLES.values()) in " ".join(guide.split())


def test_docs_stand_on_their_own() -> None:
    """No document of the project points outside the repository."""
    documents = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    outside: list[str] = []
    for document in documents:
        text = document.read_text()
        if "/work/shared" in text or "../shared" in text:
            outside.append(f"{document.name}: shared")
        for target in re.findall(r"\]\(([^)#\s]+)", text):
            if re.match(r"[a-z]+:", target) or target.startswith("/"):
                continue  # a URL or a route of the service
            resolved = (document.parent / target).resolve()
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                outside.append(f"{document.name}: {target}")
    assert not outside, outside
