"""What a browser's ``PushSubscription`` must hold before we store it (NOTIF-3): keys that
RFC 8291 encryption can use. A bad key would make every delivery fail, so it is refused at
the door with a 422 naming the field, never found out later by a job.

The P-256 check is the curve equation itself (SEC 1 §3.2.2.1 for a cofactor-1 curve): a few
lines of integer arithmetic, so the domain needs no cryptography library.
"""

from __future__ import annotations

import base64
import binascii
import re

from social.domain.shared.errors import Invalid

__all__ = ["MAX_ENDPOINT_LENGTH", "auth_secret", "base64url", "device_public_key", "on_p256"]

MAX_ENDPOINT_LENGTH = 2048
"""Push services' endpoints are a few hundred characters; browsers cap URLs near this."""

_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")

# NIST P-256 (secp256r1): y² = x³ - 3x + b over the prime field of p.
_P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
_B = 0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B


def base64url(data: bytes) -> str:
    """Unpadded base64url: how push keys travel and are stored."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _decoded(value: str, field: str) -> bytes:
    """Strict base64url, padding optional (browsers send it without)."""
    bare = value.rstrip("=")
    if len(value) - len(bare) > 2 or not _BASE64URL.fullmatch(bare) or len(bare) % 4 == 1:
        raise Invalid.field(field, "must be base64url")
    try:
        return base64.urlsafe_b64decode(bare + "=" * (-len(bare) % 4))
    except (binascii.Error, ValueError):
        raise Invalid.field(field, "must be base64url") from None


def on_p256(point: bytes) -> bool:
    """An uncompressed point (``0x04 || x || y``) whose coordinates lie on P-256."""
    if len(point) != 65 or point[0] != 0x04:
        return False
    x, y = int.from_bytes(point[1:33], "big"), int.from_bytes(point[33:], "big")
    if x >= _P or y >= _P:
        return False
    return (y * y - (x * x * x - 3 * x + _B)) % _P == 0


def device_public_key(value: str, field: str = "keys.p256dh") -> str:
    """The device's ECDH key, normalised (unpadded base64url): 65 bytes, an uncompressed
    P-256 point on the curve."""
    point = _decoded(value, field)
    if len(point) != 65 or point[0] != 0x04:
        raise Invalid.field(field, "must be an uncompressed P-256 point (65 bytes, 0x04 first)")
    if not on_p256(point):
        raise Invalid.field(field, "is not a point on the P-256 curve")
    return base64url(point)


def auth_secret(value: str, field: str = "keys.auth") -> str:
    """The device's authentication secret, normalised: exactly 16 bytes (RFC 8291 §3.2)."""
    secret = _decoded(value, field)
    if len(secret) != 16:
        raise Invalid.field(field, "must be 16 bytes")
    return base64url(secret)
