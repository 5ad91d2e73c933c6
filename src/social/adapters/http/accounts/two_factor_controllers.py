"""/me/2fa: turning two-factor authentication (TOTP, AUTH-7) on and off."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, delete, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from msgspec import Meta

from social.adapters.http.accounts.schemas import OneTimeCode, Secret
from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.openapi import problems
from social.adapters.http.request_body import RequestBody
from social.domain.accounts.disable_two_factor import DisableTwoFactor
from social.domain.accounts.enrol_totp import ConfirmTotpEnrolment, StartTotpEnrolment
from social.domain.shared.identity import Viewer

__all__ = ["TwoFactorController"]


class TotpEnrolIn(RequestBody, kw_only=True):
    password: Secret


class TotpEnrolmentOut(msgspec.Struct, kw_only=True):
    secret: str
    """Base32, for typing into an authenticator app."""
    otpauth_uri: str
    """``otpauth://totp/<issuer>:<username>?secret=…&issuer=…``, for a QR code."""


class TotpConfirmIn(RequestBody, kw_only=True):
    code: Annotated[str, Meta(min_length=1, max_length=16, description="The app's current code")]


class RecoveryCodesOut(msgspec.Struct, kw_only=True):
    recovery_codes: list[str]
    """Ten single-use codes, shown this once: each signs in instead of a TOTP code."""


class TwoFactorDisableIn(RequestBody, kw_only=True):
    password: Secret
    otp: OneTimeCode


class TwoFactorController(Controller):
    path = "/me/2fa"
    tags = ["me"]
    security = BEARER_SECURITY

    @post(
        "/totp",
        operation_id="startTotpEnrolment",
        status_code=200,
        summary="Start turning two-factor authentication on: a TOTP secret to scan",
        description="The password again (422 naming `password` if wrong); 409 if two-factor "
        "is already on. Starting again replaces a pending secret.",
        responses=problems(401, 409, 422),
    )
    async def start(
        self,
        data: JSONBody[TotpEnrolIn],
        start_totp_enrolment: Injected[StartTotpEnrolment],
        viewer: NamedDependency[Viewer],
    ) -> TotpEnrolmentOut:
        found = await start_totp_enrolment.execute(viewer, data.password)
        return TotpEnrolmentOut(secret=found.secret, otpauth_uri=found.otpauth_uri)

    @post(
        "/totp/confirm",
        operation_id="confirmTotpEnrolment",
        status_code=200,
        summary="Turn two-factor authentication on with a first code; recovery codes once",
        description="422 naming `code` if it is not the app's current code; 409 without a "
        "pending enrolment or with two-factor already on; 429 after too many codes.",
        responses=problems(401, 409, 422, 429),
    )
    async def confirm(
        self,
        data: JSONBody[TotpConfirmIn],
        confirm_totp_enrolment: Injected[ConfirmTotpEnrolment],
        viewer: NamedDependency[Viewer],
    ) -> RecoveryCodesOut:
        codes = await confirm_totp_enrolment.execute(viewer, data.code)
        return RecoveryCodesOut(recovery_codes=codes)

    @delete(
        "/",
        operation_id="disableTwoFactor",
        status_code=204,
        summary="Turn two-factor authentication off (password and a code)",
        description="`otp` is a TOTP code or an unused recovery code. 422 names `password` or "
        "`otp` when wrong; 409 if two-factor is off; 429 after too many codes.",
        responses=problems(401, 409, 422, 429),
    )
    async def disable(
        self,
        data: JSONBody[TwoFactorDisableIn],
        disable_two_factor: Injected[DisableTwoFactor],
        viewer: NamedDependency[Viewer],
    ) -> None:
        await disable_two_factor.execute(viewer, data.password, data.otp)
