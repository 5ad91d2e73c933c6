"""Job messages to and from their wire form: the arguments the outbox and SAQ store.

The arguments are the message's fields as JSON primitives (UUIDs as strings, enums as their
values, tuples as lists), under the field names; an optional field left at ``None`` is left
out. This is the form the use cases wrote by hand before jobs were typed, so jobs queued by an
older release decode here, and the other way round.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec

from social.domain.shared.jobs import Job

__all__ = ["decode", "encode"]

J = TypeVar("J", bound=Job)


def encode(job: Job) -> dict[str, Any]:
    """The job's arguments; ``TypeError`` when a field cannot be written as JSON."""
    arguments: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(job))
    for field in dataclasses.fields(job):
        if field.default is None and arguments.get(field.name, ...) is None:
            del arguments[field.name]
    return arguments


def decode(kind: type[J], arguments: Mapping[str, Any]) -> J:
    """The job of type ``kind`` the arguments describe; ``msgspec.ValidationError`` when they
    do not (unknown arguments are ignored)."""
    return msgspec.convert(arguments, kind)
