"""Accounts: tokens and sessions, email encryption keys, password hashing, input lengths."""

from __future__ import annotations

from dataclasses import dataclass

from social.domain.accounts.rules import AccountLimits

__all__ = ["AccountSettings"]


@dataclass(frozen=True, slots=True)
class AccountSettings:
    """Everything about signing in and staying signed in, and what an account may hold."""

    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 30 * 24 * 3600
    jwt_issuer: str = "social"
    jwt_leeway_s: int = 10
    refresh_reuse_grace_s: int = 30
    """A refresh token presented again within this of its rotation (two tabs, a retry) returns
    the same new pair; later, reuse revokes the session."""
    session_cache_ttl_s: float = 5.0
    """How long a process trusts that a session is still active before asking the database."""
    session_cache_shared_ttl_s: float = 60.0
    """The same with Redis, where every revocation is told to every process at once (this is
    then only the bound for one whose message got lost)."""
    email_keys: str = ""
    """Extra email-encryption keys for rotation: ``kid:base64key,kid2:base64key``."""
    email_key_id: str = ""
    """Key id used to encrypt new emails; default: the key derived from ``secret_key`` (``k1``)."""
    argon2_time_cost: int = 2
    argon2_memory_kib: int = 19_456
    """OWASP's argon2id configuration (m=19 MiB, t=2, p=1): 28 ms of a core a sign-in here,
    where 32 MiB took 76 ms (it no longer fits the caches): sign-ins at 10 a second took half of
    a 2-core machine. A stored hash made with other costs is verified with its own and redone
    with these at the next sign-in."""
    argon2_parallelism: int = 1
    argon2_max_threads: int = 4
    username_min_length: int = 3
    username_max_length: int = 30
    password_min_length: int = 10
    password_max_length: int = 128
    display_name_max_length: int = 50
    bio_max_length: int = 150
    website_max_length: int = 200
    email_max_length: int = 254
    totp_issuer: str = "social"
    """The issuer authenticator apps show beside the account (``otpauth://`` URIs, AUTH-7)."""
    export_ttl_days: int = 7
    """How long a data export (AUTH-10) and its mailed link stay downloadable."""
    email_verification_ttl_s: int = 24 * 3600
    """How long a mailed email-verification link works."""
    password_reset_ttl_s: int = 3600
    """How long a mailed password-reset link works."""
    username_hold_days: int = 30
    """How long a deleted account's username cannot be registered again (0: not held)."""

    def limits(self) -> AccountLimits:
        """The accounts context's input limits as configured."""
        return AccountLimits(
            username_min=self.username_min_length,
            username_max=self.username_max_length,
            password_min=self.password_min_length,
            password_max=self.password_max_length,
            display_name_max=self.display_name_max_length,
            bio_max=self.bio_max_length,
            website_max=self.website_max_length,
            email_max=self.email_max_length,
        )
