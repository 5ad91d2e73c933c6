"""/auth and /me: thin controllers, schema in → command → use case → schema out."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from msgspec import UNSET

from social.adapters.http.accounts.schemas import (
    ChangePasswordIn,
    LogInIn,
    LogOutIn,
    ProfileUpdateIn,
    RefreshIn,
    RegisteredOut,
    RegisterIn,
    TokensOut,
    tokens_out,
)
from social.adapters.http.dependencies import BEARER_SECURITY
from social.adapters.http.openapi import problems
from social.adapters.http.users.schemas import MeOut, me_out
from social.domain.accounts.change_password import ChangePasswordCommand
from social.domain.accounts.log_in import LogInCommand
from social.domain.accounts.model import Viewer
from social.domain.accounts.register_user import RegisterUserCommand
from social.domain.accounts.update_profile import UpdateProfileCommand

__all__ = ["AuthController", "MeController"]

UseCases = NamedDependency[Any]


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
    async def register(self, data: JSONBody[RegisterIn], use_cases: UseCases) -> RegisteredOut:
        user, tokens = await use_cases.register_user.execute(
            RegisterUserCommand(
                username=data.username,
                email=data.email,
                password=data.password,
                display_name=data.display_name,
            )
        )
        return RegisteredOut(user=me_out(user), tokens=tokens_out(tokens))

    @post(
        "/login",
        operation_id="login",
        status_code=200,
        summary="Sign in with username or email",
        responses=problems(401, 422, 429),
    )
    async def login(self, data: JSONBody[LogInIn], use_cases: UseCases) -> TokensOut:
        tokens = await use_cases.log_in.execute(
            LogInCommand(login=data.login, password=data.password)
        )
        return tokens_out(tokens)

    @post(
        "/refresh",
        operation_id="refresh",
        status_code=200,
        summary="Rotate a refresh token",
        responses=problems(401, 422, 429),
        description="A refresh token works once. Presenting a used one signs out its session.",
    )
    async def refresh(self, data: JSONBody[RefreshIn], use_cases: UseCases) -> TokensOut:
        return tokens_out(await use_cases.refresh_session.execute(data.refresh_token))

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
        use_cases: UseCases,
        viewer: NamedDependency[Viewer],
        data: JSONBody[LogOutIn | None] = None,
    ) -> None:
        await use_cases.log_out.execute(viewer, data.refresh_token if data else None)


class MeController(Controller):
    path = "/me"
    tags = ["me"]
    security = BEARER_SECURITY

    @get("/", operation_id="getMe", summary="The signed-in account", responses=problems(401))
    async def get_me(self, use_cases: UseCases, viewer: NamedDependency[Viewer]) -> MeOut:
        return me_out(await use_cases.get_me.execute(viewer))

    @patch(
        "/", operation_id="updateMe", summary="Edit the own profile", responses=problems(401, 422)
    )
    async def update_me(
        self, data: JSONBody[ProfileUpdateIn], use_cases: UseCases, viewer: NamedDependency[Viewer]
    ) -> MeOut:
        command = UpdateProfileCommand(
            display_name=None if data.display_name is UNSET else data.display_name,
            bio=None if data.bio is UNSET else data.bio,
            website=None if data.website is UNSET else (data.website or ""),
            is_private=None if data.is_private is UNSET else data.is_private,
        )
        return me_out(await use_cases.update_profile.execute(viewer, command))

    @post(
        "/password",
        operation_id="changePassword",
        status_code=204,
        summary="Change the password; signs out every other session",
        responses=problems(401, 422),
    )
    async def change_password(
        self, data: JSONBody[ChangePasswordIn], use_cases: UseCases, viewer: NamedDependency[Viewer]
    ) -> None:
        await use_cases.change_password.execute(
            viewer,
            ChangePasswordCommand(
                current_password=data.current_password, new_password=data.new_password
            ),
        )
