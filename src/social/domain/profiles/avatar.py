"""Upload, replace and remove one's avatar (PROF-2): processed like post images."""

from __future__ import annotations

import contextlib
from dataclasses import replace

from social.domain.accounts.model import User
from social.domain.media.errors import ObjectTooLarge
from social.domain.media.jobs import RemoveStoredObjects
from social.domain.media.model import (
    MediaItem,
    MediaKind,
    MediaPurpose,
    MediaStatus,
    Variant,
    VariantSpec,
)
from social.domain.media.ports import ImageProcessor, MediaStorage, as_body
from social.domain.profiles.model import ProfileView
from social.domain.profiles.ports import ProfilesUnitOfWork, ProfilesUnitOfWorkFactory
from social.domain.shared.clock import Clock
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.ids import new_id

__all__ = ["AVATAR_VARIANTS", "RemoveAvatar", "UpdateAvatar"]

AVATAR_VARIANTS = (
    VariantSpec("small", 150, square=True),
    VariantSpec("medium", 320, square=True),
    VariantSpec("large", 640, square=True),
)


class UpdateAvatar:
    """Rules: at most ``max_bytes``; the type is judged from the bytes (JPEG, PNG, WebP) and
    anything else is refused with a reason; metadata (GPS above all) never reaches storage; the
    avatar is square in three sizes; the previous avatar's objects are removed once the new one
    is in place (by a job, so a storage hiccup cannot lose the deletion)."""

    def __init__(
        self,
        *,
        uow: ProfilesUnitOfWorkFactory,
        images: ImageProcessor,
        storage: MediaStorage,
        clock: Clock,
        max_bytes: int,
    ) -> None:
        self._uow = uow
        self._images = images
        self._storage = storage
        self._clock = clock
        self._max_bytes = max_bytes

    async def execute(self, viewer: Viewer, data: bytes) -> ProfileView:
        if len(data) > self._max_bytes:
            raise ObjectTooLarge(self._max_bytes)
        processed = await self._images.process(data, AVATAR_VARIANTS)
        media_id, now = new_id(), self._clock.now()
        variants: list[Variant] = []
        try:
            for image in processed.variants:
                key = f"avatars/{viewer.user_id}/{media_id}/{image.name}.jpg"
                await self._storage.put(key, as_body(image.data), content_type=image.content_type)
                variants.append(
                    Variant(image.name, image.width, image.height, key, image.content_type)
                )
            item = MediaItem(
                id=media_id,
                owner_id=viewer.user_id,
                kind=MediaKind.IMAGE,
                purpose=MediaPurpose.AVATAR,
                status=MediaStatus.READY,
                created_at=now,
                width=processed.width,
                height=processed.height,
                blurhash=processed.blurhash,
                variants=tuple(variants),
            )
            async with self._uow() as uow:
                user = await _active_user(uow, viewer)
                await uow.media.add(item)
                await _drop_avatar(uow, user)
                user = replace(user, avatar_media_id=item.id, updated_at=now)
                await uow.users.update(user)
                await uow.commit()
        except BaseException:
            for variant in variants:  # nothing references them: do not leave them behind
                with contextlib.suppress(Exception):
                    await self._storage.delete(variant.key)
            raise
        return ProfileView(user=user, relationship=None, avatar=item)


class RemoveAvatar:
    """Rules: the account goes back to no avatar; removing when there is none is fine."""

    def __init__(self, *, uow: ProfilesUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(self, viewer: Viewer) -> ProfileView:
        async with self._uow() as uow:
            user = await _active_user(uow, viewer)
            if user.avatar_media_id is not None:
                await _drop_avatar(uow, user)
                user = replace(user, avatar_media_id=None, updated_at=self._clock.now())
                await uow.users.update(user)
                await uow.commit()
        return ProfileView(user=user, relationship=None, avatar=None)


async def _active_user(uow: ProfilesUnitOfWork, viewer: Viewer) -> User:
    user = await uow.users.get(viewer.user_id, for_update=True)
    if user is None or not user.is_active:
        raise NotFound("The account does not exist.")
    return user


async def _drop_avatar(uow: ProfilesUnitOfWork, user: User) -> None:
    """Forget the current avatar's record; its objects go by a job after the commit."""
    if user.avatar_media_id is None:
        return
    old = await uow.media.get(user.avatar_media_id)
    if old is not None:
        await uow.media.delete(old.id)
        await uow.jobs.enqueue(RemoveStoredObjects(tuple(old.storage_keys)))
