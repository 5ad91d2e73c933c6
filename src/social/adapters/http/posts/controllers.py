"""/posts: create, read, edit, delete."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from msgspec import UNSET

from social.adapters.http.cards import json_response, post_json
from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.media.controllers import IdempotencyKey
from social.adapters.http.openapi import problems
from social.adapters.http.posts.schemas import PlaceIn, PostCreateIn, PostOut, PostUpdateIn
from social.domain.posts.change_post import KEEP, DeletePost, EditPost, EditPostCommand
from social.domain.posts.create_post import CreatePost, CreatePostCommand, PlaceInput
from social.domain.posts.read_post import GetPost
from social.domain.shared.identity import Viewer

__all__ = ["PostController"]

Me = NamedDependency[Viewer]


def _place(place: PlaceIn | None) -> PlaceInput | None:
    return PlaceInput(place.name, place.latitude, place.longitude) if place else None


class PostController(Controller):
    path = "/posts"
    tags = ["posts"]

    @post(
        "/",
        operation_id="createPost",
        status_code=201,
        security=BEARER_SECURITY,
        summary="Publish a post of 1 to 10 ready media items",
        responses=problems(401, 409, 422),
    )
    async def create(
        self,
        data: JSONBody[PostCreateIn],
        create_post: Injected[CreatePost],
        viewer: Me,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[PostOut]:
        command = CreatePostCommand(
            caption=data.caption,
            media_ids=tuple(data.media_ids),
            tags=tuple(data.tags),
            place=_place(data.place),
            comments_enabled=data.comments_enabled,
        )
        card = await create_post.execute(viewer, command, idempotency_key=idempotency_key)
        return json_response(post_json(card), status_code=201)

    @get("/{post_id:uuid}", operation_id="getPost", summary="A post", responses=problems(401, 404))
    async def read(
        self,
        post_id: FromPath[UUID],
        get_post: Injected[GetPost],
        optional_viewer: NamedDependency[Viewer | None],
    ) -> Response[PostOut]:
        return json_response(post_json(await get_post.execute(optional_viewer, post_id)))

    @patch(
        "/{post_id:uuid}",
        operation_id="editPost",
        security=BEARER_SECURITY,
        summary="Edit caption, tags, place or the comments switch (author only)",
        responses=problems(401, 403, 404, 422),
    )
    async def edit(
        self,
        post_id: FromPath[UUID],
        data: JSONBody[PostUpdateIn],
        edit_post: Injected[EditPost],
        viewer: Me,
    ) -> Response[PostOut]:
        command = EditPostCommand(
            caption=KEEP if data.caption is UNSET else data.caption,
            tags=KEEP if data.tags is UNSET else tuple(data.tags),
            place=KEEP if data.place is UNSET else _place(data.place),
            comments_enabled=KEEP if data.comments_enabled is UNSET else data.comments_enabled,
        )
        return json_response(post_json(await edit_post.execute(viewer, post_id, command)))

    @delete(
        "/{post_id:uuid}",
        operation_id="deletePost",
        security=BEARER_SECURITY,
        summary="Delete a post (author or moderator)",
        responses=problems(401, 403, 404),
    )
    async def remove(
        self, post_id: FromPath[UUID], delete_post: Injected[DeletePost], viewer: Me
    ) -> None:
        await delete_post.execute(viewer, post_id)
