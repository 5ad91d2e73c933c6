"""One rule for hostile input at the HTTP edge, applied before any route, use case or database.

- A NUL character (U+0000) is no text anyone means: PostgreSQL cannot even store it. In the path
  it is ``404`` (no resource has such a name); in a query parameter or a JSON string it is
  ``422`` naming the field.
- A JSON body must be UTF-8 and nest at most ``MAX_JSON_DEPTH`` levels; otherwise ``400``.
- An error answered before the request body was read whole says ``Connection: close``: servers
  drop such a connection (granian does after a ``413``), and a client must know it will.

The checks are cheap on the usual path: a substring test on the path and query string, and for a
JSON body a memchr for a backslash (only a body with escapes is searched for ``\\u0000``) and
one for brackets, stopping at the limit; the decoded value is walked only when one of those says
it might be needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args
from urllib.parse import parse_qsl

import msgspec
from litestar import Request
from litestar.enums import ScopeType
from litestar.exceptions import ClientException, ValidationException
from litestar.types import ASGIApp, Empty, Message, Receive, ReceiveMessage, Scope, Send

from social.adapters.http.problems import send_problem
from social.adapters.http.request_body import NUL_MESSAGE

__all__ = [
    "MAX_JSON_DEPTH",
    "NUL_MESSAGE",
    "BodyProblem",
    "GuardedRequest",
    "HostileInputMiddleware",
    "body_problem",
    "decode_json_body",
    "query_fields_with_nul",
]

MAX_JSON_DEPTH = 64
_ESCAPED_NUL = b"\\u0000"
_decoder = msgspec.json.Decoder()


@dataclass(frozen=True, slots=True)
class BodyProblem:
    """What is wrong with a decoded body: nested too deeply, or a NUL in the string at ``field``."""

    kind: Literal["too-deep", "nul"]
    field: str


def decode_json_body(body: bytes) -> Any:
    """The JSON value of a request body, or ``ClientException`` (400) / ``ValidationException``
    (422 naming the field) for a body the rules refuse."""
    try:
        value = _decoder.decode(body)
    except UnicodeDecodeError:
        raise ClientException("The request body is not valid UTF-8.") from None
    except RecursionError:
        raise ClientException(_too_deep()) from None
    except msgspec.DecodeError:
        raise ClientException("The request body is not valid JSON.") from None
    maybe_nul = b"\\" in body and _ESCAPED_NUL in body  # JSON can only write a NUL escaped
    if maybe_nul or _more_brackets_than(body, MAX_JSON_DEPTH):
        problem = body_problem(value)
        if problem is not None and problem.kind == "too-deep":
            raise ClientException(_too_deep())
        if problem is not None:
            raise ValidationException(
                "The request has invalid fields.",
                extra=[{"key": problem.field, "message": NUL_MESSAGE, "source": "body"}],
            )
    return value


def _more_brackets_than(body: bytes, limit: int) -> bool:
    """Whether ``body`` opens more than ``limit`` arrays and objects (counting brackets inside
    strings too: it only decides whether to look closer). ``find`` of one byte is a memchr, many
    times faster than ``count``; it stops after ``limit`` finds."""
    seen = 0
    for bracket in (b"[", b"{"):
        at = body.find(bracket)
        while at != -1:
            seen += 1
            if seen > limit:
                return True
            at = body.find(bracket, at + 1)
    return False


def body_problem(value: Any, max_depth: int = MAX_JSON_DEPTH) -> BodyProblem | None:
    """The first rule a decoded JSON value breaks, walked without recursion (a hostile body must
    not be able to exhaust the stack here either). Fields are named as in validation errors:
    ``place.name``, ``tags[2]``; the body itself is ``body``."""
    stack: list[tuple[Any, str, int]] = [(value, "", 1)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return BodyProblem("nul", path or "body")
        elif isinstance(item, dict):
            if depth > max_depth:
                return BodyProblem("too-deep", path or "body")
            for key, child in item.items():
                name = f"{path}.{key}" if path else key
                if "\x00" in key:
                    return BodyProblem("nul", name.replace("\x00", "\\u0000"))
                stack.append((child, name, depth + 1))
        elif isinstance(item, list):
            if depth > max_depth:
                return BodyProblem("too-deep", path or "body")
            stack.extend((child, f"{path}[{i}]", depth + 1) for i, child in enumerate(item))
    return None


def _too_deep() -> str:
    return f"The request body nests deeper than {MAX_JSON_DEPTH} levels."


class GuardedRequest(Request[Any, Any, Any]):
    """Litestar's request with the one place every JSON body is decoded guarded by
    ``decode_json_body`` (handlers' ``data`` comes from here; bodies are small, capped by
    ``SOCIAL_MAX_JSON_BODY_BYTES``, and uploads never come this way).

    Litestar converts ``data`` leniently (``msgspec.convert(strict=False)``), as a form needs:
    every form value is text. A JSON body has types of its own, so it is checked strictly
    against the handler's body type first: ``{"is_private": 0}`` or ``"true"`` is 422 naming
    the field, not ``false``/``true``."""

    async def json(self) -> Any:
        if self._json is Empty:
            state = self._connection_state
            if state.json is Empty:
                state.json = decode_json_body(await self.body() or b"null")
                _check_strictly(self, state.json)
            self._json = state.json
        return self._json


def _check_strictly(request: Request[Any, Any, Any], value: Any) -> None:
    """Raises the 422 of ``value`` not being exactly the handler's JSON body type."""
    handler = request.scope.get("route_handler")
    field = getattr(handler, "parsed_data_field", None)
    if field is None or value is None:
        return  # no body type (or no body: the handler's own default or error applies)
    try:
        msgspec.convert(value, field.annotation, strict=True, str_keys=True)
    except msgspec.ValidationError as error:
        first = str(error)
        messages = _each_field_error(field.annotation, value)
        if not messages or "unknown field" in first:
            messages.insert(0, first)
        raise ValidationException(
            "The request has invalid fields.",
            extra=[{"key": "data", "message": m, "source": "body"} for m in messages],
        ) from None
    except (TypeError, ValueError):  # a type msgspec cannot convert to: Litestar's rules apply
        return


