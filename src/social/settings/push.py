"""Web Push (NOTIF-3): the server's VAPID identity, delivery, and where pushes may go."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PushSettings"]


@dataclass(frozen=True, slots=True)
class PushSettings:
    """Push is on in every mode: without a configured key, one is generated once into the data
    directory (``data_dir/vapid_private_key.pem``)."""

    push_vapid_private_key: str = ""
    """The VAPID key (RFC 8292): a PEM-encoded P-256 private key, or its raw 32-byte scalar in
    base64url. Empty: generated into the data directory on first start."""
    push_vapid_subject: str = ""
    """Who push services may contact (``mailto:`` or ``https:``); empty: the public URL."""
    push_ttl_s: int = 86_400
    """How long a push service keeps an undelivered message (the ``TTL`` header)."""
    push_timeout_s: float = 10.0
    """One delivery attempt's limit (connect, TLS and response)."""
    push_allow_loopback: bool = False
    """Allow subscription endpoints on loopback addresses, over http too (tests deliver to a
    local receiver). Private, link-local and metadata addresses stay refused."""
