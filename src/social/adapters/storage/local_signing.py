"""Self-signed presigned URLs for the local-disk storage (``media_files_router`` serves them).

A URL is ``{base_url}/media-files/{key}`` with an expiry and an HMAC-SHA256 signature over the
method, key, expiry and, for PUT, the declared content type and size (both also in the URL, so the
route can tell a wrong type or length from a forged URL, as S3 refuses a body that differs from a
signed ``Content-Length``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
from datetime import timedelta
from urllib.parse import urlencode

from social.adapters.storage.object_keys import validate_key
from social.domain.media.errors import InvalidObjectKey
from social.domain.shared.clock import Clock

__all__ = ["UrlSigner"]

_SIGNATURE_CONTEXT = "social.media-files.v1"
_MIN_SIGNING_KEY_BYTES = 32


class UrlSigner:
    """Signs and checks the media-file URLs of one deployment (one key, one base URL)."""

    __slots__ = ("_base_url", "_clock", "_key")

    def __init__(self, base_url: str, signing_key: bytes, clock: Clock) -> None:
        if len(signing_key) < _MIN_SIGNING_KEY_BYTES:
            raise ValueError(f"signing_key must be at least {_MIN_SIGNING_KEY_BYTES} bytes")
        self._base_url = base_url.rstrip("/")
        self._key = signing_key
        self._clock = clock

    def url(
        self,
        method: str,
        key: str,
        expires_in: timedelta,
        content_type: str | None,
        size: int | None,
    ) -> str:
        """A URL for ``method`` on ``key`` valid for ``expires_in``; a PUT's binds the declared
        content type and size."""
        seconds = expires_in.total_seconds()
        if seconds <= 0:
            raise ValueError("expires_in must be positive")
        expires = math.ceil(self._now() + seconds)
        params: dict[str, str | int] = {"expires": expires}
        if content_type is not None and size is not None:
            params |= {"size": size, "content_type": content_type}
        params["signature"] = self._sign(method, key, expires, content_type, size)
        return f"{self._base_url}/media-files/{key}?{urlencode(params)}"

    def verify(
        self,
        method: str,
        key: str,
        expires: int,
        signature: str,
        content_type: str | None = None,
        size: int | None = None,
    ) -> bool:
        """Whether a presigned URL's parameters are authentic and not yet expired."""
        try:
            validate_key(key)
        except InvalidObjectKey:
            return False
        if self._now() > expires:
            return False
        ct = content_type.strip() if content_type else None
        expected = self._sign(method.upper(), key, expires, ct, size)
        return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))

    def seconds_until(self, expires: int) -> int:
        """How long a URL expiring at ``expires`` (unix seconds) remains valid; at least 0."""
        return max(0, math.floor(expires - self._now()))

    def _now(self) -> float:
        return self._clock.now().timestamp()

    def _sign(
        self, method: str, key: str, expires: int, content_type: str | None, size: int | None
    ) -> str:
        # Newline-separated: keys and content types are validated to hold no newline. GET URLs
        # sign no size, so the ones issued before sizes were signed stay valid.
        fields = [_SIGNATURE_CONTEXT, method, key, str(expires), content_type or ""]
        if size is not None:
            fields.append(str(size))
        message = "\n".join(fields)
        digest = hmac.new(self._key, message.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
