"""/users: public profiles."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from social.adapters.http.openapi import problems
from social.adapters.http.users.schemas import UserOut, user_out
from social.domain.accounts.model import Viewer

__all__ = ["UserController"]


class UserController(Controller):
    path = "/users"
    tags = ["users"]

    @get(
        "/{username:str}",
        operation_id="getUser",
        summary="A user's public profile",
        responses=problems(401, 404),
    )
    async def get_user(
        self,
        username: Annotated[str, Parameter(max_length=64)],
        use_cases: NamedDependency[Any],
        optional_viewer: NamedDependency[Viewer | None],
    ) -> UserOut:
        return user_out(await use_cases.view_profile.execute(optional_viewer, username))
