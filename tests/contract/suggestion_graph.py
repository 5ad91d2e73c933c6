"""Building small graphs for the suggestion store's suites: follows, posts, likes, blocks,
mutes and requests at given times, through the same units of work on the fake and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from social.domain.accounts.model import AccountStatus, AuthSession, User
from social.domain.discovery.account_suggestions import CandidateBounds, Candidates
from social.domain.graph.model import Follow, FollowRequest
from social.domain.posts.model import Post
from social.domain.shared.ids import new_id
from tests.contract.stores import STORE_NOW, Backend

__all__ = [
    "at",
    "block",
    "candidates",
    "follow",
    "like",
    "mute",
    "post",
    "request",
    "sign_in",
    "suspend",
]


def at(seconds: float) -> datetime:
    return STORE_NOW + timedelta(seconds=seconds)


async def follow(backend: Backend, follower: User, *followees: User, start: float = 0) -> None:
    """``follower`` follows each of ``followees``, one second apart from ``start``."""
    async with backend.uow() as uow:
        for n, followee in enumerate(followees):
            when = STORE_NOW + timedelta(seconds=start + n)
            await uow.graph.add_follow(Follow(new_id(), follower.id, followee.id, when))
        await uow.commit()


async def post(backend: Backend, author: User, *tags: str, seconds: float = 0) -> Post:
    made = Post(new_id(), author.id, "", tags, (), (), STORE_NOW + timedelta(seconds=seconds))
    async with backend.uow() as uow:
        await uow.posts.add(made)
        await uow.commit()
    return made


async def like(backend: Backend, user: User, *posts: Post, start: float = 0) -> None:
    async with backend.uow() as uow:
        for n, liked in enumerate(posts):
            when = STORE_NOW + timedelta(seconds=start + n)
            assert await uow.interactions.add_like(liked.id, user.id, when)
        await uow.commit()


async def request(backend: Backend, requester: User, target: User) -> None:
    async with backend.uow() as uow:
        await uow.graph.add_request(FollowRequest(new_id(), requester.id, target.id, STORE_NOW))
        await uow.commit()


async def block(backend: Backend, blocker: User, blocked: User) -> None:
    async with backend.uow() as uow:
        await uow.graph.add_block(blocker.id, blocked.id, STORE_NOW)
        await uow.commit()


async def mute(backend: Backend, muter: User, muted: User) -> None:
    async with backend.uow() as uow:
        await uow.graph.add_mute(muter.id, muted.id, STORE_NOW)
        await uow.commit()


async def suspend(backend: Backend, user: User) -> None:
    async with backend.uow() as uow:
        await uow.users.update(replace(user, status=AccountStatus.SUSPENDED))
        await uow.commit()


async def sign_in(backend: Backend, user: User, *, days_ago: float) -> None:
    when = STORE_NOW - timedelta(days=days_ago)
    async with backend.uow() as uow:
        await uow.sessions.add_session(
            AuthSession(new_id(), user.id, created_at=when, last_used_at=when)
        )
        await uow.commit()


async def candidates(
    backend: Backend, user: User, bounds: CandidateBounds | None = None
) -> Candidates:
    async with backend.uow() as uow:
        return await uow.suggestions.candidates(user.id, bounds or CandidateBounds())
