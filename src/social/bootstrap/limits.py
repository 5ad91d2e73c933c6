"""The domain's limits, read from the settings (the domain never sees ``Settings``)."""

from __future__ import annotations

from datetime import timedelta

from social.domain.accounts.rules import AccountLimits
from social.domain.feed.model import FeedLimits
from social.domain.interactions.model import CommentLimits
from social.domain.media.model import MediaLimits
from social.domain.posts.model import PostLimits
from social.settings import Settings

__all__ = ["account_limits", "comment_limits", "feed_limits", "media_limits", "post_limits"]


def account_limits(settings: Settings) -> AccountLimits:
    return AccountLimits(
        username_min=settings.username_min_length,
        username_max=settings.username_max_length,
        password_min=settings.password_min_length,
        password_max=settings.password_max_length,
        display_name_max=settings.display_name_max_length,
        bio_max=settings.bio_max_length,
        website_max=settings.website_max_length,
        email_max=settings.email_max_length,
    )


def media_limits(settings: Settings) -> MediaLimits:
    return MediaLimits(
        image_max_bytes=settings.max_image_bytes,
        video_max_bytes=settings.max_video_bytes,
        storage_quota_bytes=settings.storage_quota_bytes,
    )


def post_limits(settings: Settings) -> PostLimits:
    return PostLimits(
        caption_max=settings.caption_max_length,
        tags_max=settings.post_max_tags,
        media_max=settings.post_max_media,
    )


def comment_limits(settings: Settings) -> CommentLimits:
    return CommentLimits(text_max=settings.comment_max_length)


def feed_limits(settings: Settings) -> FeedLimits:
    return FeedLimits(
        max_length=settings.feed_max_length,
        fan_out_threshold=settings.fan_out_threshold,
        fan_out_batch=settings.fan_out_batch,
        large_followees_ttl=timedelta(seconds=settings.feed_large_followees_ttl_s),
        large_entries_ttl=timedelta(seconds=settings.feed_large_entries_ttl_s),
    )
