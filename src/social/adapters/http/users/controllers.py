"""/users: public profiles, their connections, and following, blocking and muting them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import Parameter

from social.adapters.http.cards import (
    account_json,
    account_page_response,
    json_response,
    post_page_response,
)
from social.adapters.http.dependencies import BEARER_SECURITY
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import PageQuery, Paging
from social.adapters.http.posts.schemas import PostPageOut
from social.adapters.http.users.schemas import UserOut, UserPageOut
from social.domain.profiles.list_connections import Connections
from social.domain.shared.identity import Viewer

__all__ = ["UserController"]

Username = Annotated[str, Parameter(max_length=64)]
UseCases = NamedDependency[Any]
Me = NamedDependency[Viewer]
MaybeMe = NamedDependency[Viewer | None]


class FollowStateOut(msgspec.Struct):
    state: Literal["following", "requested"]


class UserController(Controller):
    path = "/users/{username:str}"
    tags = ["users"]

    @get(
        "/", operation_id="getUser", summary="A user's public profile", responses=problems(401, 404)
    )
    async def get_user(
        self, username: Username, use_cases: UseCases, optional_viewer: MaybeMe
    ) -> Response[UserOut]:
        card = await use_cases.view_profile.execute(optional_viewer, username)
        return json_response(account_json(card))

    @get(
        "/followers",
        operation_id="listFollowers",
        summary="Who follows this user",
        description="Private accounts: only for the owner and approved followers (else 404).",
        responses=problems(401, 404, 422),
    )
    async def followers(
        self,
        username: Username,
        use_cases: UseCases,
        optional_viewer: MaybeMe,
        page: Paging,
    ) -> Response[UserPageOut]:
        return await self._list(use_cases, optional_viewer, username, Connections.FOLLOWERS, page)

    @get(
        "/following",
        operation_id="listFollowing",
        summary="Whom this user follows",
        description="Private accounts: only for the owner and approved followers (else 404).",
        responses=problems(401, 404, 422),
    )
    async def following(
        self,
        username: Username,
        use_cases: UseCases,
        optional_viewer: MaybeMe,
        page: Paging,
    ) -> Response[UserPageOut]:
        return await self._list(use_cases, optional_viewer, username, Connections.FOLLOWING, page)

    @get(
        "/posts",
        operation_id="listUserPosts",
        summary="A user's posts (the profile grid), newest first",
        description="Private accounts: only for the owner and approved followers (else 404).",
        responses=problems(401, 404, 422),
    )
    async def posts(
        self,
        username: Username,
        use_cases: UseCases,
        optional_viewer: MaybeMe,
        page: Paging,
    ) -> Response[PostPageOut]:
        found = await use_cases.list_user_posts.execute(optional_viewer, username, page.by_time)
        return post_page_response(found)

    async def _list(
        self,
        use_cases: Any,
        viewer: Viewer | None,
        username: str,
        which: Connections,
        page: PageQuery,
    ) -> Response[Any]:
        found = await use_cases.list_connections.execute(viewer, username, which, page.by_time)
        return account_page_response(found)

    @post(
        "/follow",
        operation_id="follow",
        status_code=200,
        security=BEARER_SECURITY,
        summary="Follow, or request to follow a private account (idempotent)",
        responses=problems(401, 404, 422),
    )
    async def follow(self, username: Username, use_cases: UseCases, viewer: Me) -> FollowStateOut:
        state = await use_cases.follow_user.execute(viewer, username)
        return FollowStateOut(state=state.value)

    @delete(
        "/follow",
        operation_id="unfollow",
        security=BEARER_SECURITY,
        summary="Unfollow, or withdraw a follow request",
        responses=problems(401, 404),
    )
    async def unfollow(self, username: Username, use_cases: UseCases, viewer: Me) -> None:
        await use_cases.unfollow_user.execute(viewer, username)

    @post(
        "/block",
        operation_id="block",
        status_code=204,
        security=BEARER_SECURITY,
        summary="Block: removes follows both ways and hides both from each other",
        responses=problems(401, 404, 422),
    )
    async def block(self, username: Username, use_cases: UseCases, viewer: Me) -> None:
        await use_cases.block_user.execute(viewer, username)

    @delete(
        "/block",
        operation_id="unblock",
        security=BEARER_SECURITY,
        summary="Lift a block",
        responses=problems(401, 404),
    )
    async def unblock(self, username: Username, use_cases: UseCases, viewer: Me) -> None:
        await use_cases.unblock_user.execute(viewer, username)

    @post(
        "/mute",
        operation_id="mute",
        status_code=204,
        security=BEARER_SECURITY,
        summary="Mute: hide from the own feeds only",
        responses=problems(401, 404, 422),
    )
    async def mute(self, username: Username, use_cases: UseCases, viewer: Me) -> None:
        await use_cases.mute_user.execute(viewer, username)

    @delete(
        "/mute",
        operation_id="unmute",
        security=BEARER_SECURITY,
        summary="Unmute",
        responses=problems(401, 404),
    )
    async def unmute(self, username: Username, use_cases: UseCases, viewer: Me) -> None:
        await use_cases.unmute_user.execute(viewer, username)
