"""``GET /api/v1/instance`` and ``/api/v2/instance`` (public: Mastodon.py reads ``version``
before anything else and cannot work without one that parses), and the default avatar and
header images every ``Account`` without its own points at."""

from __future__ import annotations

import struct
import zlib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from litestar import Controller, Request, Response, get

from social.adapters.http.cards import json_response, json_value
from social.adapters.mastodon.entities import entities_for
from social.adapters.mastodon.entities.urls import DEFAULT_AVATAR_PATH, DEFAULT_HEADER_PATH
from social.domain.media.model import IMAGE_CONTENT_TYPES, VIDEO_CONTENT_TYPES
from social.settings import Settings

__all__ = ["MASTODON_VERSION", "default_images_controller", "instance_controller"]

COMPATIBLE_WITH = "4.2.0"
"""The Mastodon API level claimed: below 4.3, so clients expect no ``api_versions``."""
TITLE = "social"
DESCRIPTION = "A photo and video sharing service."


def _own_version() -> str:
    try:
        return version("social")
    except PackageNotFoundError:  # pragma: no cover (run from a source tree without metadata)
        return "0.0.0"


MASTODON_VERSION = f"{COMPATIBLE_WITH} (compatible; social {_own_version()})"
_MIME_TYPES = sorted(IMAGE_CONTENT_TYPES | VIDEO_CONTENT_TYPES)


def _configuration(settings: Settings) -> dict[str, Any]:
    media = settings.media
    return {
        "statuses": {
            "max_characters": settings.posts.caption_max_length,
            "max_media_attachments": settings.posts.post_max_media,
            "characters_reserved_per_url": 23,
        },
        "media_attachments": {
            "supported_mime_types": _MIME_TYPES,
            "image_size_limit": media.max_image_bytes,
            "image_matrix_limit": media.image_max_pixels,
            "video_size_limit": media.max_video_bytes,
            "video_frame_rate_limit": 60,
            "video_matrix_limit": media.image_max_pixels,
        },
        "polls": {
            "max_options": 0,
            "max_characters_per_option": 0,
            "min_expiration": 0,
            "max_expiration": 0,
        },
        "accounts": {"max_featured_tags": 0},
    }


def _streaming(base: str) -> str:
    return ("wss://" + base[8:]) if base.startswith("https://") else "ws://" + base[7:]


def instance_controller(settings: Settings) -> type[Controller]:
    configuration = _configuration(settings)

    class InstanceController(Controller):
        path = "/api"

        @get(
            "/v1/instance",
            operation_id="mastodonInstanceV1",
            summary="This server, as Mastodon's v1 instance (public)",
        )
        async def v1(self, request: Request[Any, Any, Any]) -> Response[Any]:
            return json_response(_v1(entities_for(request).urls.base, configuration))

        @get(
            "/v2/instance",
            operation_id="mastodonInstanceV2",
            summary="This server, as Mastodon's v2 instance (public)",
        )
        async def v2(self, request: Request[Any, Any, Any]) -> Response[Any]:
            return json_response(_v2(entities_for(request).urls.base, configuration))

    return InstanceController


@cache
def _domain(base: str) -> str:
    return base.split("://", 1)[-1]


def _v1(base: str, configuration: dict[str, Any]) -> bytes:
    return json_value(
        {
            "uri": _domain(base),
            "title": TITLE,
            "short_description": DESCRIPTION,
            "description": DESCRIPTION,
            "email": "",
            "version": MASTODON_VERSION,
            "urls": {"streaming_api": _streaming(base)},
            "stats": {"user_count": 0, "status_count": 0, "domain_count": 1},
            "thumbnail": None,
            "languages": ["en"],
            "registrations": True,
            "approval_required": False,
            "invites_enabled": False,
            "configuration": configuration,
            "contact_account": None,
            "rules": [],
        }
    )


def _v2(base: str, configuration: dict[str, Any]) -> bytes:
    return json_value(
        {
            "domain": _domain(base),
            "title": TITLE,
            "version": MASTODON_VERSION,
            "source_url": base,  # no public repository to name: the server itself
            "description": DESCRIPTION,
            "usage": {"users": {"active_month": 0}},
            "thumbnail": {"url": base + DEFAULT_HEADER_PATH},
            "languages": ["en"],
            "configuration": {
                "urls": {"streaming": _streaming(base)},
                "vapid": {"public_key": ""},
                **configuration,
                "translation": {"enabled": False},
            },
            "registrations": {"enabled": True, "approval_required": False, "message": None},
            "contact": {"email": "", "account": None},
            "rules": [],
        }
    )


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain-colour PNG, made once (no image file to ship)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height, 9))
        + chunk(b"IEND", b"")
    )


_AVATAR = _png(96, 96, (0xC8, 0xCC, 0xD2))
_HEADER = _png(300, 100, (0xE4, 0xE7, 0xEB))
_IMAGE_HEADERS = {"Cache-Control": "public, max-age=86400"}


def default_images_controller() -> type[Controller]:
    class DefaultImagesController(Controller):
        path = "/"

        @get(
            DEFAULT_AVATAR_PATH,
            operation_id="mastodonDefaultAvatar",
            summary="The avatar of accounts without one (PNG)",
            media_type="image/png",
        )
        async def avatar(self) -> Response[bytes]:
            return Response(_AVATAR, media_type="image/png", headers=_IMAGE_HEADERS)

        @get(
            DEFAULT_HEADER_PATH,
            operation_id="mastodonDefaultHeader",
            summary="The header image of every account (PNG)",
            media_type="image/png",
        )
        async def header(self) -> Response[bytes]:
            return Response(_HEADER, media_type="image/png", headers=_IMAGE_HEADERS)

    return DefaultImagesController
