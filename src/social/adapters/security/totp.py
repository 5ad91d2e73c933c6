"""The ``OneTimeCodes`` port on pyotp: TOTP (RFC 6238), SHA-1, six digits, 30-second steps —
what every authenticator app reads from an ``otpauth://`` URI without further parameters."""

from __future__ import annotations

from datetime import datetime

import pyotp

__all__ = ["PyotpCodes"]

_SECRET_CHARS = 32  # base32: 160 bits, the key length RFC 4226 recommends for HMAC-SHA-1


class PyotpCodes:
    def __init__(self, *, interval_s: int = 30) -> None:
        self._interval = interval_s

    def new_secret(self) -> str:
        return pyotp.random_base32(_SECRET_CHARS)

    def provisioning_uri(self, secret: str, *, account: str, issuer: str) -> str:
        return self._totp(secret).provisioning_uri(name=account, issuer_name=issuer)

    def time_step(self, at: datetime) -> int:
        return int(at.timestamp()) // self._interval

    def code_at(self, secret: str, step: int) -> str:
        return self._totp(secret).generate_otp(step)

    def _totp(self, secret: str) -> pyotp.TOTP:
        return pyotp.TOTP(secret, interval=self._interval)
