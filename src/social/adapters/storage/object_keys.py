"""Validation of storage keys and content types, shared by every storage adapter.

Keys become file paths on local disk and object names in S3, so one strict rule — relative,
slash-separated segments of ``[A-Za-z0-9._-]`` — keeps a key from escaping its namespace
(``..``, absolute paths, backslashes), from smuggling control characters into paths, URLs or
logs, and from meaning different things to different adapters. Content types end up in response
headers, so they are checked for header-safe characters.
"""

from __future__ import annotations

import re

from social.domain.media.errors import InvalidObjectKey
from social.domain.shared.errors import Invalid

__all__ = [
    "MAX_CONTENT_TYPE_LENGTH",
    "MAX_KEY_LENGTH",
    "MAX_SEGMENT_LENGTH",
    "is_valid_key",
    "validate_content_type",
    "validate_key",
    "validate_prefix",
]

MAX_KEY_LENGTH = 512
MAX_SEGMENT_LENGTH = 200
"""Below the 255-byte file-name limit of common file systems, leaving room for the local-disk
adapter's suffixes (``@meta.json``) and temp-file decorations."""
MAX_CONTENT_TYPE_LENGTH = 255

_SEGMENT = re.compile(r"[A-Za-z0-9._-]+")
# type "/" subtype, then optional parameters; printable ASCII only (no CR/LF, no NUL).
_CONTENT_TYPE = re.compile(r"[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(;[ -~]*)?")


def validate_key(key: str) -> str:
    """Return ``key`` unchanged when it is a safe relative key, else raise ``InvalidObjectKey``.

    Every segment must be non-empty (which refuses absolute paths, ``//`` and trailing slashes),
    must not be ``.`` or ``..``, may only hold ``[A-Za-z0-9._-]`` and is at most
    ``MAX_SEGMENT_LENGTH`` characters long.
    """
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidObjectKey(_shorten(key))
    for segment in key.split("/"):
        if (
            segment in {".", ".."}
            or len(segment) > MAX_SEGMENT_LENGTH
            or _SEGMENT.fullmatch(segment) is None
        ):
            raise InvalidObjectKey(_shorten(key))
    return key


def is_valid_key(name: str) -> bool:
    """Whether ``name`` passes ``validate_key`` (listings skip what this port never stored)."""
    try:
        validate_key(name)
    except InvalidObjectKey:
        return False
    return True


def validate_prefix(prefix: str) -> str:
    """A listing prefix is fine when some valid key can start with it (``media/`` can, ``../``
    cannot): its complete segments then name a folder inside the storage."""
    if prefix:
        validate_key(f"{prefix}x")
    return prefix


def validate_content_type(content_type: str) -> str:
    """Return ``content_type`` stripped when it is a header-safe media type, else raise."""
    value = content_type.strip() if isinstance(content_type, str) else ""
    if len(value) > MAX_CONTENT_TYPE_LENGTH or _CONTENT_TYPE.fullmatch(value) is None:
        raise Invalid.field("content_type", f"{_shorten(content_type)!r} is not a media type")
    return value


def _shorten(value: object) -> str:
    """Keep error messages small when a caller sends a huge key."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else f"{text[:80]}…"
