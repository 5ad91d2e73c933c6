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
from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import PageQuery, Paging
from social.adapters.http.posts.schemas import PostPageOut
from social.adapters.http.users.schemas import UserOut, UserPageOut
from social.domain.graph.block_user import BlockUser, UnblockUser
from social.domain.graph.follow_user import FollowUser
from social.domain.graph.mute_user import MuteUser, UnmuteUser
from social.domain.graph.unfollow_user import UnfollowUser
from social.domain.posts.browse import ListUserPosts
from social.domain.profiles.list_connections import Connections, ListConnections
from social.domain.profiles.view_profile import ViewProfile
from social.domain.shared.identity import Viewer

__all__ = ["UserController"]

Username = Annotated[str, Parameter(max_length=64)]
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
        self, username: Username, view_profile: Injected[ViewProfile], optional_viewer: MaybeMe
    ) -> Response[UserOut]:
        card = await view_profile.execute(optional_viewer, username)
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
        list_connections: Injected[ListConnections],
        optional_viewer: MaybeMe,
        page: Paging,
    ) -> Response[UserPageOut]:
        return await self._list(
            list_connections, optional_viewer, username, Connections.FOLLOWERS, page
        )

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
        list_connections: Injected[ListConnections],
        optional_viewer: MaybeMe,
        page: Paging,
    ) -> Response[UserPageOut]:
        return await self._list(
            list_connections, optional_viewer, username, Connections.FOLLOWING, page
        )

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
        list_user_posts: Injected[ListUserPosts],
        optional_viewer: MaybeMe,
        page: Paging,
    ) -> Response[PostPageOut]:
        found = await list_user_posts.execute(optional_viewer, username, page.by_time)
        return post_page_response(found)

    async def _list(
        self,
        list_connections: ListConnections,
        viewer: Viewer | None,
        username: str,
        which: Connections,
        page: PageQuery,
    ) -> Response[Any]:
        found = await list_connections.execute(viewer, username, which, page.by_time)
        return account_page_response(found)

    @post(
        "/follow",
        operation_id="follow",
        status_code=200,
        security=BEARER_SECURITY,
        summary="Follow, or request to follow a private account (idempotent)",
        responses=problems(401, 404, 422),
    )
    async def follow(
        self, username: Username, follow_user: Injected[FollowUser], viewer: Me
    ) -> FollowStateOut:
        state = await follow_user.execute(viewer, username)
        return FollowStateOut(state=state.value)

    @delete(
        "/follow",
        operation_id="unfollow",
        security=BEARER_SECURITY,
        summary="Unfollow, or withdraw a follow request",
        responses=problems(401, 404),
    )
    async def unfollow(
        self, username: Username, unfollow_user: Injected[UnfollowUser], viewer: Me
    ) -> None:
        await unfollow_user.execute(viewer, username)

    @post(
        "/block",
        operation_id="block",
        status_code=204,
        security=BEARER_SECURITY,
        summary="Block: removes follows both ways and hides both from each other",
        responses=problems(401, 404, 422),
    )
    async def block(self, username: Username, block_user: Injected[BlockUser], viewer: Me) -> None:
        await block_user.execute(viewer, username)

    @delete(
        "/block",
        operation_id="unblock",
        security=BEARER_SECURITY,
        summary="Lift a block",
        responses=problems(401, 404),
    )
    async def unblock(
        self, username: Username, unblock_user: Injected[UnblockUser], viewer: Me
    ) -> None:
        await unblock_user.execute(viewer, username)

    @post(
        "/mute",
        operation_id="mute",
        status_code=204,
        security=BEARER_SECURITY,
        summary="Mute: hide from the own feeds only",
        responses=problems(401, 404, 422),
    )
    async def mute(self, username: Username, mute_user: Injected[MuteUser], viewer: Me) -> None:
        await mute_user.execute(viewer, username)

    @delete(
        "/mute",
        operation_id="unmute",
        security=BEARER_SECURITY,
        summary="Unmute",
        responses=problems(401, 404),
    )
    async def unmute(
        self, username: Username, unmute_user: Injected[UnmuteUser], viewer: Me
    ) -> None:
        await unmute_user.execute(viewer, username)
