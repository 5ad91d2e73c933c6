"""Two-factor authentication (AUTH-7): a TOTP enrolment per account, its recovery codes, and
the rules they follow."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from social.domain.shared.errors import AuthenticationFailed

__all__ = [
    "DRIFT_STEPS",
    "RECOVERY_CODES",
    "OtpRequired",
    "TotpEnrolment",
    "TotpProvisioning",
    "hash_recovery_code",
    "is_totp_code",
    "new_recovery_code",
]

RECOVERY_CODES = 10
"""How many recovery codes an enrolment hands out (each works once)."""
DRIFT_STEPS = 1
"""A code of the step before or after the current one is accepted too (clock drift)."""
_RECOVERY_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
_RECOVERY_LENGTH = 16  # 16 characters of 5 bits: 80 bits of entropy


class OtpRequired(AuthenticationFailed):
    """The password was right, and the account also needs a second factor (``otp``)."""

    code = "otp-required"


@dataclass(frozen=True, slots=True)
class TotpEnrolment:
    """An account's TOTP secret (base32, in clear here: encrypted at rest by the adapter).
    Pending until the account's ``two_factor_enabled`` is set by a confirmed first code."""

    user_id: UUID
    secret: str
    created_at: datetime
    last_step: int | None = None
    """The last time step a code was accepted for: no code at or before it is accepted again."""


@dataclass(frozen=True, slots=True)
class TotpProvisioning:
    """What an authenticator app needs: the secret and the ``otpauth://`` URI (a QR code)."""

    secret: str
    otpauth_uri: str


def is_totp_code(code: str) -> bool:
    """Six ASCII digits; anything else presented as ``otp`` is taken for a recovery code."""
    return len(code) == 6 and code.isascii() and code.isdigit()


def new_recovery_code() -> str:
    """80 random bits as ``xxxx-xxxx-xxxx-xxxx`` (lower-case base32: no 0/1/8/9 to confuse)."""
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4))


def hash_recovery_code(user_id: UUID, code: str) -> bytes:
    """SHA-256 of the account id and the normalized code (case, dashes and spaces ignored).

    A fast hash is enough: a code carries 80 random bits, so even a stolen table cannot be
    searched (2^80 guesses per code, the account id in the hash rules out attacking every
    account's codes at once). A slow salted hash (argon2) protects low-entropy passwords; here
    it would only cost ten hash verifications per attempt, since a salted slow hash cannot be
    looked up by equality."""
    normalized = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(user_id.bytes + normalized.encode()).digest()
