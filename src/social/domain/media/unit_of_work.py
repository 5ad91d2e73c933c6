"""The transaction the media use cases work in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from social.domain.media.ports import MediaRepository
from social.domain.shared.ports import IdempotencyKeys, UnitOfWork

__all__ = ["MediaUnitOfWork", "MediaUnitOfWorkFactory"]


class MediaUnitOfWork(UnitOfWork, Protocol):
    @property
    def media(self) -> MediaRepository: ...

    @property
    def idempotency(self) -> IdempotencyKeys: ...


MediaUnitOfWorkFactory = Callable[[], MediaUnitOfWork]
