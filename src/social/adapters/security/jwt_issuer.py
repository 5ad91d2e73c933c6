"""Access tokens (AUTH-3): HS256 JWTs with the algorithm pinned on verification."""

from __future__ import annotations

import base64
import hmac
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import UUID

import jwt

from social.domain.accounts.ports import AccessClaims
from social.domain.shared.errors import AuthenticationFailed
from social.domain.shared.identity import Role

__all__ = ["JwtTokenIssuer"]

_ALGORITHM = "HS256"
_REQUIRED = ["exp", "iat", "sub", "jti", "sid", "role", "iss"]


class JwtTokenIssuer:
    """Signs with one key; verification accepts HS256 only, so ``alg: none`` and algorithm
    confusion are refused, and every claim the service relies on must be present.

    A token verified once is remembered (by its exact text) until it expires: a client sends
    the same token with every request for its 15 minutes, and decoding and checking an HMAC
    costs more than the rest of a cached feed page's authentication. Expiry is checked again
    at every use; the same text can only ever verify the same way."""

    def __init__(
        self,
        *,
        key: bytes,
        issuer: str,
        ttl: timedelta,
        leeway_s: int,
        remembered: int = 50_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if len(key) < 32:
            raise ValueError("JWT keys must be at least 32 bytes")
        self._key = key
        self._successor_key = hmac.digest(key, b"social/refresh-successor", "sha256")
        self._issuer = issuer
        self._ttl = ttl
        self._leeway = leeway_s
        self._max_remembered = remembered
        self._clock = clock
        self._verified: OrderedDict[str, tuple[float, AccessClaims]] = OrderedDict()

    def issue_access_token(
        self,
        *,
        user_id: UUID,
        role: Role,
        session_id: UUID,
        now: datetime,
        token_id: str | None = None,
    ) -> tuple[str, int]:
        issued = int(now.timestamp())
        ttl = int(self._ttl.total_seconds())
        claims = {
            "iss": self._issuer,
            "sub": str(user_id),
            "sid": str(session_id),
            "role": role.value,
            "iat": issued,
            "exp": issued + ttl,
            "jti": token_id or secrets.token_urlsafe(12),
        }
        return jwt.encode(claims, self._key, algorithm=_ALGORITHM), ttl

    def successor_refresh_token(self, previous: str) -> str:
        """HMAC-SHA256 of the previous token under a key of its own (derived from the JWT key):
        256 bits nobody can compute without the server's secret."""
        digest = hmac.digest(self._successor_key, previous.encode(), "sha256")
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def verify_access_token(self, token: str) -> AccessClaims:
        known = self._verified.get(token)
        if known is not None:
            if self._clock() < known[0]:
                return known[1]
            del self._verified[token]
        claims = self._verify(token)
        self._verified[token] = (claims.expires_at.timestamp() + self._leeway, claims)
        if len(self._verified) > self._max_remembered:
            self._verified.popitem(last=False)  # the oldest verified first
        return claims

    def _verify(self, token: str) -> AccessClaims:
        """PyJWT checks the signature, the issuer and that every claim is there; the times are
        judged here against ``clock``, the same clock that ends a remembered token, so one clock
        decides (PyJWT would read the system's)."""
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[_ALGORITHM],
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": _REQUIRED, "verify_exp": False, "verify_iat": False},
            )
            now = self._clock()
            if int(claims["exp"]) <= now - self._leeway:
                raise jwt.ExpiredSignatureError("Signature has expired")
            if int(claims["iat"]) > now + self._leeway:
                raise jwt.ImmatureSignatureError("The token is not yet valid (iat)")
            return AccessClaims(
                user_id=UUID(claims["sub"]),
                session_id=UUID(claims["sid"]),
                role=Role(claims["role"]),
                token_id=str(claims["jti"]),
                expires_at=datetime.fromtimestamp(claims["exp"], UTC),
            )
        except (jwt.PyJWTError, ValueError, TypeError, KeyError):
            raise AuthenticationFailed("The access token is invalid or has expired.") from None
