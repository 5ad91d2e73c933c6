"""The OpenAPI document and docs page, served with local assets so it works offline."""

from __future__ import annotations

from pathlib import Path

import msgspec
import swagger_ui_bundle
from litestar import Router
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router

__all__ = ["ProblemOut", "docs_assets_router", "openapi_config", "problems"]

ASSETS_PATH = "/schema/assets"


class FieldErrorOut(msgspec.Struct):
    field: str
    message: str


class ProblemOut(msgspec.Struct, kw_only=True):
    """RFC 9457 problem details; ``errors`` lists invalid fields on 422."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldErrorOut] | None = None


_DESCRIPTIONS = {
    400: "Malformed request",
    401: "Missing, invalid or expired access token",
    403: "Not allowed",
    404: "Not found, or hidden from the caller",
    409: "Conflicts with existing data",
    413: "Payload too large",
    422: "Invalid fields",
    429: "Rate limit exceeded",
    503: "A dependency is unavailable",
}


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problem responses a route may give."""
    return {
        status: ResponseSpec(
            data_container=ProblemOut,
            description=_DESCRIPTIONS.get(status, "Error"),
            media_type="application/problem+json",
        )
        for status in statuses
    }


def _swagger_dir() -> Path:
    return Path(swagger_ui_bundle.swagger_ui_path)


def docs_assets_router() -> Router:
    return create_static_files_router(
        path=ASSETS_PATH, directories=[_swagger_dir()], include_in_schema=False, name="docs-assets"
    )


def openapi_config(version: str) -> OpenAPIConfig:
    return OpenAPIConfig(
        title="social API",
        version=version,
        description=(
            "An Instagram-like social backend. Errors are application/problem+json (RFC 9457); "
            "lists use opaque cursors; authenticate with `Authorization: Bearer <access_token>`."
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
    )
