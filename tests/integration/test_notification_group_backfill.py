"""Migration 0020 fills ``notifications.group_key`` of existing rows with the domain's rule
(``Notification.group_key``) in SQL: the two must agree, at the edges of a UTC day too."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from social.adapters.postgres import migrations
from social.adapters.postgres.database import Database
from social.adapters.postgres.unit_of_work import SqlaUnitOfWork
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.domain.notifications.model import Notification
from social.domain.posts.model import Post
from social.domain.reads.model import Comment
from social.domain.shared.ids import new_id
from social.domain.shared.notification_kinds import NotificationKind as Kind
from tests.conftest import TEST_SECRET, create_database, drop_database
from tests.contract.stores import make_user

DAY_END = datetime(2026, 3, 1, 23, 59, 59, 999_999, tzinfo=UTC)
EAST = timezone(timedelta(hours=5))


@pytest.fixture
async def fresh_database(postgres_server_url: str) -> AsyncIterator[str]:
    name = f"social_backfill_{secrets.token_hex(4)}"
    url = await create_database(postgres_server_url, name)
    try:
        await asyncio.to_thread(migrations.upgrade, url)
        yield url
    finally:
        await drop_database(postgres_server_url, name)


async def test_the_backfill_groups_like_the_domain(fresh_database: str) -> None:
    alice, *actors = [make_user(f"user{i}") for i in range(8)]
    post = Post(new_id(), alice.id, "", (), (), (), DAY_END)
    comment = Comment(new_id(), post.id, actors[0].id, "hi", DAY_END)
    times = [  # around midnight UTC, and a local time whose UTC day is the day before
        DAY_END,
        DAY_END + timedelta(microseconds=1),
        datetime(2026, 3, 2, 3, 0, tzinfo=EAST),
        datetime(2026, 3, 2, 5, 0, tzinfo=EAST),
    ]
    made = [
        *(
            Notification(new_id(), alice.id, Kind.FOLLOW, actors[i].id, at)
            for i, at in enumerate(times)
        ),
        Notification(new_id(), alice.id, Kind.LIKE, actors[0].id, DAY_END, post.id),
        Notification(new_id(), alice.id, Kind.LIKE, actors[1].id, times[1], post.id),
        Notification(new_id(), alice.id, Kind.SHARE, actors[2].id, times[2], post.id),
        Notification(new_id(), alice.id, Kind.MENTION, actors[3].id, DAY_END, post.id),
        Notification(new_id(), alice.id, Kind.COMMENT, actors[0].id, DAY_END, post.id, comment.id),
        Notification(new_id(), alice.id, Kind.REPLY, actors[1].id, DAY_END, post.id, comment.id),
        Notification(new_id(), alice.id, Kind.FOLLOW_REQUEST, actors[4].id, DAY_END),
    ]
    database = Database.connect(fresh_database, pool_size=2, pool_timeout_s=10)
    try:
        async with SqlaUnitOfWork(
            database.sessions, EmailCipher(KeyRing.from_secret(TEST_SECRET))
        ) as uow:
            for user in (alice, *actors):
                await uow.users.add(user)
            await uow.posts.add(post)
            await uow.comments.add(comment)
            for notification in made:
                assert await uow.notifications.add(notification) == notification
            await uow.commit()
        expected = {n.id: n.group_key for n in made}
        assert len(set(expected.values())) == len(made) - 3  # two follow days, one like group
        assert await _stored(database) == expected  # written on insert
        await asyncio.to_thread(migrations.downgrade, fresh_database, "0019")
        await asyncio.to_thread(migrations.upgrade, fresh_database)
        assert await _stored(database) == expected  # filled by the migration
    finally:
        await database.close()


async def _stored(database: Database) -> dict[object, str]:
    async with database.engine.connect() as connection:
        rows = await connection.execute(text("SELECT id, group_key FROM notifications"))
        return {row.id: row.group_key for row in rows}
