"""The domain's input rules as request field types, so the OpenAPI document states them and a
request breaking one is refused at the edge (422 naming the field) exactly as documented.

The numbers come from the domain's defaults (``AccountLimits``, ``PostLimits``,
``CommentLimits``, ``REASON_MAX``…); the domain still checks every value itself after cleaning
it (trimming, NFC), so it stays the authority. Patterns read the same in Python's ``re`` (msgspec
searches with it) and in JSON Schema; ``PATTERN_MESSAGES`` says in words what each one asks, for
the 422 answer.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal, get_args
from uuid import UUID

from msgspec import Meta

from social.domain.accounts.rules import AccountLimits
from social.domain.activity.model import CLIENT_NAME_MAX
from social.domain.interactions.model import CommentLimits
from social.domain.media.model import IMAGE_CONTENT_TYPES, VIDEO_CONTENT_TYPES, MediaLimits
from social.domain.moderation.model import REASON_MAX
from social.domain.posts.model import PostLimits

__all__ = [
    "PATTERN_MESSAGES",
    "AltText",
    "Bio",
    "Caption",
    "ClientName",
    "CommentText",
    "DisplayName",
    "Email",
    "ImageContentType",
    "MediaIds",
    "NewPassword",
    "PlaceName",
    "Reason",
    "Tags",
    "Username",
    "VideoContentType",
    "Website",
]

_ACCOUNT: Final = AccountLimits()
_POST: Final = PostLimits()

VISIBLE: Final = r"[^\s\x00-\x1f\x7f-\x9f]"
"""Somewhere a character that is neither space nor control: what is left once cleaned."""
USERNAME: Final = r"^(?!.*\.\.)[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?$"
EMAIL: Final = r"^(?!.*\.\.)[^@\s]{1,64}@(?!\.)[^@\s]+\.[^@\s.]{2,}$"
TAG: Final = r"^\s*#*\w+\s*$"
_PORT = r"(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})"
_ADDRESS = (
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{1,62}"
    rf"(?::{_PORT})?(?:[/?#][^\s\x00-\x1f\x7f-\x9f]*)?"
)
_SCHEME = "https://"
WEBSITE: Final = (  # a bare address gets ``https://`` and must still fit the limit then
    rf"^(?:|[Hh][Tt][Tt][Pp][Ss]?://{_ADDRESS}"
    rf"|(?=.{{1,{_ACCOUNT.website_max - len(_SCHEME)}}}$){_ADDRESS})$"
)

PATTERN_MESSAGES: Final[dict[str, str]] = {
    VISIBLE: "must not be empty",
    USERNAME: "may contain only letters, digits, '_' and '.', not start or end with '.' "
    "or contain '..'",
    EMAIL: "is not a valid email address",
    TAG: "is not a tag (letters, digits and _ only)",
    WEBSITE: "must be an http or https address like https://example.com",
}

Username = Annotated[
    str,
    Meta(
        min_length=_ACCOUNT.username_min,
        max_length=_ACCOUNT.username_max,
        pattern=USERNAME,
        description="Letters, digits, '_' and '.' (compared case-insensitively)",
    ),
]
Email = Annotated[str, Meta(max_length=_ACCOUNT.email_max, pattern=EMAIL)]
NewPassword = Annotated[
    str, Meta(min_length=_ACCOUNT.password_min, max_length=_ACCOUNT.password_max)
]
DisplayName = Annotated[str, Meta(max_length=_ACCOUNT.display_name_max)]
Bio = Annotated[str, Meta(max_length=_ACCOUNT.bio_max)]
Website = Annotated[
    str,
    Meta(
        max_length=_ACCOUNT.website_max,
        pattern=WEBSITE,
        description="An http(s) address; `https://` is added to a bare domain; empty clears it",
    ),
]
Reason = Annotated[str, Meta(min_length=1, max_length=REASON_MAX, pattern=VISIBLE)]
ClientName = Annotated[str, Meta(min_length=1, max_length=CLIENT_NAME_MAX, pattern=VISIBLE)]
CommentText = Annotated[
    str, Meta(min_length=1, max_length=CommentLimits().text_max, pattern=VISIBLE)
]
Caption = Annotated[str, Meta(max_length=_POST.caption_max)]
PlaceName = Annotated[str, Meta(min_length=1, max_length=_POST.place_name_max, pattern=VISIBLE)]
Tag = Annotated[str, Meta(min_length=1, max_length=_POST.tag_max_length, pattern=TAG)]
Tags = Annotated[list[Tag], Meta(max_length=_POST.tags_max)]
MediaIds = Annotated[
    list[UUID],
    Meta(
        min_length=_POST.media_min,
        max_length=_POST.media_max,
        extra_json_schema={"uniqueItems": True},
        description="Different uploads of yours, in the order shown",
    ),
]
AltText = Annotated[str, Meta(max_length=MediaLimits().alt_text_max)]
ImageContentType = Literal["image/heic", "image/heif", "image/jpeg", "image/png", "image/webp"]
VideoContentType = Literal["video/mp4", "video/quicktime"]

if (frozenset(get_args(ImageContentType)), frozenset(get_args(VideoContentType))) != (
    IMAGE_CONTENT_TYPES,
    VIDEO_CONTENT_TYPES,
):  # pragma: no cover  # a type is written out for the document; the domain's sets rule
    raise ImportError("the content types must be exactly the media model's accepted ones")
