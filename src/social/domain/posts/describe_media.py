"""Describe an upload (its alt text) after the upload, before a post shows it."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from social.domain.media.model import MediaItem, MediaLimits, MediaPurpose
from social.domain.media.upload_rules import checked_alt_text
from social.domain.posts.ports import PostsUnitOfWorkFactory
from social.domain.shared.errors import Invalid, NotFound
from social.domain.shared.identity import Viewer

__all__ = ["DescribeMedia"]


class DescribeMedia:
    """Rules: only the owner, only a post upload (not an avatar), only while no post shows it
    (a post's media is fixed once published: its presentation is cached by the post's
    revision); the alt text has the upload's limits, and empty clears it. Only the alt text
    changes, so the processing job (which keeps the current alt text) cannot undo it."""

    def __init__(self, *, uow: PostsUnitOfWorkFactory, limits: MediaLimits) -> None:
        self._uow = uow
        self._limits = limits

    async def execute(self, viewer: Viewer, media_id: UUID, alt_text: str | None) -> MediaItem:
        alt = checked_alt_text(alt_text, self._limits)
        async with self._uow() as uow:
            item = await uow.media.get(media_id)
            if item is None or item.owner_id != viewer.user_id:
                raise NotFound("No such media.")
            if item.purpose is not MediaPurpose.POST:
                raise Invalid.field("media_id", "is not a post upload")
            if await uow.posts.attached_media([media_id]):
                raise Invalid.field("media_id", "is already in a post; edit the post instead")
            described = replace(item, alt_text=alt)
            await uow.media.update(described)
            await uow.commit()
        return described
