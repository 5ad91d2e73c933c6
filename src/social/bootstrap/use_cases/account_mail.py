"""The accounts context's mailed flows: email verification, password reset, security notices,
and the upkeep of their tokens and of held usernames."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from social.bootstrap.adapters import Adapters
from social.domain.accounts.email_verification import (
    MailEmailVerification,
    RequestEmailVerification,
    VerifyEmail,
)
from social.domain.accounts.password_reset import ForgotPassword, MailPasswordReset, ResetPassword
from social.domain.accounts.purge_account_records import PurgeExpiredAccountRecords
from social.domain.accounts.security_notices import MailSecurityNotice
from social.domain.shared.rate_limits import RateLimit

__all__ = ["AccountMailUseCases", "build"]


@dataclass(frozen=True, slots=True)
class AccountMailUseCases:
    mail_email_verification: MailEmailVerification
    request_email_verification: RequestEmailVerification
    verify_email: VerifyEmail
    forgot_password: ForgotPassword
    mail_password_reset: MailPasswordReset
    reset_password: ResetPassword
    mail_security_notice: MailSecurityNotice
    purge_expired_account_records: PurgeExpiredAccountRecords


def build(a: Adapters) -> AccountMailUseCases:
    settings, limits = a.settings, a.settings.rate_limits
    accounts = settings.accounts
    return AccountMailUseCases(
        mail_email_verification=MailEmailVerification(
            uow=a.uow,
            mailer=a.mailer,
            clock=a.clock,
            base_url=settings.base_url,
            ttl=timedelta(seconds=accounts.email_verification_ttl_s),
        ),
        request_email_verification=RequestEmailVerification(
            uow=a.uow,
            limiter=a.rate_limiter,
            limit=RateLimit(
                limits.rate_limit_email_verification, limits.rate_limit_email_verification_window_s
            ),
        ),
        verify_email=VerifyEmail(uow=a.uow, clock=a.clock),
        forgot_password=ForgotPassword(
            uow=a.uow,
            limiter=a.rate_limiter,
            limit=RateLimit(
                limits.rate_limit_password_forgot_per_email,
                limits.rate_limit_password_forgot_per_email_window_s,
            ),
            limits=accounts.limits(),
        ),
        mail_password_reset=MailPasswordReset(
            uow=a.uow,
            mailer=a.mailer,
            clock=a.clock,
            base_url=settings.base_url,
            ttl=timedelta(seconds=accounts.password_reset_ttl_s),
        ),
        reset_password=ResetPassword(
            uow=a.uow,
            hasher=a.hasher,
            clock=a.clock,
            limits=accounts.limits(),
            sessions=a.sessions,
        ),
        mail_security_notice=MailSecurityNotice(uow=a.uow, mailer=a.mailer),
        purge_expired_account_records=PurgeExpiredAccountRecords(uow=a.uow, clock=a.clock),
    )
