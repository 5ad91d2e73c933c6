"""Payload encryption for one device (RFC 8291 over the RFC 8188 ``aes128gcm`` record format).

Every message gets a fresh ephemeral P-256 key and salt; only the device, holding the private
half of its ``p256dh`` key and its ``auth`` secret, can read it. The push service sees ciphertext.
The record arithmetic is http_ece's (the library pywebpush uses), not ours.
"""

from __future__ import annotations

import os

import http_ece
from cryptography.hazmat.primitives.asymmetric import ec

from social.adapters.push.vapid import b64url_decode

__all__ = ["MAX_PAYLOAD_BYTES", "RECORD_SIZE", "encrypt"]

RECORD_SIZE = 4096
"""Push services accept 4096 bytes of body (RFC 8030 §7.2): one record."""
_HEADER_BYTES = 16 + 4 + 1 + 65  # salt, record size, key id length, the sender's public key
MAX_PAYLOAD_BYTES = RECORD_SIZE - _HEADER_BYTES - 16 - 1  # minus the GCM tag and the delimiter
"""The largest plaintext that fits one record of a 4096-byte body (3993 bytes)."""


def encrypt(
    payload: bytes,
    *,
    p256dh: str,
    auth: str,
    salt: bytes | None = None,
    sender_key: ec.EllipticCurvePrivateKey | None = None,
) -> bytes:
    """The ``aes128gcm`` body for ``payload``; ``ValueError`` when the device's keys are not a
    P-256 point and a 16-byte secret, or the payload does not fit one record. ``salt`` and
    ``sender_key`` are fresh when not given (tests pin them to RFC 8291's example; reusing
    them for two messages would break the encryption)."""
    if not 0 < len(payload) <= MAX_PAYLOAD_BYTES:
        raise ValueError(f"a push payload must be 1 to {MAX_PAYLOAD_BYTES} bytes")
    try:
        receiver = b64url_decode(p256dh)
        secret = b64url_decode(auth)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), receiver)
    except ValueError as exc:
        raise ValueError(f"the subscription's keys are not usable: {exc}") from None
    if len(secret) != 16:
        raise ValueError("the subscription's auth secret must be 16 bytes")
    body: bytes = http_ece.encrypt(
        payload,
        salt=os.urandom(16) if salt is None else salt,
        private_key=sender_key or ec.generate_private_key(ec.SECP256R1()),
        dh=receiver,
        auth_secret=secret,
        version="aes128gcm",
        rs=RECORD_SIZE,
    )
    return body
