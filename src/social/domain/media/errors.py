"""Errors of the media context."""

from __future__ import annotations

from social.domain.shared.errors import DomainError, FieldError, Invalid, NotFound

__all__ = ["InvalidObjectKey", "MediaRejected", "ObjectNotFound", "ObjectTooLarge"]


class ObjectNotFound(NotFound):
    code = "not-found"


class ObjectTooLarge(DomainError):
    code = "payload-too-large"

    def __init__(self, max_size: int) -> None:
        super().__init__(f"The upload is larger than the limit of {max_size} bytes.")
        self.max_size = max_size


class InvalidObjectKey(Invalid):
    def __init__(self, key: str) -> None:
        super().__init__(FieldError("key", f"{key!r} is not a valid storage key"))


class MediaRejected(DomainError):
    """The bytes are not a photo or video we accept; ``message`` tells the user why."""

    code = "unsupported-media-type"
