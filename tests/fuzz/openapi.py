"""The app's OpenAPI document at collection time, so each operation becomes its own test.

The document depends only on the routes, not on any service, so an app built with placeholder
settings (never started) describes exactly what the real one serves. New routes are fuzzed
without anyone listing them.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from litestar.serialization import encode_json

from social.app import create_app
from tests.api.conftest import api_settings

__all__ = ["Operation", "document", "operations"]

METHODS = ("get", "put", "post", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def parameters(self, where: str) -> list[dict[str, Any]]:
        return [p for p in self.spec.get("parameters", []) if p.get("in") == where]

    def body_media_types(self) -> list[str]:
        return list(self.spec.get("requestBody", {}).get("content", {}))


@cache
def document() -> dict[str, Any]:
    data_dir = Path(tempfile.gettempdir()) / "social-fuzz-openapi"
    app = create_app(api_settings("postgresql+asyncpg://unused@localhost/unused", data_dir))
    # Encoded as the app serves it: examples in the document may be msgspec structs.
    served: dict[str, Any] = json.loads(encode_json(app.openapi_schema.to_schema()))
    return served


def operations() -> list[Operation]:
    return [
        Operation(method, path, spec)
        for path, item in document()["paths"].items()
        for method, spec in item.items()
        if method in METHODS
    ]
