"""/auth/email/verify, /auth/password/forgot and /auth/password/reset (anonymous: the mailed
token is the proof), and /me/email/verification (ask for the verification mail again)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.openapi import ResponseSpec
from litestar.params import JSONBody
from msgspec import Meta

from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.openapi import problems
from social.adapters.http.request_body import RequestBody
from social.adapters.http.request_limits import Email, NewPassword
from social.domain.accounts.email_verification import RequestEmailVerification, VerifyEmail
from social.domain.accounts.password_reset import ForgotPassword, ResetPassword
from social.domain.shared.identity import Viewer

__all__ = ["AccountRecoveryController", "EmailVerificationController"]

MailedToken = Annotated[str, Meta(min_length=1, max_length=256, description="From the mail")]
_ACCEPTED = ResponseSpec(None, description="Accepted (no body)")


class VerifyEmailIn(RequestBody, kw_only=True):
    token: MailedToken


class ForgotPasswordIn(RequestBody, kw_only=True):
    email: Email


class ResetPasswordIn(RequestBody, kw_only=True):
    token: MailedToken
    new_password: NewPassword


def _accepted() -> Response[bytes]:
    return Response(b"", status_code=202, media_type=MediaType.TEXT)  # no body, not `null`


class AccountRecoveryController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post(
        "/email/verify",
        operation_id="verifyEmail",
        status_code=204,
        summary="Verify the account's email address with the mailed token",
        description="The token works once, for 24 hours; an unknown, used or expired one is "
        "422 `/problems/invalid-token`.",
        responses=problems(422, 429),
    )
    async def verify_email(
        self, data: JSONBody[VerifyEmailIn], verify_email: Injected[VerifyEmail]
    ) -> None:
        await verify_email.execute(data.token)

    @post(
        "/password/forgot",
        operation_id="forgotPassword",
        status_code=202,
        summary="Mail a password-reset link, if an account has this address",
        description="The same answer, in the same time, whether or not an account has the "
        "address; rate-limited per client IP and per address.",
        responses={202: _ACCEPTED, **problems(422, 429)},
    )
    async def forgot_password(
        self, data: JSONBody[ForgotPasswordIn], forgot_password: Injected[ForgotPassword]
    ) -> Response[bytes]:
        await forgot_password.execute(data.email)
        return _accepted()

    @post(
        "/password/reset",
        operation_id="resetPassword",
        status_code=204,
        summary="Set a new password with the mailed token; signs out every session",
        description="The token works once, for 1 hour; an unknown, used or expired one is "
        "422 `/problems/invalid-token`.",
        responses=problems(422, 429),
    )
    async def reset_password(
        self, data: JSONBody[ResetPasswordIn], reset_password: Injected[ResetPassword]
    ) -> None:
        await reset_password.execute(data.token, data.new_password)


class EmailVerificationController(Controller):
    path = "/me"
    tags = ["me"]
    security = BEARER_SECURITY

    @post(
        "/email/verification",
        operation_id="requestEmailVerification",
        status_code=202,
        summary="Mail the email-verification link again",
        description="Nothing is sent when the address is verified already; rate-limited.",
        responses={202: _ACCEPTED, **problems(401, 429)},
    )
    async def request_verification(
        self,
        request_email_verification: Injected[RequestEmailVerification],
        viewer: NamedDependency[Viewer],
    ) -> Response[bytes]:
        await request_email_verification.execute(viewer)
        return _accepted()
