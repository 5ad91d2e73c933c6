"""Hostile requests for one OpenAPI operation, derived from its document entry.

Every text input (path, query and header parameters, each string anywhere in a JSON or form
body) gets NUL, invalid UTF-8, a huge string, look-alike letters, bidirectional overrides and
zero-width joiners; every number gets values no 64-bit or float type holds; every field gets
the wrong type; and the whole body gets deep nesting, invalid UTF-8 and broken JSON. Walking
the document means a new route or field is attacked without anyone listing it.
"""

from __future__ import annotations

import copy
import itertools
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from tests.fuzz.openapi import Operation, document
from tests.fuzz.world import World

__all__ = ["HostileRequest", "hostile_requests", "is_destructive"]

MEGABYTE = 1_048_576
DEPTH = 1_000

# Text that must never crash a request (each may rightly be refused).
HOSTILE_TEXT: dict[str, str] = {
    "NUL": "a\x00b",
    "only NUL": "\x00",
    "C0 controls": "\x01\x07\x1b[31m\x7f",
    "cyrillic look-alikes": "fuzz\u0435r",  # U+0435
    "fullwidth": "\uff46\uff55\uff5a\uff5a\uff45\uff52",
    "kelvin sign": "\u212aelvin",
    "right-to-left override": "user\u202egpj.exe",
    "zero-width joiner": "fu\u200dzz\u200b\u0435\u0440",
    "combining marks": "z\u0351\u0352\u0353" * 50,
    "emoji": "\U0001f642\U0001f642\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "huge number text": "1e400",
    "2**64": "18446744073709551616",
    "-2**63-1": "-9223372036854775809",
    "percent and SQL": "%' OR 1=1 --_\\%",
    "long (8 KB)": "x" * 8_192,
}
HUGE_TEXT = "y" * MEGABYTE
# Raw JSON number literals: no float or 64-bit integer holds them.
HUGE_NUMBERS: dict[str, str] = {
    "1e400": "1e400",
    "-1e400": "-1e400",
    "2**64": "18446744073709551616",
    "-2**63-1": "-9223372036854775809",
    "10**400": "1" + "0" * 400,
    "tiny": "1e-400",
}
_MARKER = re.compile(r'"@@raw:([0-9a-f]*)@@"')  # a JSON value to splice in as raw text