def _each_field_error(annotation: Any, value: Any) -> list[str]:
    """msgspec stops at the first broken field; a client should hear of each top-level field
    at once (as the domain reports them), so each is converted on its own."""
    if not isinstance(value, dict):
        return []
    structs = [
        kind
        for kind in (get_args(annotation) or (annotation,))
        if isinstance(kind, type) and issubclass(kind, msgspec.Struct)
    ]
    tagged = [s for s in structs if s.__struct_config__.tag_field is not None]
    if tagged:  # a tagged union: the member the body names, else only msgspec's own error
        structs = [
            s for s in tagged if value.get(s.__struct_config__.tag_field) == s.__struct_config__.tag
        ]
    struct = structs[0] if structs else None
    if struct is None:
        return []
    messages = []
    for info in msgspec.structs.fields(struct):
        name = info.encode_name
        if name not in value:
            if info.required:
                messages.append(f"Object missing required field `{name}`")
            continue
        try:
            msgspec.convert(value[name], info.type, strict=True, str_keys=True)
        except msgspec.ValidationError as error:
            text = str(error)
            at = text.rfind(" - at `$")
            where = text[at + len(" - at `$") :].rstrip("`") if at != -1 else ""
            text = text[:at] if at != -1 else text
            messages.append(f"{text} - at `$.{name}{where}`")
        except (TypeError, ValueError):
            continue
    return messages


def query_fields_with_nul(query_string: bytes) -> list[str]:
    """The query parameters whose name or value holds a NUL (only asked once one was seen)."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, encoding="utf-8")
    names = [name for name, value in pairs if "\x00" in name or "\x00" in value]
    return [name.replace("\x00", "\\u0000") for name in dict.fromkeys(names)] or ["query"]


class HostileInputMiddleware:
    """Refuses a NUL in the path (404) or query (422) before routing, and marks an error sent
    while the request body is still unread with ``Connection: close``. Runs outside Litestar's
    router so nothing, not even a 404 for an unknown path, gets past it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query: bytes = scope.get("query_string", b"")
        if "\x00" in scope["path"]:
            await _refuse(scope, send, 404, "Not Found")
            return
        if b"%00" in query or b"\x00" in query:
            await _refuse(scope, send, 422, "The request has invalid fields.", query)
            return
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        body_done = False

        async def receive_tracked() -> ReceiveMessage:
            nonlocal body_done
            message = await receive()
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        async def send_closing(message: Message) -> None:
            if (
                message["type"] == "http.response.start"
                and message["status"] >= 400
                and not body_done
                and _has_body(scope)
            ):
                message = {
                    **message,
                    "headers": [*message.get("headers", ()), (b"connection", b"close")],
                }
            await send(message)

        await self.app(scope, receive_tracked, send_closing)


def _has_body(scope: Scope) -> bool:
    """Whether an HTTP/1 request announced a body (``Content-Length`` above 0, or chunked);
    HTTP/2 has no ``Connection`` header and no connection to lose with one stream."""
    if scope.get("http_version", "1.1") not in ("1.1", "1.0"):
        return False
    for name, value in scope["headers"]:
        if name == b"content-length":
            return value.strip() not in (b"0", b"")
        if name == b"transfer-encoding":
            return True
    return False


async def _refuse(scope: Scope, send: Send, status: int, detail: str, query: bytes = b"") -> None:
    if scope["type"] == ScopeType.WEBSOCKET:
        await send({"type": "websocket.close", "code": 1008, "reason": ""})
        return
    if status == 422:
        errors = [{"field": name, "message": NUL_MESSAGE} for name in query_fields_with_nul(query)]
        await send_problem(send, status, detail, errors=errors)
    else:
        await send_problem(send, status, detail)
