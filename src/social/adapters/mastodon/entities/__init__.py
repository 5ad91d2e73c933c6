"""Mastodon's entities (Account, Status, MediaAttachment, Relationship, Tag, Context,
Notification) written as JSON bytes from the domain's read cards and the cached native
presentations. Handlers get the renderer with ``entities_for(request)``."""

from __future__ import annotations

from social.adapters.mastodon.entities.html import text_html
from social.adapters.mastodon.entities.media import attachment, attachment_json
from social.adapters.mastodon.entities.render import BASE_URL_OPT, Entities, entities_for
from social.adapters.mastodon.entities.simple import (
    NOTIFICATION_TYPES,
    TagUse,
    array,
    context_json,
    notification_json,
    relationship_json,
    tag_json,
)
from social.adapters.mastodon.entities.times import rfc3339, rfc3339_json
from social.adapters.mastodon.entities.urls import Urls

__all__ = [
    "BASE_URL_OPT",
    "NOTIFICATION_TYPES",
    "Entities",
    "TagUse",
    "Urls",
    "array",
    "attachment",
    "attachment_json",
    "context_json",
    "entities_for",
    "notification_json",
    "relationship_json",
    "rfc3339",
    "rfc3339_json",
    "tag_json",
    "text_html",
]
