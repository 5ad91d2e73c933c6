"""Key material: one master secret, purpose-bound subkeys derived from it with HKDF.

Deriving keys (instead of configuring each) means one secret to manage and rotate, and a leak
of one derived key (say, the URL-signing key) reveals nothing about the others.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from social.settings import Settings

__all__ = ["KeyRing", "load_master_secret"]

log = logging.getLogger(__name__)
MIN_SECRET_BYTES = 32
DERIVED_EMAIL_KEY_ID = "k1"
TOTP_KEY_ID = "t1"


def load_master_secret(settings: Settings) -> bytes:
    """``SOCIAL_SECRET_KEY`` if set, else a random secret created once in the data directory."""
    if settings.process.secret_key:
        secret = settings.process.secret_key.encode()
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"SOCIAL_SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes long")
        return secret
    path = settings.process.data_dir / "secret_key"
    if not path.exists():
        if settings.process.environment == "production":
            log.warning("SOCIAL_SECRET_KEY is not set: using a per-machine secret in %s", path)
        _create_secret_file(path)
    return path.read_bytes().strip()


def _create_secret_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:  # another process won the race; use its secret
        return
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))


def derive_key(secret: bytes, purpose: str, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose.encode()).derive(
        secret
    )


@dataclass(frozen=True, slots=True)
class KeyRing:
    jwt_key: bytes
    email_lookup_key: bytes
    url_signing_key: bytes
    email_keys: dict[str, bytes]
    email_key_id: str
    totp_keys: dict[str, bytes]
    """TOTP secrets at rest (AUTH-7), by key id; new ones are sealed with ``TOTP_KEY_ID``."""

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyRing:
        secret = load_master_secret(settings)
        return cls.from_secret(
            secret,
            extra_email_keys=settings.accounts.email_keys,
            email_key_id=settings.accounts.email_key_id,
        )

    @classmethod
    def from_secret(
        cls, secret: bytes, *, extra_email_keys: str = "", email_key_id: str = ""
    ) -> KeyRing:
        email_keys = {DERIVED_EMAIL_KEY_ID: derive_key(secret, "social/email-encryption/k1")}
        email_keys.update(_parse_keys(extra_email_keys))
        current = email_key_id or DERIVED_EMAIL_KEY_ID
        if current not in email_keys:
            raise ValueError(f"SOCIAL_EMAIL_KEY_ID={current!r} is not among SOCIAL_EMAIL_KEYS")
        return cls(
            jwt_key=derive_key(secret, "social/jwt"),
            email_lookup_key=derive_key(secret, "social/email-lookup"),
            url_signing_key=derive_key(secret, "social/url-signing"),
            email_keys=email_keys,
            email_key_id=current,
            totp_keys={TOTP_KEY_ID: derive_key(secret, f"social/totp-secret/{TOTP_KEY_ID}")},
        )


def _parse_keys(spec: str) -> dict[str, bytes]:
    """``kid:base64key,kid2:base64key`` → ``{kid: key}``; every key must be 32 bytes."""
    keys: dict[str, bytes] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        kid, sep, encoded = item.partition(":")
        try:
            key = base64.b64decode(encoded, validate=True) if sep else b""
        except binascii.Error:
            key = b""
        if not kid or len(key) != 32:
            raise ValueError(f"SOCIAL_EMAIL_KEYS entry {kid or item!r} needs a base64 32-byte key")
        keys[kid] = key
    return keys
