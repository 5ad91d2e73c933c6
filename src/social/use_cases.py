"""The use cases the composition root built, looked up by their type.

The callers of use cases (HTTP handlers, job tasks, the CLI) depend on this module, not on the
composition root (which the import contract keeps adapters away from): a job asks for
``use_cases.get(FanOut)`` and gets a ``FanOut``, typed; the HTTP edge injects each use case
into the handler parameter named after its class (``CreatePost`` → ``create_post``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TypeVar, cast

__all__ = ["UseCases", "use_case_name"]

T = TypeVar("T")

_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def use_case_name(kind: type) -> str:
    """The name a use case goes by where names are needed (dependency injection): its class
    name in snake_case, ``SearchEverything`` → ``search_everything``."""
    return _WORD_START.sub("_", kind.__name__).lower()


class UseCases:
    """One instance per use-case type; two of a type (or two types of one name) are refused,
    since a lookup could then not say which one it means."""

    __slots__ = ("_by_name", "_by_type")

    def __init__(self, instances: Iterable[object]) -> None:
        by_type: dict[type, object] = {}
        by_name: dict[str, object] = {}
        for instance in instances:
            kind, name = type(instance), use_case_name(type(instance))
            if kind in by_type:
                raise ValueError(f"two {kind.__qualname__} use cases")
            if name in by_name:
                raise ValueError(f"two use cases are named {name!r}")
            by_type[kind], by_name[name] = instance, instance
        self._by_type = by_type
        self._by_name: Mapping[str, object] = MappingProxyType(by_name)

    def get(self, kind: type[T]) -> T:
        """The use case of type ``kind``; ``LookupError`` when none was built."""
        try:
            return cast("T", self._by_type[kind])
        except KeyError:
            raise LookupError(f"no {kind.__qualname__} use case was built") from None

    @property
    def by_name(self) -> Mapping[str, object]:
        """Every use case under its name (``use_case_name``), read-only."""
        return self._by_name

    def __iter__(self) -> Iterator[object]:
        return iter(self._by_type.values())

    def __len__(self) -> int:
        return len(self._by_type)

    def __repr__(self) -> str:
        return f"UseCases({', '.join(self._by_name)})"
