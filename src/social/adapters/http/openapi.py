"""The OpenAPI document and docs page, served with local assets so it works offline.

Litestar generates the operations from the route handlers; ``exact_document`` then applies, in
one place, what is true of every operation because the middleware and the error handlers make it
so: every error is ``application/problem+json`` (errors.py), every API route is rate limited
with ``RateLimit-*`` headers (rate_limit.py), every response carries ``X-Request-ID``
(request_context.py). It also adds what Litestar cannot describe (the WebSocket stream) and turns
ambiguous unions into exact ones (``X | None`` as a nullable type, tagged unions with a
discriminator), so a client generator or a schema fuzzer reads what the server really does.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import msgspec
import swagger_ui_bundle
from litestar import Router
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, OpenAPI, SecurityScheme
from litestar.static_files import create_static_files_router

from social.adapters.http.errors import PROBLEM_JSON, problem_title

__all__ = [
    "ExactOpenAPIConfig",
    "ProblemOut",
    "docs_assets_router",
    "exact_document",
    "openapi_config",
    "problems",
]

ASSETS_PATH = "/schema/assets"
API_PREFIX = "/api/v1"
SCHEMAS = "#/components/schemas/"
HEADERS = "#/components/headers/"


class FieldErrorOut(msgspec.Struct):
    field: str
    message: str


class ProblemOut(msgspec.Struct, kw_only=True):
    """RFC 9457 problem details; ``errors`` lists invalid fields on 422."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldErrorOut] | msgspec.UnsetType = msgspec.UNSET


