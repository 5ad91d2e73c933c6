"""Errors of the media context."""

from __future__ import annotations

from social.domain.shared.errors import DomainError, FieldError, Invalid, NotFound

__all__ = [
    "InvalidObjectKey",
    "MediaRejected",
    "ObjectNotFound",
    "ObjectTooLarge",
    "StorageQuotaExceeded",
]


class ObjectNotFound(NotFound):
    code = "not-found"


class ObjectTooLarge(DomainError):
    code = "payload-too-large"

    def __init__(self, max_size: int) -> None:
        super().__init__(f"The upload is larger than the limit of {max_size} bytes.")
        self.max_size = max_size


class StorageQuotaExceeded(ObjectTooLarge):
    """The upload would take the user's stored media past their quota: a 413 of its own kind,
    so a client can tell "delete something" from "send a smaller file"."""

    code = "storage-quota-exceeded"

    def __init__(self, quota: int, used: int) -> None:
        DomainError.__init__(
            self,
            f"This upload would exceed your storage quota of {quota} bytes ({used} bytes in "
            "use): delete posts or unused uploads to free space.",
        )
        self.max_size = max(0, quota - used)
        self.quota = quota
        self.used = used


class InvalidObjectKey(Invalid):
    def __init__(self, key: str) -> None:
        super().__init__(FieldError("key", f"{key!r} is not a valid storage key"))


class MediaRejected(DomainError):
    """The bytes are not a photo or video we accept; ``message`` tells the user why."""

    code = "unsupported-media-type"
