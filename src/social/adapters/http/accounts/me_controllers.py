"""/me: the signed-in account, its avatar, password, follow requests and deletion."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Response, delete, get, patch, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import MediaType, RequestEncodingType
from litestar.openapi import ResponseSpec
from litestar.params import Body, FromPath, JSONBody
from msgspec import UNSET

from social.adapters.http.accounts.schemas import ChangePasswordIn, DeleteAccountIn, ProfileUpdateIn
from social.adapters.http.cards import (
    json_response,
    json_value,
    page_json,
    post_page_response,
    raw_account,
)
from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.media.presenter import MediaPresenter
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import MEMBER_PAGE, Paging
from social.adapters.http.posts.schemas import PostPageOut
from social.adapters.http.request_body import FormBody
from social.adapters.http.users.schemas import MeOut, UserOut, me_out
from social.domain.accounts.change_password import ChangePassword, ChangePasswordCommand
from social.domain.accounts.delete_account import DeleteAccount
from social.domain.graph.follow_requests import DecideFollowRequest
from social.domain.interactions.bookmark_post import ListBookmarks
from social.domain.profiles.avatar import RemoveAvatar, UpdateAvatar
from social.domain.profiles.get_me import GetMe
from social.domain.profiles.list_follow_requests import ListFollowRequests
from social.domain.profiles.update_profile import UpdateProfile, UpdateProfileCommand
from social.domain.shared.identity import Viewer

__all__ = ["MeController"]

Media = Injected[MediaPresenter]
Me = NamedDependency[Viewer]
AVATAR_UPLOAD_OVERHEAD = 64 * 1024  # multipart framing around the file


class AvatarUpload(FormBody):
    file: UploadFile


class FollowRequestOut(msgspec.Struct, kw_only=True):
    id: UUID
    user: UserOut
    created_at: datetime


class FollowRequestPageOut(msgspec.Struct, kw_only=True):
    items: list[FollowRequestOut]
    next_cursor: str | None


class MeController(Controller):
    path = "/me"
    tags = ["me"]
    security = BEARER_SECURITY

    @get("/", operation_id="getMe", summary="The signed-in account", responses=problems(401))
    async def get_me(self, get_me: Injected[GetMe], viewer: Me, media: Media) -> MeOut:
        return await me_out(await get_me.execute(viewer), media)

    @patch(
        "/", operation_id="updateMe", summary="Edit the own profile", responses=problems(401, 422)
    )
    async def update_me(
        self,
        data: JSONBody[ProfileUpdateIn],
        update_profile: Injected[UpdateProfile],
        viewer: Me,
        media: Media,
    ) -> MeOut:
        command = UpdateProfileCommand(
            display_name=None if data.display_name is UNSET else data.display_name,
            bio=None if data.bio is UNSET else data.bio,
            website=None if data.website is UNSET else (data.website or ""),
            is_private=None if data.is_private is UNSET else data.is_private,
        )
        return await me_out(await update_profile.execute(viewer, command), media)

    @delete(
        "/",
        operation_id="deleteMe",
        status_code=202,
        summary="Delete the account; erasure finishes in the background",
        responses={
            202: ResponseSpec(None, description="Accepted: the account is being erased (no body)"),
            **problems(401, 422),
        },
    )
    async def delete_me(
        self, data: JSONBody[DeleteAccountIn], delete_account: Injected[DeleteAccount], viewer: Me
    ) -> Response[bytes]:
        await delete_account.execute(viewer, data.password)
        return Response(b"", status_code=202, media_type=MediaType.TEXT)  # no body, not `null`

    @post(
        "/password",
        operation_id="changePassword",
        status_code=204,
        summary="Change the password; signs out every other session",
        responses=problems(401, 422),
    )
    async def change_password(
        self,
        data: JSONBody[ChangePasswordIn],
        change_password: Injected[ChangePassword],
        viewer: Me,
    ) -> None:
        command = ChangePasswordCommand(
            current_password=data.current_password, new_password=data.new_password
        )
        await change_password.execute(viewer, command)

    @put(
        "/avatar",
        operation_id="putAvatar",
        summary="Upload or replace the avatar",
        description="multipart/form-data with a `file` part: JPEG, PNG or WebP.",
        responses=problems(401, 413, 415, 422),
    )
    async def put_avatar(
        self,
        data: Annotated[AvatarUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        update_avatar: Injected[UpdateAvatar],
        viewer: Me,
        media: Media,
    ) -> MeOut:
        content = await data.file.read()
        return await me_out(await update_avatar.execute(viewer, content), media)

    @delete(
        "/avatar",
        operation_id="deleteAvatar",
        status_code=200,
        summary="Remove the avatar",
        responses=problems(401),
    )
    async def delete_avatar(
        self, remove_avatar: Injected[RemoveAvatar], viewer: Me, media: Media
    ) -> MeOut:
        return await me_out(await remove_avatar.execute(viewer), media)

    @get(
        "/follow-requests",
        operation_id="listFollowRequests",
        summary="Pending requests to follow this (private) account",
        responses=problems(401, 422),
        dependencies=MEMBER_PAGE,
    )
    async def follow_requests(
        self,
        list_follow_requests: Injected[ListFollowRequests],
        viewer: Me,
        page: Paging,
    ) -> Response[FollowRequestPageOut]:
        found = await list_follow_requests.execute(viewer, page.by_time)
        items = (
            json_value(
                {
                    "id": pending.request.id,
                    "user": raw_account(pending.requester),
                    "created_at": pending.request.created_at,
                }
            )
            for pending in found.items
        )
        return json_response(page_json(items, found.next_cursor))

    @post(
        "/follow-requests/{request_id:uuid}/approve",
        operation_id="approveFollowRequest",
        status_code=204,
        summary="Approve a follow request",
        responses=problems(401, 404),
    )
    async def approve(
        self,
        request_id: FromPath[UUID],
        decide_follow_request: Injected[DecideFollowRequest],
        viewer: Me,
    ) -> None:
        await decide_follow_request.execute(viewer, request_id, approve=True)

    @post(
        "/follow-requests/{request_id:uuid}/reject",
        operation_id="rejectFollowRequest",
        status_code=204,
        summary="Reject a follow request",
        responses=problems(401, 404),
    )
    async def reject(
        self,
        request_id: FromPath[UUID],
        decide_follow_request: Injected[DecideFollowRequest],
        viewer: Me,
    ) -> None:
        await decide_follow_request.execute(viewer, request_id, approve=False)

    @get(
        "/bookmarks",
        operation_id="listBookmarks",
        summary="Your saved posts, most recently saved first",
        responses=problems(401, 422),
        dependencies=MEMBER_PAGE,
    )
    async def bookmarks(
        self,
        list_bookmarks: Injected[ListBookmarks],
        viewer: Me,
        page: Paging,
    ) -> Response[PostPageOut]:
        found = await list_bookmarks.execute(viewer, page.by_time)
        return post_page_response(found)
