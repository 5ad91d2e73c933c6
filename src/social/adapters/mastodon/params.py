"""Request parameters as Mastodon clients send them: a form (the default of Mastodon.py),
multipart (files), a JSON object (other apps) or the query string, read through one view.

Lists arrive as repeated ``key[]`` (or a single ``key=X``), booleans as ``"1"``/``"0"``/
``"true"``; unknown fields are ignored (the password login sends stray keys)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request
from litestar.datastructures import UploadFile

from social.domain.shared.errors import Invalid

__all__ = ["Params", "read_params"]

_TRUE = frozenset({"1", "true", "on", "yes", "t"})
_FALSE = frozenset({"0", "false", "off", "no", "f", ""})


class Params:
    """Values by name; a name may hold several (``media_ids[]``) or a file."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, list[Any]]) -> None:
        self._values = values

    def __contains__(self, name: str) -> bool:
        return name in self._values or f"{name}[]" in self._values

    def names(self) -> list[str]:
        """Every name given, as sent (``poll[options][]`` stays whole)."""
        return list(self._values)

    def _all(self, name: str) -> list[Any]:
        return [*self._values.get(name, ()), *self._values.get(f"{name}[]", ())]

    def text(self, name: str, *, max_length: int | None = None) -> str | None:
        """One text value, or ``None`` when absent."""
        values = self._all(name)
        if not values or values[0] is None:
            return None
        value = values[0]
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        if not isinstance(value, str):
            raise Invalid.field(name, "Must be a string.")
        if max_length is not None and len(value) > max_length:
            raise Invalid.field(name, f"Must be at most {max_length} characters.")
        return value

    def texts(self, name: str, *, max_items: int = 40) -> list[str]:
        """Every value of ``name`` / ``name[]`` (a JSON list counts as its items)."""
        found: list[str] = []
        for value in self._all(name):
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, int) and not isinstance(item, bool):
                    item = str(item)
                if not isinstance(item, str):
                    raise Invalid.field(name, "Must be a list of strings.")
                found.append(item)
        if len(found) > max_items:
            raise Invalid.field(name, f"At most {max_items} values.")
        return found

    def flag(self, name: str, default: bool = False) -> bool:
        values = self._all(name)
        if not values or values[0] is None:
            return default
        value = values[0]
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value != 0
        if isinstance(value, str):
            if value.lower() in _TRUE:
                return True
            if value.lower() in _FALSE:
                return False
        raise Invalid.field(name, "Must be a boolean.")

    def number(self, name: str, default: int, *, low: int, high: int) -> int:
        """An integer clamped to ``low..high`` (as Mastodon does with ``limit``)."""
        text = self.text(name)
        if text is None or text == "":
            return default
        try:
            value = int(text)
        except ValueError:
            raise Invalid.field(name, "Must be an integer.") from None
        return max(low, min(high, value))

    def file(self, name: str) -> UploadFile | None:
        for value in self._all(name):
            if isinstance(value, UploadFile):
                return value
        return None


async def read_params(request: Request[Any, Any, Any], *, body: bool = True) -> Params:
    """The query string, overlaid by the body when ``body`` (form, multipart or JSON)."""
    values: dict[str, list[Any]] = {}
    for key, value in request.query_params.multi_items():
        values.setdefault(key, []).append(value)
    if not body:
        return Params(values)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        data = await request.json()
        if data is not None and not isinstance(data, dict):
            raise Invalid.field("body", "Must be a JSON object.")
        for key, value in (data or {}).items():
            values[key] = [value]
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        for key, value in form.multi_items():
            values.setdefault(key, []).append(value)
    return Params(values)
