"""Likes, comments, shares and bookmarks of posts; deleting comments."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter

from social.adapters.http.cards import account_page_response, json_response
from social.adapters.http.dependencies import BEARER_SECURITY, Injected
from social.adapters.http.interactions.schemas import (
    BookmarkOut,
    CommentIn,
    CommentOut,
    CommentPageOut,
    LikeOut,
    ShareOut,
    comment_json,
    comment_page_json,
)
from social.adapters.http.media.controllers import IdempotencyKey
from social.adapters.http.openapi import problems
from social.adapters.http.pagination import Paging
from social.adapters.http.users.schemas import UserPageOut
from social.domain.interactions.bookmark_post import BookmarkPost, UnbookmarkPost
from social.domain.interactions.comment_on_post import CommentCommand, CommentOnPost
from social.domain.interactions.delete_comment import DeleteComment
from social.domain.interactions.like_post import LikePost, UnlikePost
from social.domain.interactions.list_comments import ListComments, ListLikers
from social.domain.interactions.share_post import SharePost, UnsharePost
from social.domain.shared.identity import Viewer

__all__ = ["CommentController", "PostInteractionController"]

Me = NamedDependency[Viewer]
MaybeMe = NamedDependency[Viewer | None]
ParentId = Annotated[
    UUID | None, QueryParameter(description="Replies to this comment instead of top-level ones.")
]


class PostInteractionController(Controller):
    path = "/posts/{post_id:uuid}"
    tags = ["interactions"]

    @post(
        "/like",
        operation_id="likePost",
        status_code=200,
        security=BEARER_SECURITY,
        summary="Like a post (idempotent)",
        responses=problems(401, 404),
    )
    async def like(
        self, post_id: FromPath[UUID], like_post: Injected[LikePost], viewer: Me
    ) -> LikeOut:
        state = await like_post.execute(viewer, post_id)
        return LikeOut(liked=state.liked, likes_count=state.likes_count)

    @delete(
        "/like",
        operation_id="unlikePost",
        status_code=200,
        security=BEARER_SECURITY,
        summary="Take a like back (idempotent)",
        responses=problems(401, 404),
    )
    async def unlike(
        self, post_id: FromPath[UUID], unlike_post: Injected[UnlikePost], viewer: Me
    ) -> LikeOut:
        state = await unlike_post.execute(viewer, post_id)
        return LikeOut(liked=state.liked, likes_count=state.likes_count)

    @get(
        "/likes",
        operation_id="listLikers",
        summary="Who likes a post, most recent first",
        responses=problems(404, 422),
    )
    async def likers(
        self,
        post_id: FromPath[UUID],
        list_likers: Injected[ListLikers],
        optional_viewer: MaybeMe,
        page: Paging,
    ) -> Response[UserPageOut]:
        found = await list_likers.execute(optional_viewer, post_id, page.by_time)
        return account_page_response(found)

    @get(
        "/comments",
        operation_id="listComments",
        summary="Comments of a post (or replies to one), oldest first",
        responses=problems(404, 422),
    )
    async def comments(
        self,
        post_id: FromPath[UUID],
        list_comments: Injected[ListComments],
        optional_viewer: MaybeMe,
        parent_id: ParentId = None,
        *,
        page: Paging,
    ) -> Response[CommentPageOut]:
        found = await list_comments.execute(optional_viewer, post_id, parent_id, page.by_time)
        return json_response(comment_page_json(found))

    @post(
        "/comments",
        operation_id="commentOnPost",
        status_code=201,
        security=BEARER_SECURITY,
        summary="Comment on a post, or reply to a comment with `parent_id`",
        description="403 when the author turned comments off. A retry with the same "
        "`Idempotency-Key` returns the first comment instead of posting it twice.",
        responses=problems(401, 403, 404, 422),
    )
    async def comment(
        self,
        post_id: FromPath[UUID],
        data: JSONBody[CommentIn],
        comment_on_post: Injected[CommentOnPost],
        viewer: Me,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[CommentOut]:
        command = CommentCommand(text=data.text, parent_id=data.parent_id)
        view = await comment_on_post.execute(
            viewer, post_id, command, idempotency_key=idempotency_key
        )
        return json_response(comment_json(view), status_code=201)

    @post(
        "/share",
        operation_id="sharePost",
        status_code=200,
        security=BEARER_SECURITY,
        summary="Share a post to your followers' home feeds (idempotent)",
        description="403 for posts of private accounts and for your own posts.",
        responses=problems(401, 403, 404),
    )
    async def share(
        self, post_id: FromPath[UUID], share_post: Injected[SharePost], viewer: Me
    ) -> ShareOut:
        state = await share_post.execute(viewer, post_id)
        return ShareOut(shared=state.shared, shares_count=state.shares_count)

    @delete(
        "/share",
        operation_id="unsharePost",
        status_code=200,
        security=BEARER_SECURITY,
        summary="Undo a share (idempotent)",
        responses=problems(401, 404),
    )
    async def unshare(
        self, post_id: FromPath[UUID], unshare_post: Injected[UnsharePost], viewer: Me
    ) -> ShareOut:
        state = await unshare_post.execute(viewer, post_id)
        return ShareOut(shared=state.shared, shares_count=state.shares_count)

    @post(
        "/bookmark",
        operation_id="bookmarkPost",
        status_code=200,
        security=BEARER_SECURITY,
        summary="Save a post (idempotent; only you see your saved posts)",
        responses=problems(401, 404),
    )
    async def bookmark(
        self, post_id: FromPath[UUID], bookmark_post: Injected[BookmarkPost], viewer: Me
    ) -> BookmarkOut:
        return BookmarkOut(bookmarked=await bookmark_post.execute(viewer, post_id))

    @delete(
        "/bookmark",
        operation_id="unbookmarkPost",
        status_code=200,
        security=BEARER_SECURITY,
        summary="Remove a post from your saved posts (idempotent)",
        responses=problems(401),
    )
    async def unbookmark(
        self, post_id: FromPath[UUID], unbookmark_post: Injected[UnbookmarkPost], viewer: Me
    ) -> BookmarkOut:
        return BookmarkOut(bookmarked=await unbookmark_post.execute(viewer, post_id))


class CommentController(Controller):
    path = "/comments"
    tags = ["interactions"]

    @delete(
        "/{comment_id:uuid}",
        operation_id="deleteComment",
        security=BEARER_SECURITY,
        summary="Delete a comment and its replies",
        description="Its author, the post's author or a moderator.",
        responses=problems(401, 403, 404),
    )
    async def remove(
        self, comment_id: FromPath[UUID], delete_comment: Injected[DeleteComment], viewer: Me
    ) -> None:
        await delete_comment.execute(viewer, comment_id)
