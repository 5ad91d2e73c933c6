"""The posts context's use cases: writing posts, reading one, and browsing them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from social.bootstrap.adapters import Adapters
from social.domain.posts.browse import Explore, ListUserPosts, TagPosts
from social.domain.posts.change_post import DeletePost, EditPost
from social.domain.posts.create_post import CreatePost
from social.domain.posts.describe_media import DescribeMedia
from social.domain.posts.read_post import GetPost

__all__ = ["PostsUseCases", "build"]


@dataclass(frozen=True, slots=True)
class PostsUseCases:
    create_post: CreatePost
    get_post: GetPost
    edit_post: EditPost
    delete_post: DeletePost
    list_user_posts: ListUserPosts
    tag_posts: TagPosts
    explore: Explore
    describe_media: DescribeMedia


def build(a: Adapters) -> PostsUseCases:
    settings = a.settings
    reads, posts = a.reads(), settings.posts.limits()
    return PostsUseCases(
        create_post=CreatePost(uow=a.uow, reads=reads, clock=a.clock, limits=posts),
        get_post=GetPost(reads=reads),
        edit_post=EditPost(uow=a.uow, reads=reads, clock=a.clock, limits=posts),
        delete_post=DeletePost(uow=a.uow),
        list_user_posts=ListUserPosts(reads=reads),
        tag_posts=TagPosts(reads=reads),
        explore=Explore(
            reads=reads, clock=a.clock, window=timedelta(seconds=settings.posts.explore_window_s)
        ),
        describe_media=DescribeMedia(uow=a.uow, limits=settings.media.limits()),
    )
