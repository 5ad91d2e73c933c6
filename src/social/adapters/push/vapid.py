"""The server's VAPID identity (RFC 8292): one P-256 key that signs a short JWT per push.

Browsers bind a subscription to the ``applicationServerKey`` it was made with, so the key must
outlive restarts: it comes from settings, or is generated once into the data directory. Changing
it orphans every stored subscription (push services refuse the new key's signatures for them).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import logging
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

__all__ = ["KEY_FILE_NAME", "TOKEN_LIFETIME_S", "VapidKey", "origin_of"]

log = logging.getLogger(__name__)

KEY_FILE_NAME = "vapid_private_key.pem"
TOKEN_LIFETIME_S = 12 * 3600
"""RFC 8292 §2 caps ``exp`` at 24 hours; half of that leaves room for clock skew."""
_DEFAULT_PORTS = {"https": 443, "http": 80}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    cleaned = text.strip()
    return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))


def origin_of(endpoint: str) -> str:
    """The RFC 6454 origin (``scheme://host[:port]``, default port omitted) a VAPID token is
    bound to: its ``aud`` claim."""
    parts = urlsplit(endpoint)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is None or port == _DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


class VapidKey:
    """A P-256 private key and what push services need from it."""

    __slots__ = ("_private_key", "_public_key")

    def __init__(self, private_key: ec.EllipticCurvePrivateKey) -> None:
        if not isinstance(private_key.curve, ec.SECP256R1):
            raise ValueError("a VAPID key must be on the P-256 curve")
        self._private_key = private_key
        point = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self._public_key = b64url(point)

    @classmethod
    def load(cls, configured: str, data_dir: Path) -> VapidKey:
        """The configured key (PEM, or base64url raw 32-byte scalar), else the one in
        data_dir/vapid_private_key.pem, generated there (0600, created atomically so two
        processes starting at once agree) when absent."""
        if configured.strip():
            return cls.parse(configured)
        path = data_dir / KEY_FILE_NAME
        if not path.exists():
            _create_key_file(path)
        return cls.parse(path.read_text("ascii"))

    @classmethod
    def parse(cls, text: str) -> VapidKey:
        """A PEM private key (``\\n`` escapes allowed, as environment variables carry them) or a
        base64url raw 32-byte private scalar; ``ValueError`` names what is wrong."""
        text = text.strip()
        if text.startswith("-----BEGIN"):
            pem = text.replace("\\n", "\n").encode("ascii")
            try:
                key = serialization.load_pem_private_key(pem, password=None)
            except (ValueError, TypeError) as exc:
                raise ValueError(f"the VAPID key is not a readable PEM key: {exc}") from None
            if not isinstance(key, ec.EllipticCurvePrivateKey):
                raise ValueError("the VAPID key must be an EC (P-256) private key")
            return cls(key)
        try:
            raw = b64url_decode(text)
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ValueError("the VAPID key must be a PEM key or a base64url 32-byte P-256 scalar")
        try:
            key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
        except ValueError:
            raise ValueError("the VAPID key's scalar is out of range for P-256") from None
        return cls(key)

    @classmethod
    def generate(cls) -> VapidKey:
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @property
    def public_key(self) -> str:
        """The uncompressed P-256 point, base64url without padding (``applicationServerKey``)."""
        return self._public_key

    def pem(self) -> str:
        """The private key as PKCS#8 PEM (what the key file holds)."""
        return self._private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")

    def authorization(self, endpoint: str, subject: str, *, now: float | None = None) -> str:
        """The RFC 8292 `Authorization: vapid t=<jwt>, k=<public key>` header value for
        endpoint's origin (exp ≤ 24 h)."""
        issued = time.time() if now is None else now
        claims: dict[str, str | int] = {
            "aud": origin_of(endpoint),
            "exp": int(issued) + TOKEN_LIFETIME_S,
        }
        if subject:
            claims["sub"] = subject
        token = jwt.encode(claims, self._private_key, algorithm="ES256", headers={"typ": "JWT"})
        return f"vapid t={token}, k={self._public_key}"


def _create_key_file(path: Path) -> None:
    """Write a new key to a private temporary file, then link it into place: ``link`` fails
    when the name exists, so of two processes starting together exactly one key wins and the
    loser reads it (always complete: the winner's file was written before it was linked)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".vapid-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(VapidKey.generate().pem())
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return  # another process won the race: its key is the key
        log.info("generated the VAPID key in %s", path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