@dataclass
class HostileRequest:
    label: str
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    files: dict[str, Any] | None = None
    data: dict[str, str] | None = None


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = document()
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _variants(schema: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            merged = {k: v for k, v in schema.items() if k != key}
            return [merged | _resolve(option) for option in schema[key]]
    return [schema]


def _types(schema: dict[str, Any]) -> set[str]:
    """Every JSON type a schema allows (``type`` may be a name or a list of names)."""
    found: set[str] = set()
    for option in _variants(schema):
        kind = option.get("type")
        found.update(kind if isinstance(kind, list) else [kind] if kind else [])
    return found


def _main(schema: dict[str, Any]) -> dict[str, Any]:
    """The first variant that is not only ``null``, with ``type`` a single name."""
    options = _variants(schema)
    chosen = next((o for o in options if o.get("type") != "null"), options[0])
    kind = chosen.get("type")
    if isinstance(kind, list):
        chosen = chosen | {"type": next((k for k in kind if k != "null"), "null")}
    return chosen


_FRESH = itertools.count()
_NAMED: dict[str, str] = {
    "target_type": "post",
    "login": "fuzzer",
    "role": "user",
    "kind": "image",
    "content_type": "image/jpeg",
    "website": "https://example.com",
}


def _sample(schema: dict[str, Any], name: str, world: World) -> Any:
    """A plausible value, naming real objects where a field takes an id, so requests get deep."""
    schema = _main(schema)
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and kind != "object":
        return schema["default"]
    if kind == "object" or "properties" in schema:
        return {
            prop: _sample(sub, prop, world) for prop, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        item = _sample(schema.get("items", {}), name.removesuffix("s"), world)
        return [item]
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return float(schema.get("minimum", 0.5)) if "minimum" in schema else 0.5
    if kind == "boolean":
        return True
    if schema.get("format") == "uuid":
        pool = {
            "media_id": "media_id",
            "target_id": "post_id",
            "parent_id": "comment_id",
            "post_id": "post_id",
        }.get(name, name)
        values = world.path_values.get(pool)
        return values[0] if values else str(uuid.uuid4())
    if schema.get("format") == "date-time":
        return "2026-01-01T00:00:00Z"
    if name in ("username", "email"):
        # Fresh each time, so a registration with one hostile field gets as far as it can.
        fresh = f"fz{next(_FRESH)}"
        return fresh if name == "username" else f"{fresh}@example.com"
    if name in _NAMED:
        return _NAMED[name]
    if name in ("password", "current_password", "new_password"):
        return "not the password 42"  # never the world's: a hostile request must not succeed
    if name == "refresh_token":
        return "not-a-refresh-token"
    return "fuzz"


def _leaves(
    value: Any, schema: dict[str, Any], path: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Every (path, schema) inside a sample value: each field, each first array item."""
    schema = _main(schema)
    if path:
        yield path, schema
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _leaves(sub, schema.get("properties", {}).get(key, {}), (*path, key))
    elif isinstance(value, list) and value:
        yield from _leaves(value[0], schema.get("items", {}), (*path, 0))


def _replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    result = copy.deepcopy(value)
    node = result
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = new
    return result


def _encode(value: Any) -> bytes:
    """JSON, with the raw literals ``_raw`` marked spliced in (what ``json`` cannot write)."""
    text = json.dumps(value, ensure_ascii=False)
    text = _MARKER.sub(lambda m: bytes.fromhex(m.group(1)).decode(), text)
    return text.encode("utf-8", "surrogatepass")


def _raw(literal: str) -> str:
    return f"@@raw:{literal.encode().hex()}@@"


def _label(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path) or "body"


def _wrong_types(schema: dict[str, Any]) -> list[Any]:
    types = _types(schema)
    candidates: list[tuple[str, Any]] = [
        ("string", "text"),
        ("integer", 7),
        ("boolean", False),
        ("array", [1, "two"]),
        ("object", {"nested": {}}),
        ("null", None),
    ]
    return [
        v for t, v in candidates if t not in types and not (t == "integer" and "number" in types)
    ]


def _json_bodies(operation: Operation, world: World) -> Iterator[tuple[str, bytes]]:
    schema = operation.spec["requestBody"]["content"]["application/json"]["schema"]
    base = _sample(schema, "", world)
    yield "plausible body", _encode(base)
    for path, leaf in list(_leaves(base, schema)):
        base = _sample(schema, "", world)  # fresh names for each group of variants
        where = _label(path)
        leaf_types = _types(leaf)
        if "string" in leaf_types and "enum" not in _main(leaf):
            for name, text in HOSTILE_TEXT.items():
                yield f"{where}={name}", _encode(_replaced(base, path, text))
            yield f"{where}=1 MB", _encode(_replaced(base, path, HUGE_TEXT))
            yield f"{where}=lone surrogate", _encode(_replaced(base, path, _raw('"\\ud800"')))
            yield (
                f"{where}=invalid UTF-8",
                _encode(_replaced(base, path, "\ufffe")).replace(
                    "\ufffe".encode(), b"\xff\xfe\xc3"
                ),
            )
        if leaf_types & {"integer", "number"}:
            for name, literal in HUGE_NUMBERS.items():
                yield f"{where}={name}", _encode(_replaced(base, path, _raw(literal)))
        for wrong in _wrong_types(leaf):
            yield f"{where}={type(wrong).__name__}", _encode(_replaced(base, path, wrong))
        deep = "[" * DEPTH + "]" * DEPTH
        yield f"{where}=1,000 deep", _encode(_replaced(base, path, _raw(deep)))
    if isinstance(base, dict):
        yield "NUL in a key", _encode(base | {"a\x00b": 1})
        yield "unknown field", _encode(base | {"surprise": True})
        yield "5,000 fields", _encode(base | {f"f{n}": n for n in range(5_000)})
    yield "1,000 deep arrays", b"[" * DEPTH + b"]" * DEPTH
    yield "1,000 deep objects", b'{"a":' * DEPTH + b"1" + b"}" * DEPTH
    yield "100,000 deep arrays", b"[" * 100_000 + b"]" * 100_000
    yield "invalid UTF-8", b'{"x": "\xff\xfe"}'
    yield "invalid UTF-8 only", b"\xff\xfe\xfd"
    yield "UTF-16 with BOM", json.dumps(base).encode("utf-16")
    yield "truncated", _encode(base)[:-1] or b"{"
    yield "empty", b""
    yield "not an object", b"[]"
    yield "bare NUL", b"\x00"
    yield "1 MB + 1 of spaces", b"{" + b" " * MEGABYTE + b"}"
    yield "duplicate keys", b'{"a": 1, "a": 2}'
    yield "NaN", b'{"x": NaN}'


def is_destructive(method: str, path: str) -> bool:
    """``DELETE`` of the object a path names (not of a relation such as a like or a follow)."""
    return method.upper() == "DELETE" and path.rstrip("/").endswith("}")


def _fill_path(operation: Operation, world: World, override: dict[str, str]) -> str:
    path = operation.path
    pools = world.disposable if is_destructive(operation.method, path) else world.path_values
    for parameter in operation.parameters("path"):
        name = parameter["name"]
        value = override.get(name)
        if value is None:
            values = pools.get(name) or world.path_values.get(name) or ["fuzz"]
            value = quote(values[0], safe="")
        path = path.replace("{" + name + "}", value)
    return path


def _text_inputs() -> Iterator[tuple[str, str]]:
    """Hostile texts, percent-encoded for a URL, plus bytes that are not UTF-8."""
    for name, text in HOSTILE_TEXT.items():
        yield name, quote(text, safe="")
    yield "1 MB", "z" * MEGABYTE
    yield "invalid UTF-8", "%FF%FE%C3"
    yield "encoded slash", "a%2Fb"
    yield "dot segments", "..%2F..%2Fetc"


def hostile_requests(
    operation: Operation, world: World, auth: dict[str, str]
) -> Iterator[HostileRequest]:
    """Every hostile request for ``operation``, sent with the ``auth`` headers."""
    method = operation.method.upper()
    base_path = _fill_path(operation, world, {})

    for parameter in operation.parameters("path"):
        for name, value in _text_inputs():
            if name == "1 MB":
                value = "z" * 8_192  # a URL that long is refused by any real server first
            url = _fill_path(operation, world, {parameter["name"]: value})
            yield HostileRequest(f"path {parameter['name']}={name}", method, url, dict(auth))

    body, headers = _default_body(operation, world)
    yield HostileRequest(
        "unknown query parameter", method, f"{base_path}?zz%00=%00%FF", auth | headers, body=body
    )
    for parameter in operation.parameters("query"):
        # The other required parameters plausible, so the hostile one is not refused first.
        others = "".join(
            f"&{other['name']}={quote(str(_sample(other.get('schema', {}), other['name'], world)))}"
            for other in operation.parameters("query")
            if other.get("required") and other["name"] != parameter["name"]
        )
        for name, value in [*_text_inputs(), *HUGE_NUMBERS.items()]:
            url = f"{base_path}?{parameter['name']}={value}{others}"
            yield HostileRequest(
                f"query {parameter['name']}={name}", method, url, auth | headers, body=body
            )
        yield HostileRequest(
            f"query {parameter['name']} repeated",
            method,
            f"{base_path}?{parameter['name']}=1&{parameter['name']}=2",
            auth | headers,
            body=body,
        )

    for parameter in operation.parameters("header"):
        for name, value in [
            ("latin-1", "\xff\xfe\xe9"),
            ("8 KB", "k" * 8_192),
            ("huge number", "1e400"),
            ("control", "a\x7fb"),
        ]:
            yield HostileRequest(
                f"header {parameter['name']}={name}",
                method,
                base_path,
                auth | headers | {parameter["name"]: value},
                body=body,
            )

    media_types = operation.body_media_types()
    if "application/json" in media_types:
        json_headers = auth | {"Content-Type": "application/json"}
        for label, raw in _json_bodies(operation, world):
            yield HostileRequest(f"body {label}", method, base_path, json_headers, body=raw)
        yield HostileRequest(
            "body as text/plain", method, base_path, auth | {"Content-Type": "text/plain"}, b"{}"
        )
    if "multipart/form-data" in media_types:
        yield from _multipart(operation, method, base_path, auth)


def _default_body(operation: Operation, world: World) -> tuple[bytes | None, dict[str, str]]:
    if "application/json" not in operation.body_media_types():
        return None, {}
    schema = operation.spec["requestBody"]["content"]["application/json"]["schema"]
    return _encode(_sample(schema, "", world)), {"Content-Type": "application/json"}


def _multipart(
    operation: Operation, method: str, path: str, auth: dict[str, str]
) -> Iterator[HostileRequest]:
    from tests.media_files import jpeg

    picture = jpeg((32, 32))
    schema = _main(operation.spec["requestBody"]["content"]["multipart/form-data"]["schema"])
    text_fields = [
        name
        for name, sub in schema.get("properties", {}).items()
        if _main(sub).get("format") != "binary"
    ]
    for field_name in text_fields:
        for name, text in [*HOSTILE_TEXT.items(), ("1 MB", HUGE_TEXT)]:
            yield HostileRequest(
                f"form {field_name}={name}",
                method,
                path,
                dict(auth),
                files={"file": ("a.jpg", picture, "image/jpeg")},
                data={field_name: text},
            )
    for name, filename in [
        ("NUL", "a\x00.jpg"),
        ("right-to-left override", "gpj\u202e.exe"),
        ("path traversal", "../../etc/passwd"),
        ("8 KB", "f" * 8_192 + ".jpg"),
    ]:
        yield HostileRequest(
            f"file name {name}",
            method,
            path,
            dict(auth),
            files={"file": (filename, picture, "image/jpeg")},
        )
    boundary_headers = auth | {"Content-Type": "multipart/form-data; boundary=x"}
    for name, raw in [
        ("no closing boundary", b'--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc'),
        (
            "invalid UTF-8 headers",
            b'--x\r\nContent-Disposition: form-data; name="\xff"\r\n\r\na\r\n--x--',
        ),
        ("empty", b""),
    ]:
        yield HostileRequest(f"multipart {name}", method, path, boundary_headers, body=raw)
    yield HostileRequest(
        "multipart without boundary",
        method,
        path,
        auth | {"Content-Type": "multipart/form-data"},
        body=b"abc",
    )
