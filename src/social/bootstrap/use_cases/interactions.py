"""The interactions context's use cases: likes, shares, bookmarks and comments."""

from __future__ import annotations

from dataclasses import dataclass

from social.bootstrap.adapters import Adapters
from social.domain.interactions.bookmark_post import BookmarkPost, ListBookmarks, UnbookmarkPost
from social.domain.interactions.comment_on_post import CommentOnPost
from social.domain.interactions.delete_comment import DeleteComment
from social.domain.interactions.like_post import LikePost, UnlikePost
from social.domain.interactions.liked_posts import ListLikedPosts
from social.domain.interactions.list_comments import ListComments, ListLikers
from social.domain.interactions.read_status import ReadStatus
from social.domain.interactions.share_post import SharePost, UnsharePost

__all__ = ["InteractionsUseCases", "build"]


@dataclass(frozen=True, slots=True)
class InteractionsUseCases:
    like_post: LikePost
    unlike_post: UnlikePost
    list_likers: ListLikers
    share_post: SharePost
    unshare_post: UnsharePost
    bookmark_post: BookmarkPost
    unbookmark_post: UnbookmarkPost
    list_bookmarks: ListBookmarks
    comment_on_post: CommentOnPost
    delete_comment: DeleteComment
    list_comments: ListComments
    list_liked_posts: ListLikedPosts
    read_status: ReadStatus


def build(a: Adapters) -> InteractionsUseCases:
    settings = a.settings
    reads = a.reads()
    return InteractionsUseCases(
        like_post=LikePost(uow=a.uow, clock=a.clock),
        unlike_post=UnlikePost(uow=a.uow),
        list_likers=ListLikers(reads=reads),
        share_post=SharePost(uow=a.uow, clock=a.clock),
        unshare_post=UnsharePost(uow=a.uow),
        bookmark_post=BookmarkPost(uow=a.uow, clock=a.clock),
        unbookmark_post=UnbookmarkPost(uow=a.uow),
        list_bookmarks=ListBookmarks(reads=reads),
        comment_on_post=CommentOnPost(
            uow=a.uow, reads=reads, clock=a.clock, limits=settings.posts.comment_limits()
        ),
        delete_comment=DeleteComment(uow=a.uow),
        list_comments=ListComments(reads=reads),
        list_liked_posts=ListLikedPosts(reads=reads),
        read_status=ReadStatus(reads=reads, uow=a.uow),
    )
