"""/auth: thin controllers, schema in → command → use case → schema out."""

from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from social.adapters.http.accounts.schemas import (
    LogInIn,
    LogOutIn,
    RefreshIn,
    RegisteredOut,
    RegisterIn,
    TokensOut,
    tokens_out,
)
from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.openapi import problems
from social.adapters.http.users.schemas import me_out
from social.domain.accounts.devices import Device
from social.domain.accounts.log_in import LogIn, LogInCommand
from social.domain.accounts.log_out import LogOut
from social.domain.accounts.refresh_session import RefreshSession
from social.domain.accounts.register_user import RegisterUser, RegisterUserCommand
from social.domain.profiles.model import ProfileView
from social.domain.shared.identity import Viewer

__all__ = ["AuthController"]


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post(
        "/register",
        operation_id="register",
        status_code=201,
        summary="Create an account and sign in",
        responses=problems(409, 422, 429),
    )
    async def register(
        self,
        data: JSONBody[RegisterIn],
        register_user: Injected[RegisterUser],
        media: NamedDependency[MediaPresenter],
        device: NamedDependency[Device],
    ) -> RegisteredOut:
        user, tokens = await register_user.execute(
            RegisterUserCommand(
                username=data.username,
                email=data.email,
                password=data.password,
                display_name=data.display_name,
                device=device,
            )
        )
        me = await me_out(ProfileView(user=user, relationship=None), media)
        return RegisteredOut(user=me, tokens=tokens_out(tokens))

    @post(
        "/login",
        operation_id="login",
        status_code=200,
        summary="Sign in with username or email",
        description="With two-factor authentication on, the body also carries `otp` (a TOTP "
        "code or an unused recovery code): without it the right password answers 401 "
        "`/problems/otp-required`; a wrong, used or replayed code answers 401.",
        responses=problems(401, 422, 429),
    )
    async def login(
        self, data: JSONBody[LogInIn], log_in: Injected[LogIn], device: NamedDependency[Device]
    ) -> TokensOut:
        command = LogInCommand(
            login=data.login, password=data.password, otp=data.otp, device=device
        )
        return tokens_out(await log_in.execute(command))

    @post(
        "/refresh",
        operation_id="refresh",
        status_code=200,
        summary="Rotate a refresh token",
        responses=problems(401, 422, 429),
        description="A refresh token works once. Presenting a used one signs out its session.",
    )
    async def refresh(
        self, data: JSONBody[RefreshIn], refresh_session: Injected[RefreshSession]
    ) -> TokensOut:
        return tokens_out(await refresh_session.execute(data.refresh_token))

    @post(
        "/logout",
        operation_id="logout",
        status_code=204,
        security=BEARER_SECURITY,
        summary="Sign out of this session",
        responses=problems(401, 422),
    )
    async def logout(
        self,
        log_out: Injected[LogOut],
        viewer: NamedDependency[Viewer],
        data: JSONBody[LogOutIn | None] = None,
    ) -> None:
        await log_out.execute(viewer, data.refresh_token if data else None)
