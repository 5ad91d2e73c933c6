"""Who may hear of an action: the one rule that decides whether a notification is made
(``Notify``) and whether it is still pushed to a device later (``DeliverPushNotification``),
so the two never disagree."""

from __future__ import annotations

from uuid import UUID

from social.domain.accounts.model import User
from social.domain.graph.model import Ties
from social.domain.graph.visibility import can_see_content
from social.domain.notifications.ports import NotificationsUnitOfWork
from social.domain.shared.identity import Viewer

__all__ = ["may_hear_of", "may_see_post"]

_NOBODY = UUID(int=0)


async def may_hear_of(
    uow: NotificationsUnitOfWork, actor: User, recipient: User, post_id: UUID | None
) -> bool:
    """Both accounts active; no block either way, and the recipient does not mute the actor;
    and the post (when the action is about one) is one the recipient may see."""
    if not actor.is_active or not recipient.is_active:
        return False
    ties = (await uow.graph.ties(recipient.id, [actor.id]))[actor.id]
    if ties.blocked_either_way or ties.muting:
        return False
    return post_id is None or await may_see_post(uow, recipient, post_id)


async def may_see_post(uow: NotificationsUnitOfWork, recipient: User, post_id: UUID) -> bool:
    """The post exists and its author's content is visible to the recipient (their own is)."""
    post = await uow.posts.get(post_id)
    author = await uow.users.get(post.author_id) if post else None
    if post is None or author is None:
        return False
    if author.id == recipient.id:
        return True
    ties = (await uow.graph.ties(recipient.id, [author.id])).get(author.id, Ties())
    return can_see_content(Viewer(recipient.id, recipient.role, _NOBODY), author, ties)
