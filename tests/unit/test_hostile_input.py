"""The pure rules of ``adapters/http/hostile_input.py``: what a decoded body breaks, and which
query parameters hold a NUL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from litestar.exceptions import ClientException, ValidationException

from social.adapters.http.hostile_input import (
    MAX_JSON_DEPTH,
    BodyProblem,
    HostileInputMiddleware,
    body_problem,
    decode_json_body,
    query_fields_with_nul,
)


def deep(levels: int, leaf: Any = 1) -> Any:
    value = leaf
    for level in range(levels):
        value = [value] if level % 2 else {"k": value}
    return value


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"a": "plain", "b": [1, 2.5, None, True]}, None),
        ("\x00", BodyProblem("nul", "body")),
        ({"a": {"b": ["x", "y\x00"]}}, BodyProblem("nul", "a.b[1]")),
        ({"a\x00": 1}, BodyProblem("nul", "a\\u0000")),
        (deep(MAX_JSON_DEPTH), None),
        (deep(MAX_JSON_DEPTH + 1), BodyProblem("too-deep", ".".join(["k[0]"] * 32))),
    ],
)
def test_body_problem(value: Any, problem: BodyProblem | None) -> None:
    assert body_problem(value) == problem


def test_a_body_far_deeper_than_the_stack_is_walked_without_recursion() -> None:
    value: Any = "leaf"
    for _ in range(100_000):
        value = [value]
    assert body_problem(value) is not None
    assert body_problem(value).kind == "too-deep"  # type: ignore[union-attr]


def test_decode_refuses_what_the_rules_refuse() -> None:
    assert decode_json_body(b'{"a": "b\\\\u0000"}') == {"a": "b\\u0000"}  # text, not a NUL
    assert decode_json_body(json.dumps([[1]] * 200).encode()) == [[1]] * 200  # wide, not deep
    with pytest.raises(ValidationException) as nul:
        decode_json_body(b'{"a": "b\\u0000"}')
    assert nul.value.extra == [
        {"key": "a", "message": "must not contain the NUL character (U+0000)", "source": "body"}
    ]
    for body, detail in [
        (b"[" * 5000 + b"]" * 5000, "nests deeper"),
        (b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1), "nests deeper"),
        (b'{"a": "\xff"}', "UTF-8"),
        (b"{", "not valid JSON"),
    ]:
        with pytest.raises(ClientException) as refused:
            decode_json_body(body)
        assert refused.value.status_code == 400
        assert detail in refused.value.detail


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        (b"q=a%00b&type=users", ["q"]),
        (b"q=a&type=%00&q=%00", ["type", "q"]),
        (b"a%00=1", ["a\\u0000"]),
        (b"q=\x00", ["q"]),
        (b"%00", ["\\u0000"]),
    ],
)
def test_query_fields_with_nul(query: bytes, fields: list[str]) -> None:
    assert query_fields_with_nul(query) == fields


async def _answer(http_version: str, headers: list[tuple[bytes, bytes]], *, read: bool) -> Any:
    """The response head the middleware lets through for a 413 from a stand-in app."""
    sent: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if read:
            await receive()
        await send({"type": "http.response.start", "status": 413, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def receive() -> Any:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "http_version": http_version,
        "method": "POST",
        "path": "/api/v1/auth/login",
        "query_string": b"",
        "headers": headers,
    }
    await HostileInputMiddleware(app)(scope, receive, send)  # type: ignore[arg-type]
    return dict(sent[0]["headers"]).get(b"connection")


@pytest.mark.parametrize(
    ("version", "headers", "read", "connection"),
    [
        ("1.1", [(b"content-length", b"5000000")], False, b"close"),
        ("1.1", [(b"transfer-encoding", b"chunked")], False, b"close"),
        ("1.0", [(b"content-length", b"10")], False, b"close"),
        ("1.1", [(b"content-length", b"2")], True, None),  # read whole: the connection is fine
        ("1.1", [(b"content-length", b"0")], False, None),  # nothing to read
        ("1.1", [], False, None),
        ("2", [(b"content-length", b"5000000")], False, None),  # no such header in HTTP/2
    ],
)
async def test_an_error_before_the_body_was_read_says_connection_close(
    version: str, headers: list[tuple[bytes, bytes]], read: bool, connection: bytes | None
) -> None:
    assert await _answer(version, headers, read=read) == connection
