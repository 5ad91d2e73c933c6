"""The HTTP edge: the public address, browsers, body size, idempotency and trusted networks."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HttpSettings"]


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """What the HTTP edge needs before any use case runs."""

    public_url: str = ""
    """Base URL clients reach the API at (for media links); default ``http://host:port``."""
    cors_origins: tuple[str, ...] = ()
    max_json_body_bytes: int = 1_048_576
    idempotency_key_ttl_s: int = 24 * 3600
    """How long a repeated ``Idempotency-Key`` returns the first result."""
    trusted_proxies: tuple[str, ...] = ()
    """CIDR blocks of our own proxies: only their ``X-Forwarded-For`` is believed."""
    admin_allowed_ips: tuple[str, ...] = ()
    """When set, /admin endpoints answer only these CIDR blocks (others get 403)."""
