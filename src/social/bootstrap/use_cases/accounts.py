"""The accounts context's use cases: sign-up, sign-in, sessions, passwords, deletion."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from social.bootstrap.adapters import Adapters
from social.domain.accounts.authenticate import Authenticate
from social.domain.accounts.authenticate_app import AuthenticateApp
from social.domain.accounts.authorize_app import (
    ApproveAuthorization,
    CheckAuthorization,
    SignInToAuthorize,
)
from social.domain.accounts.change_password import ChangePassword
from social.domain.accounts.delete_account import DeleteAccount
from social.domain.accounts.disable_two_factor import DisableTwoFactor
from social.domain.accounts.enrol_totp import ConfirmTotpEnrolment, StartTotpEnrolment
from social.domain.accounts.grant_token import GrantToken
from social.domain.accounts.log_in import LogIn
from social.domain.accounts.log_out import LogOut
from social.domain.accounts.manage_sessions import ListSessions, RevokeOtherSessions, RevokeSession
from social.domain.accounts.purge_expired_sessions import PurgeExpiredSessions
from social.domain.accounts.refresh_session import RefreshSession
from social.domain.accounts.register_app import RegisterApp, ShowApp
from social.domain.accounts.register_user import RegisterUser
from social.domain.accounts.revoke_app_token import RevokeAppToken
from social.domain.accounts.second_factor import SecondFactor
from social.domain.shared.rate_limits import RateLimit

__all__ = ["AccountsUseCases", "build"]


@dataclass(frozen=True, slots=True)
class AccountsUseCases:
    authenticate: Authenticate
    register_user: RegisterUser
    log_in: LogIn
    refresh_session: RefreshSession
    log_out: LogOut
    change_password: ChangePassword
    purge_expired_sessions: PurgeExpiredSessions
    delete_account: DeleteAccount
    start_totp_enrolment: StartTotpEnrolment
    confirm_totp_enrolment: ConfirmTotpEnrolment
    disable_two_factor: DisableTwoFactor
    list_sessions: ListSessions
    revoke_session: RevokeSession
    revoke_other_sessions: RevokeOtherSessions
    authenticate_app: AuthenticateApp
    register_app: RegisterApp
    show_app: ShowApp
    grant_token: GrantToken
    revoke_app_token: RevokeAppToken
    check_authorization: CheckAuthorization
    sign_in_to_authorize: SignInToAuthorize
    approve_authorization: ApproveAuthorization


def build(a: Adapters) -> AccountsUseCases:
    settings = a.settings
    limits = settings.accounts.limits()
    refresh_ttl = timedelta(seconds=settings.accounts.refresh_token_ttl_s)
    second_factor = _second_factor(a)
    log_in = LogIn(
        uow=a.uow,
        hasher=a.hasher,
        tokens=a.tokens,
        clock=a.clock,
        refresh_ttl=refresh_ttl,
        second_factor=second_factor,
    )
    return AccountsUseCases(
        authenticate=Authenticate(tokens=a.tokens, sessions=a.sessions),
        register_user=RegisterUser(
            uow=a.uow,
            hasher=a.hasher,
            tokens=a.tokens,
            clock=a.clock,
            limits=limits,
            refresh_ttl=refresh_ttl,
        ),
        log_in=log_in,
        refresh_session=RefreshSession(
            uow=a.uow,
            tokens=a.tokens,
            clock=a.clock,
            refresh_ttl=refresh_ttl,
            sessions=a.sessions,
            reuse_grace=timedelta(seconds=settings.accounts.refresh_reuse_grace_s),
        ),
        log_out=LogOut(uow=a.uow, clock=a.clock, sessions=a.sessions),
        change_password=ChangePassword(
            uow=a.uow, hasher=a.hasher, clock=a.clock, limits=limits, sessions=a.sessions
        ),
        purge_expired_sessions=PurgeExpiredSessions(uow=a.uow, clock=a.clock),
        delete_account=DeleteAccount(
            uow=a.uow, hasher=a.hasher, clock=a.clock, sessions=a.sessions
        ),
        start_totp_enrolment=StartTotpEnrolment(
            uow=a.uow,
            hasher=a.hasher,
            codes=a.totp,
            clock=a.clock,
            issuer=settings.accounts.totp_issuer,
        ),
        confirm_totp_enrolment=ConfirmTotpEnrolment(
            uow=a.uow, second_factor=second_factor, clock=a.clock
        ),
        disable_two_factor=DisableTwoFactor(
            uow=a.uow, hasher=a.hasher, second_factor=second_factor
        ),
        list_sessions=ListSessions(uow=a.uow, clock=a.clock),
        revoke_session=RevokeSession(uow=a.uow, clock=a.clock, sessions=a.sessions),
        revoke_other_sessions=RevokeOtherSessions(uow=a.uow, clock=a.clock, sessions=a.sessions),
        authenticate_app=AuthenticateApp(grants=a.app_grants, sessions=a.sessions),
        register_app=RegisterApp(uow=a.uow, clock=a.clock),
        show_app=ShowApp(uow=a.uow),
        grant_token=GrantToken(uow=a.uow, clock=a.clock, log_in=log_in),
        revoke_app_token=RevokeAppToken(
            uow=a.uow, clock=a.clock, grants=a.app_grants, sessions=a.sessions
        ),
        check_authorization=CheckAuthorization(uow=a.uow),
        sign_in_to_authorize=SignInToAuthorize(
            uow=a.uow, log_in=log_in, second_factor=second_factor
        ),
        approve_authorization=ApproveAuthorization(uow=a.uow, clock=a.clock),
    )


def _second_factor(a: Adapters) -> SecondFactor:
    """The code checks login, confirmation and disabling share, on one budget per account."""
    limits = a.settings.rate_limits
    return SecondFactor(
        codes=a.totp,
        clock=a.clock,
        limiter=a.rate_limiter if limits.rate_limit_enabled else None,
        limit=RateLimit(limits.rate_limit_otp, limits.rate_limit_otp_window_s),
    )
