"""Comments in PostgreSQL; the post's and the parent's counters move with them."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from social.adapters.postgres.interaction_tables import CommentRow
from social.adapters.postgres.interactions import lower_counters
from social.adapters.postgres.post_tables import PostRow
from social.domain.reads.model import Comment
from social.domain.shared.errors import Invalid, NotFound

__all__ = ["SqlaCommentRepository"]


class SqlaCommentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, comment: Comment) -> None:
        self._db.add(
            CommentRow(
                id=comment.id,
                post_id=comment.post_id,
                author_id=comment.author_id,
                parent_id=comment.parent_id,
                text=comment.text,
                created_at=comment.created_at,
            )
        )
        try:
            await self._db.flush()
        except IntegrityError as exc:  # the parent or the post was deleted meanwhile
            if "parent_id" in str(exc.orig):
                raise Invalid.field("parent_id", "the comment was deleted") from None
            raise NotFound("No such post.") from None
        await self._db.execute(
            update(PostRow)
            .where(PostRow.id == comment.post_id)
            .values(comments_count=PostRow.comments_count + 1)
            .execution_options(synchronize_session=False)
        )
        if comment.parent_id is not None:
            await self._db.execute(
                update(CommentRow)
                .where(CommentRow.id == comment.parent_id)
                .values(replies_count=CommentRow.replies_count + 1)
                .execution_options(synchronize_session=False)
            )

    async def get(self, comment_id: UUID) -> Comment | None:
        row = await self._db.get(CommentRow, comment_id)
        return _entity(row) if row else None

    async def delete(self, comment_id: UUID) -> int:
        c = CommentRow
        if not await _lock(self._db, c.id == comment_id):
            # Not there when locked: gone already, or its insert not yet committed. Had the
            # DELETE below gone on, it could see a comment committed since, with a reply in
            # flight it never locked out: the reply would then fall to the cascade, uncounted.
            return 0
        gone = (
            await self._db.execute(
                delete(c)
                .where(or_(c.id == comment_id, c.parent_id == comment_id))
                .returning(c.id, c.post_id, c.parent_id)
            )
        ).all()
        if not gone:
            return 0
        await lower_counters(self._db, PostRow, PostRow.comments_count, [r[1] for r in gone])
        parents = [r[2] for r in gone if r[0] == comment_id and r[2] is not None]
        await lower_counters(self._db, CommentRow, CommentRow.replies_count, parents)
        return len(gone)

    async def remove_all_by(self, user_id: UUID) -> None:
        c = CommentRow
        await _lock(self._db, c.author_id == user_id)
        mine = select(c.id).where(c.author_id == user_id).scalar_subquery()
        gone = (
            await self._db.execute(
                delete(c)
                .where(or_(c.author_id == user_id, c.parent_id.in_(mine)))
                .returning(c.id, c.post_id, c.parent_id)
            )
        ).all()
        removed = {r[0] for r in gone}
        await lower_counters(self._db, PostRow, PostRow.comments_count, [r[1] for r in gone])
        parents = [r[2] for r in gone if r[2] is not None and r[2] not in removed]
        await lower_counters(self._db, CommentRow, CommentRow.replies_count, parents)


async def _lock(db: AsyncSession, which: ColumnElement[bool]) -> list[UUID]:
    """Lock the comments about to go, before the DELETE that counts them: a reply being added
    holds a key-share lock on its parent, so this waits for it, and the DELETE (a statement
    of its own, hence a fresh snapshot) sees and counts it. Without the lock the DELETE would
    miss it and the foreign key's cascade remove it uncounted, leaving ``comments_count`` too
    high; replies tried after the lock fail their foreign key once the parent is gone."""
    return list((await db.execute(select(CommentRow.id).where(which).with_for_update())).scalars())


def _entity(row: CommentRow) -> Comment:
    return Comment(
        id=row.id,
        post_id=row.post_id,
        author_id=row.author_id,
        text=row.text,
        created_at=row.created_at,
        parent_id=row.parent_id,
        replies_count=row.replies_count,
    )
