"""Rate limits: requests per window, per client IP (anonymous endpoints) or per user."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RateLimitSettings"]


@dataclass(frozen=True, slots=True)
class RateLimitSettings:
    """The budgets of the authentication endpoints and of the per-user endpoint classes."""

    rate_limit_enabled: bool = True
    rate_limit_login: int = 10
    rate_limit_login_window_s: int = 60
    rate_limit_register: int = 5
    rate_limit_register_window_s: int = 60
    rate_limit_refresh: int = 30
    rate_limit_refresh_window_s: int = 60
    rate_limit_otp: int = 10
    rate_limit_otp_window_s: int = 300
    """Second-factor codes checked per account per window (sign-in, confirmation, disabling)."""
    rate_limit_password_forgot: int = 10
    """Password-reset mails asked for per client IP and window."""
    rate_limit_password_forgot_window_s: int = 3600
    rate_limit_password_forgot_per_email: int = 3
    """Password-reset mails asked for per address and window (known or not: same count)."""
    rate_limit_password_forgot_per_email_window_s: int = 3600
    rate_limit_email_verification: int = 3
    """Verification mails a signed-in user may ask for again per window."""
    rate_limit_email_verification_window_s: int = 3600
    rate_limit_window_s: int = 60
    """The window of the per-user classes below."""
    rate_limit_writes: int = 100
    rate_limit_uploads: int = 30
    rate_limit_search: int = 60
    rate_limit_reads: int = 1200
