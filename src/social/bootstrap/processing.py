"""The CPU-bound adapters, each in its own bounded pool: password hashing, image and video
processing; and the access-token issuer."""

from __future__ import annotations

from contextlib import AsyncExitStack
from datetime import timedelta

from social.adapters.media.images import PillowImageProcessor
from social.adapters.media.video import FfmpegVideoProcessor
from social.adapters.security.argon2_hasher import Argon2PasswordHasher
from social.adapters.security.jwt_issuer import JwtTokenIssuer
from social.adapters.security.keys import KeyRing
from social.settings import Settings

__all__ = ["build_hasher", "build_token_issuer", "open_media_processors"]


def build_hasher(settings: Settings) -> Argon2PasswordHasher:
    return Argon2PasswordHasher(
        time_cost=settings.accounts.argon2_time_cost,
        memory_kib=settings.accounts.argon2_memory_kib,
        parallelism=settings.accounts.argon2_parallelism,
        max_threads=settings.accounts.argon2_max_threads,
    )


def build_token_issuer(settings: Settings, keys: KeyRing) -> JwtTokenIssuer:
    return JwtTokenIssuer(
        key=keys.jwt_key,
        issuer=settings.accounts.jwt_issuer,
        ttl=timedelta(seconds=settings.accounts.access_token_ttl_s),
        leeway_s=settings.accounts.jwt_leeway_s,
    )


def open_media_processors(
    settings: Settings, stack: AsyncExitStack
) -> tuple[PillowImageProcessor, FfmpegVideoProcessor]:
    """The image processor (its threads shut down with ``stack``) and the video processor that
    makes its poster frames with it."""
    images = PillowImageProcessor(
        max_pixels=settings.media.image_max_pixels, max_threads=settings.media.image_threads
    )
    stack.callback(images.close)
    videos = FfmpegVideoProcessor(
        max_duration_s=settings.media.max_video_seconds,
        max_bytes=settings.media.max_video_bytes,
    )
    return images, videos
