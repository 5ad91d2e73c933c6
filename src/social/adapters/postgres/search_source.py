"""Everything there is to index, in id order, through the repositories' own mappings."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.account_tables import UserRow
from social.adapters.postgres.post_tables import PostRow
from social.adapters.postgres.posts import SqlaPostRepository
from social.adapters.postgres.users import SqlaUserRepository
from social.domain.accounts.model import User
from social.domain.posts.model import Post

__all__ = ["SqlaSearchSource"]


class SqlaSearchSource:
    def __init__(
        self, session: AsyncSession, posts: SqlaPostRepository, users: SqlaUserRepository
    ) -> None:
        self._db = session
        self._posts = posts
        self._users = users

    async def posts_after(self, after: UUID | None, limit: int) -> list[Post]:
        ids = await self._ids(PostRow.id, after, limit)
        found = await self._posts.get_many(ids)
        return [found[i] for i in ids if i in found]

    async def users_after(self, after: UUID | None, limit: int) -> list[User]:
        ids = await self._ids(UserRow.id, after, limit)
        found = await self._users.get_many(ids)
        return [found[i] for i in ids if i in found]

    async def users_in(self, user_ids: set[UUID]) -> list[User]:
        return list((await self._users.get_many(user_ids)).values())

    async def total(self) -> int:
        posts = select(func.count()).select_from(PostRow).scalar_subquery()
        users = select(func.count()).select_from(UserRow).scalar_subquery()
        return int(await self._db.scalar(select(posts + users)) or 0)

    async def _ids(self, column: Any, after: UUID | None, limit: int) -> list[UUID]:
        query = select(column)
        if after is not None:
            query = query.where(column > after)
        return list(await self._db.scalars(query.order_by(column).limit(limit)))
