"""Report a post, a comment or an account (MOD-1)."""

from __future__ import annotations

from uuid import UUID

from social.domain.graph.visibility import can_see_account
from social.domain.moderation.model import Report, TargetType, clean_reason
from social.domain.moderation.ports import ModerationUnitOfWork, ModerationUnitOfWorkFactory
from social.domain.posts.access import find_visible_post
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Invalid, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id

__all__ = ["ReportContent"]


class ReportContent:
    """Rules: only what the reporter can see can be reported (else not found); not oneself;
    a reason of 1 to 1,000 characters; reporting the same thing again while the first report
    is open returns that report."""

    def __init__(self, *, uow: ModerationUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, viewer: Viewer, target_type: TargetType, target_id: UUID, reason: str
    ) -> Report:
        text = clean_reason(reason)
        async with self._uow() as uow:
            owner_id = await self._owner(uow, viewer, target_type, target_id)
            if owner_id == viewer.user_id and target_type is TargetType.USER:
                raise Invalid.field("target_id", "you cannot report yourself")
            earlier = await uow.reports.open_by(viewer.user_id, target_type, target_id)
            if earlier is not None:
                return earlier
            report = Report(
                id=new_id(),
                reporter_id=viewer.user_id,
                target_type=target_type,
                target_id=target_id,
                reason=text,
                created_at=self._clock.now(),
                target_owner_id=owner_id,
            )
            await uow.reports.add(report)
            await uow.commit()
        return report

    async def _owner(
        self, uow: ModerationUnitOfWork, viewer: Viewer, kind: TargetType, target_id: UUID
    ) -> UUID:
        if kind is TargetType.POST:
            post, _, _ = await find_visible_post(uow, viewer, target_id)
            return post.author_id
        if kind is TargetType.COMMENT:
            comment = await uow.comments.get(target_id)
            if comment is None:
                raise NotFound("No such comment.")
            await find_visible_post(uow, viewer, comment.post_id)
            return comment.author_id
        user = await uow.users.get(target_id)
        if user is None:
            raise NotFound("No such user.")
        ties = (await uow.graph.ties(viewer.user_id, [user.id])).get(user.id)
        if ties is not None and not can_see_account(viewer, user, ties):
            raise NotFound("No such user.")
        if ties is None and not user.is_active:
            raise NotFound("No such user.")
        return user.id
