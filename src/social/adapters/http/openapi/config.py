"""The OpenAPI document's settings and docs page, served with local assets so it works offline;
the document Litestar generates goes through ``exact_document`` however it is read."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import swagger_ui_bundle
from litestar import Router
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, OpenAPI, SecurityScheme
from litestar.static_files import create_static_files_router

from social.adapters.http.openapi.document import API_PREFIX, exact_document

__all__ = ["ExactOpenAPIConfig", "docs_assets_router", "openapi_config"]

ASSETS_PATH = "/schema/assets"


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