_DESCRIPTIONS = {
    400: "Malformed request: the body is not JSON (or not UTF-8, or nested too deeply), or not "
    "valid multipart/form-data",
    401: "Missing, invalid, expired or revoked access token, wrong credentials, or an unknown "
    "`X-Client-Key`",
    403: "Not allowed",
    405: "Wrong method for the path",
    426: "Not a WebSocket upgrade",
    404: "Not found, or hidden from the caller",
    409: "Conflicts with existing data",
    413: "Payload too large",
    415: "Not a photo or video we accept (judged from the bytes)",
    422: "Invalid fields; `errors` names each one",
    429: "Rate limit exceeded; retry after `Retry-After` seconds",
    500: "A bug; logged with the request id, nothing internal is shown",
    503: "A dependency is unavailable; retry after `Retry-After` seconds",
}
_GENERIC_DESCRIPTIONS = {*_DESCRIPTIONS.values(), "Bad request syntax or unsupported method"}
_API_ERRORS = (400, 401, 422, 429, 500, 503)
"""What any API operation may answer: a malformed or invalid request, an unknown client key or a
bad token, the rate limit, a bug, a dependency outage."""


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problem responses a route may give besides the common ones
    (400, 401, 422, 429, 500, 503 are added to every API operation by ``exact_document``)."""
    return {
        status: ResponseSpec(
            data_container=ProblemOut,
            description=_DESCRIPTIONS.get(status, "Error"),
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in statuses
    }


# --- components ---------------------------------------------------------------------------


def _problem_schemas() -> dict[str, Any]:
    problem = {
        "type": "object",
        "title": "ProblemOut",
        "description": "RFC 9457 problem details. `type` is stable per kind of problem (the "
        "table in docs/api.md), `title` is fixed per status, `detail` is for people. More "
        "members may be added (RFC 9457 extension members).",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string", "examples": ["/problems/validation-failed"]},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {"$ref": f"{SCHEMAS}FieldErrorOut"},
                "description": "422 (and a 409 naming a taken field): the fields at fault.",
            },
            "dependency": {
                "type": "string",
                "description": "503: the dependency that is unavailable.",
            },
        },
    }
    field_error = {
        "type": "object",
        "title": "FieldErrorOut",
        "required": ["field", "message"],
        "properties": {
            "field": {
                "type": "string",
                "description": "The field, dotted for nested ones (`place.latitude`).",
            },
            "message": {"type": "string"},
        },
    }
    schemas: dict[str, Any] = {"ProblemOut": problem, "FieldErrorOut": field_error}
    for status in _DESCRIPTIONS:
        schemas[f"Problem{status}"] = {
            "allOf": [{"$ref": f"{SCHEMAS}ProblemOut"}],
            "properties": {
                "status": {"const": status},
                "title": {"const": problem_title(status)},
            },
        }
    return schemas


def _int_header(description: str, *, required: bool = False) -> dict[str, Any]:
    return {
        "description": description,
        "required": required,
        "schema": {"type": "integer", "minimum": 0},
    }


_HEADERS: dict[str, Any] = {
    "X-Request-ID": {
        "description": "The request's id: the client's own `X-Request-ID` if well formed "
        "(1-64 of `A-Za-z0-9._-`), else a new one. Quote it when reporting a problem.",
        "required": True,
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$"},
    },
    "RateLimit-Limit": _int_header("Requests allowed in the window of this route's class."),
    "RateLimit-Remaining": _int_header("Requests left in the current window."),
    "RateLimit-Reset": _int_header("Seconds until the window resets."),
    "Retry-After": _int_header("Seconds to wait before retrying."),
    "WWW-Authenticate": {
        "description": 'A refused access token: `Bearer error="invalid_token"`.',
        "required": False,
        "schema": {"type": "string"},
    },
}


def _ref(name: str, **overrides: Any) -> dict[str, Any]:
    return {"$ref": f"{HEADERS}{name}", **overrides}


# --- the WebSocket stream -------------------------------------------------------------------


def _event(name: str, data: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "required": ["event", "data"],
        "properties": {"event": {"const": name}, "data": data},
    }


def _obj(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


_STR = {"type": "string"}
_NULLABLE_UUID = {"type": ["string", "null"], "format": "uuid"}
_UUID = {"type": "string", "format": "uuid"}
_TIME = {"type": "string", "format": "date-time"}
_EMPTY = {"type": "object", "maxProperties": 0}
_STREAM_SERVER = {
    "StreamReady": _event(
        "ready", _obj(["user_id"], user_id=_UUID), "Subscribed: events follow from now on."
    ),
    "StreamNotification": _event(
        "notification",
        _obj(
            ["id", "kind", "actor", "post_id", "comment_id", "read", "created_at"],
            id=_UUID,
            kind={
                "enum": ["like", "comment", "reply", "mention", "follow", "follow_request", "share"]
            },
            actor=_obj(
                ["id", "username", "display_name"], id=_UUID, username=_STR, display_name=_STR
            ),
            post_id=_NULLABLE_UUID,
            comment_id=_NULLABLE_UUID,
            read={"type": "boolean"},
            created_at=_TIME,
        ),
        "A compact Notification (GET /notifications has the full object).",
    ),
    "StreamFeedItem": _event(
        "feed_item",
        _obj(
            ["id", "kind", "post_id", "actor_id", "created_at"],
            id=_UUID,
            kind={"enum": ["post", "share"]},
            post_id=_UUID,
            actor_id=_UUID,
            created_at=_TIME,
        ),
        "Something new in the home feed; fetch the post or the feed to show it.",
    ),
    "StreamHeartbeat": _event("heartbeat", _EMPTY, "Every heartbeat interval (25 s)."),
    "StreamPong": _event("pong", _EMPTY, "The answer to a `ping`."),
}
_STREAM_CLIENT = {
    "StreamAuth": _obj(["type", "access_token"], type={"const": "auth"}, access_token=_STR),
    "StreamPing": _obj(["type"], type={"const": "ping"}),
}


def _union(names: list[str], tag: str, values: list[str]) -> dict[str, Any]:
    return {
        "oneOf": [{"$ref": f"{SCHEMAS}{name}"} for name in names],
        "discriminator": {
            "propertyName": tag,
            "mapping": {
                value: f"{SCHEMAS}{name}" for value, name in zip(values, names, strict=True)
            },
        },
    }


def _stream_operation() -> dict[str, Any]:
    return {
        "tags": ["notifications"],
        "operationId": "stream",
        "summary": "The real-time stream (WebSocket)",
        "description": "A WebSocket (RFC 6455): connect with `GET` and `Upgrade: websocket`. "
        "OpenAPI cannot describe the messages of a socket, so they are in `x-websocket`: the "
        "server sends `StreamServerMessage`s, the client may send `StreamClientMessage`s. "
        "Authenticate with `?access_token=` or, within 5 s, a first message "
        '`{"type": "auth", "access_token": "…"}`. Close codes: 4401 token invalid or expired '
        "or the session ended (checked at every heartbeat), 4408 no auth message in time, 4400 "
        "a first message that is not JSON, 4429 over a stream limit. A plain HTTP request (no "
        "upgrade) is answered 426 with `Upgrade: websocket`.",
        "parameters": [
            {
                "name": "access_token",
                "in": "query",
                "required": False,
                "description": "The access token (or send it in a first `auth` message).",
                "schema": {"type": "string"},
            }
        ],
        "responses": {
            "101": {"description": "Switching Protocols: the socket is open."},
            "403": {
                "description": "The handshake was refused before the socket opened (an unknown "
                "`X-Client-Key`)."
            },
            "426": {
                "description": "A plain HTTP request, not a WebSocket upgrade.",
                "headers": {
                    "Upgrade": {
                        "description": "`websocket`",
                        "required": True,
                        "schema": {"const": "websocket"},
                    }
                },
            },
        },
        "x-websocket": {
            "server-messages": {"$ref": f"{SCHEMAS}StreamServerMessage"},
            "client-messages": {"$ref": f"{SCHEMAS}StreamClientMessage"},
            "close-codes": {
                "4400": "the first message is not JSON",
                "4401": "the token is invalid or expired, or the session ended",
                "4408": "no auth message within 5 seconds",
                "4429": "over a stream limit (connection attempts, open streams per user, "
                "messages per minute); the close reason says which",
            },
        },
    }


def _stream_schemas() -> dict[str, Any]:
    events = [schema["properties"]["event"]["const"] for schema in _STREAM_SERVER.values()]
    kinds = [schema["properties"]["type"]["const"] for schema in _STREAM_CLIENT.values()]
    return {
        **_STREAM_SERVER,
        **_STREAM_CLIENT,
        "StreamServerMessage": _union(list(_STREAM_SERVER), "event", events),
        "StreamClientMessage": _union(list(_STREAM_CLIENT), "type", kinds),
    }


# --- /metrics -------------------------------------------------------------------------------


def _metrics_operation(operation: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: v for k, v in operation.items() if k not in ("responses", "security")},
        "tags": ["operations"],
        "operationId": "metrics",
        "summary": "Prometheus metrics (text exposition format)",
        "description": "Served on this port only when the deployment sets a metrics token, "
        "which scrapers send as a bearer token (a user's access token does not do).",
        "security": [{"MetricsToken": []}],
        "responses": {
            "200": {
                "description": "The metrics.",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            },
            "401": {"description": "Missing or wrong metrics token"},
        },
    }


# --- the post-processing ---------------------------------------------------------------------


def exact_document(
    document: dict[str, Any], *, api_prefix: str = API_PREFIX, stream_path: str | None = None
) -> dict[str, Any]:
    """The generated document made exact (see the module docstring); returns a new dict."""
    doc = copy.deepcopy(document)
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.update(_problem_schemas())
    components.setdefault("headers", {}).update(_HEADERS)
    paths: dict[str, Any] = doc.setdefault("paths", {})
    if "/metrics" in paths and "get" in paths["/metrics"]:
        paths["/metrics"]["get"] = _metrics_operation(paths["/metrics"]["get"])
        components.setdefault("securitySchemes", {})["MetricsToken"] = {
            "type": "http",
            "scheme": "bearer",
            "description": "The metrics token of the deployment (not a user's access token)",
        }
    for path, item in paths.items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "patch", "delete"):
                _complete(operation, path=path, api=path.startswith(api_prefix + "/"))
    if stream_path:
        schemas.update(_stream_schemas())
        stream = _stream_operation()
        _complete(stream, path=stream_path, api=True, common=(401, 429, 500))
        paths[stream_path] = {"get": stream}
    _close(schemas)
    _normalise(doc)
    _discriminate(schemas, doc)
    doc["paths"] = dict(sorted(paths.items()))
    return doc


def _complete(
    operation: dict[str, Any], *, path: str, api: bool, common: tuple[int, ...] = _API_ERRORS
) -> None:
    """The responses every operation may give, as problem+json, with the headers they carry."""
    responses: dict[str, Any] = operation.setdefault("responses", {})
    statuses = {500}
    if api:
        statuses.update(common)
        if "requestBody" in operation:
            statuses.add(413)  # the body size limit holds for every body
        if "{" in path:
            statuses.add(404)  # a path parameter that is malformed or names nothing
    body = operation.get("requestBody", {})
    if any(_nullable(media.get("schema", {})) for media in body.get("content", {}).values()):
        body["required"] = False  # ``data: X | None = None``: no body is a valid request
    for status in statuses:
        responses.setdefault(str(status), {})
    for code, response in responses.items():
        status = int(code)
        if status in (101, 403) and "x-websocket" in operation:
            continue  # made by the ASGI server before or instead of any HTTP response of ours
        if status >= 400:
            _problem_response(response, status)
        headers = response.setdefault("headers", {})
        headers["X-Request-ID"] = _ref("X-Request-ID")
        if api:
            required = status == 429
            for name in ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"):
                headers[name] = _ref(name, required=required) if required else _ref(name)
        if api and status in (429, 503):
            headers["Retry-After"] = (
                _ref("Retry-After", required=True) if status == 429 else _ref("Retry-After")
            )
        if status == 401:
            headers["WWW-Authenticate"] = _ref("WWW-Authenticate")
    operation["responses"] = dict(sorted(responses.items()))


def _nullable(schema: dict[str, Any]) -> bool:
    branches = schema.get("anyOf", schema.get("oneOf", []))
    kinds = schema.get("type") or []
    return {"type": "null"} in branches or "null" in ([kinds] if isinstance(kinds, str) else kinds)


def _problem_response(response: dict[str, Any], status: int) -> None:
    content = response.get("content", {})
    own = content.get(PROBLEM_JSON, {}).get("schema", {})
    if own and own.get("$ref") != f"{SCHEMAS}ProblemOut":
        schema = own  # a problem of its own shape (the readiness report), kept
    else:
        name = f"Problem{status}" if status in _DESCRIPTIONS else "ProblemOut"
        schema = {"$ref": f"{SCHEMAS}{name}"}
    response["content"] = {PROBLEM_JSON: {"schema": schema}}
    description = response.get("description")
    if not description or description in _GENERIC_DESCRIPTIONS:
        response["description"] = _DESCRIPTIONS.get(status, problem_title(status))


def _request_structs() -> dict[str, type[msgspec.Struct]]:
    """The structs that refuse unknown fields (every request body, request_body.py), by name."""
    found: dict[str, type[msgspec.Struct]] = {}
    pending: list[type[msgspec.Struct]] = [msgspec.Struct]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__struct_config__.forbid_unknown_fields:
                found[sub.__name__] = sub
    return found


def _close(schemas: dict[str, Any]) -> None:
    """Litestar does not say that a struct forbids unknown fields; the server refuses them
    (422 naming each), so the document says ``additionalProperties: false``. It also drops
    the constraints of list items and ``extra_json_schema`` (``uniqueItems``): each request
    struct's fields get every constraint msgspec enforces, read from msgspec's own schema."""
    structs = _request_structs()
    for name, schema in schemas.items():
        struct = structs.get(schema.get("title", name))
        if schema.get("type") != "object" or struct is None:
            continue
        schema["additionalProperties"] = False
        try:
            (own,), components = msgspec.json.schema_components([struct])
        except (TypeError, ValueError):  # a type msgspec cannot describe (an upload): as is
            continue
        enforced = components.get(own.get("$ref", "").rsplit("/", 1)[-1], own)
        for field, prop in schema.get("properties", {}).items():
            rule = enforced.get("properties", {}).get(field)
            if isinstance(rule, dict) and isinstance(prop, dict):
                _constrain(prop, rule)


_CONSTRAINTS = (
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "enum",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "description",
)


def _concrete(schema: dict[str, Any]) -> dict[str, Any]:
    """The branch of ``X | None`` (``oneOf``/``anyOf`` with null) that is not null."""
    for key in ("oneOf", "anyOf"):
        branches = [b for b in schema.get(key, []) if b != {"type": "null"}]
        if len(branches) == 1 and isinstance(branches[0], dict):
            return branches[0]
    return schema


def _constrain(target: dict[str, Any], rule: dict[str, Any]) -> None:
    """Copies ``rule``'s constraints into ``target`` (Litestar's schema of the same field)."""
    target, rule = _concrete(target), _concrete(rule)
    if "$ref" in target or "$ref" in rule:
        return
    for key in _CONSTRAINTS:
        if key in rule:
            target.setdefault(key, rule[key])
    items, rules = target.get("items"), rule.get("items")
    if isinstance(items, dict) and isinstance(rules, dict):
        _constrain(items, rules)


def _normalise(node: Any) -> None:
    """``oneOf`` of one schema is that schema; ``X | None`` is a nullable type (inline) or an
    ``anyOf`` (a reference): neither is a choice a client has to guess."""
    if isinstance(node, list):
        for value in node:
            _normalise(value)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _normalise(value)
    branches = node.get("oneOf")
    if not isinstance(branches, list) or "discriminator" in node:
        return
    if len(branches) == 1:
        del node["oneOf"]
        for key, value in branches[0].items():
            node.setdefault(key, value)
        return
    nulls = [b for b in branches if b == {"type": "null"}]
    others = [b for b in branches if b != {"type": "null"}]
    if len(nulls) != 1 or len(others) != 1:
        return
    other = others[0]
    if "$ref" in other or not isinstance(other.get("type"), str | list):
        del node["oneOf"]
        node["anyOf"] = [other, {"type": "null"}]
        return
    del node["oneOf"]
    for key, value in other.items():
        node.setdefault(key, value)
    kinds = node["type"] if isinstance(node["type"], list) else [node["type"]]
    node["type"] = [*kinds, "null"] if "null" not in kinds else kinds
    if "const" in node:
        node["enum"] = [node.pop("const"), None]
    elif "enum" in node and None not in node["enum"]:
        node["enum"] = [*node["enum"], None]


def _discriminate(schemas: dict[str, Any], node: Any) -> None:
    """A ``oneOf`` of object schemas that each fix one required property to one value gets
    that property as its discriminator (msgspec tagged unions are such)."""
    if isinstance(node, list):
        for value in node:
            _discriminate(schemas, value)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        _discriminate(schemas, value)
    branches = node.get("oneOf")
    if not isinstance(branches, list) or "discriminator" in node:
        return
    if not all(isinstance(b, dict) and "$ref" in b for b in branches):
        return
    targets = [(b["$ref"], schemas.get(b["$ref"].removeprefix(SCHEMAS), {})) for b in branches]
    common = set.intersection(*(set(s.get("required", [])) for _, s in targets))
    for name in sorted(common):
        mapping: dict[str, str] = {}
        for ref, schema in targets:
            prop = schema.get("properties", {}).get(name, {})
            value = prop.get("const", (prop.get("enum") or [None, None])[0])
            if value is None or ("enum" in prop and len(prop["enum"]) != 1):
                break
            mapping[str(value)] = ref
        else:
            if len(mapping) == len(targets):
                node["discriminator"] = {"propertyName": name, "mapping": mapping}
                return


# --- wiring ---------------------------------------------------------------------------------


class ExactOpenAPI(OpenAPI):
    """The document object whose ``to_schema`` is exact: both the served JSON and
    ``app.openapi_schema.to_schema()`` (what tests and fuzzers read) go through it."""

    _exact_options: dict[str, Any]

    def to_schema(self) -> dict[str, Any]:
        return exact_document(super().to_schema(), **getattr(self, "_exact_options", {}))


@dataclass
class ExactOpenAPIConfig(OpenAPIConfig):
    """``OpenAPIConfig`` whose document is an ``ExactOpenAPI``."""

    api_prefix: str = API_PREFIX
    stream_path: str | None = None

    def to_openapi_schema(self) -> OpenAPI:
        base = super().to_openapi_schema()
        exact = ExactOpenAPI(**{f.name: getattr(base, f.name) for f in fields(base)})
        exact._exact_options = {"api_prefix": self.api_prefix, "stream_path": self.stream_path}
        return exact


def _swagger_dir() -> Path:
    return Path(swagger_ui_bundle.swagger_ui_path)


def docs_assets_router() -> Router:
    return create_static_files_router(
        path=ASSETS_PATH, directories=[_swagger_dir()], include_in_schema=False, name="docs-assets"
    )


def openapi_config(
    version: str, *, api_prefix: str = API_PREFIX, stream_path: str | None = None
) -> OpenAPIConfig:
    """The document's settings; ``stream_path`` (default ``{api_prefix}/stream``) is where the
    WebSocket stream is served, which Litestar cannot document by itself."""
    return ExactOpenAPIConfig(
        title="social API",
        version=version,
        description=(
            "An Instagram-like social backend. Errors are application/problem+json (RFC 9457); "
            "lists use opaque cursors; authenticate with `Authorization: Bearer <access_token>`. "
            "Every response carries `X-Request-ID`; every `/api/v1` route is rate limited "
            "(`RateLimit-*` headers, 429 with `Retry-After`). The real-time stream is a "
            "WebSocket, described under `GET /api/v1/stream`."
        ),
        path="/schema",
        render_plugins=[
            SwaggerRenderPlugin(
                path="/",
                js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
                css_url=f"{ASSETS_PATH}/swagger-ui.css",
                standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
            )
        ],
        components=Components(
            security_schemes={
                "BearerToken": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    bearer_format="JWT",
                    description="Access token from /auth/login, /auth/register or /auth/refresh",
                )
            }
        ),
        api_prefix=api_prefix,
        stream_path=stream_path or f"{api_prefix}/stream",
    )
