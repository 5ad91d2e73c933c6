"""Schemas made exact: what Litestar generates, said as the server enforces it.

Request structs refuse unknown fields and enforce every msgspec constraint (``close``);
``X | None`` is a nullable type and a ``oneOf`` of one is that schema (``normalise``); tagged
unions get their discriminator (``discriminate``). A client generator or a schema fuzzer then
reads what the server really does.
"""

from __future__ import annotations

from typing import Any

import msgspec

__all__ = ["SCHEMAS", "close", "discriminate", "normalise", "nullable"]

SCHEMAS = "#/components/schemas/"


def nullable(schema: dict[str, Any]) -> bool:
    branches = schema.get("anyOf", schema.get("oneOf", []))
    kinds = schema.get("type") or []
    return {"type": "null"} in branches or "null" in ([kinds] if isinstance(kinds, str) else kinds)


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


def close(schemas: dict[str, Any]) -> None:
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


def normalise(node: Any) -> None:
    """``oneOf`` of one schema is that schema; ``X | None`` is a nullable type (inline) or an
    ``anyOf`` (a reference): neither is a choice a client has to guess."""
    if isinstance(node, list):
        for value in node:
            normalise(value)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        normalise(value)
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


def discriminate(schemas: dict[str, Any], node: Any) -> None:
    """A ``oneOf`` of object schemas that each fix one required property to one value gets
    that property as its discriminator (msgspec tagged unions are such)."""
    if isinstance(node, list):
        for value in node:
            discriminate(schemas, value)
        return
    if not isinstance(node, dict):
        return
    for value in node.values():
        discriminate(schemas, value)
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
