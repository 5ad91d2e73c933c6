"""Event albums (EVT-1): how many photos a request carries, password attempts, recent events."""

from __future__ import annotations

from dataclasses import dataclass

from social.domain.events.model import EventLimits

__all__ = ["EventSettings"]

_DEFAULTS = EventLimits()


@dataclass(frozen=True, slots=True)
class EventSettings:
    events_max_files_per_request: int = _DEFAULTS.photos_per_request
    """The most photos one request uploads (multipart), attaches, removes or bookmarks."""
    events_max_upload_bytes: int = 500 * 1024 * 1024
    """The largest multipart body of a bulk photo upload (every file together); each file
    still keeps the photo limit (``SOCIAL_MAX_IMAGE_BYTES``)."""
    events_password_attempts: int = _DEFAULTS.password_attempts
    """Password checks one user may make on one event per window."""
    events_password_window_s: int = _DEFAULTS.password_window_s
    events_recent_kept: int = _DEFAULTS.recent_kept
    """How many recently opened events each user keeps."""

    def limits(self) -> EventLimits:
        return EventLimits(
            photos_per_request=self.events_max_files_per_request,
            recent_kept=self.events_recent_kept,
            password_attempts=self.events_password_attempts,
            password_window_s=self.events_password_window_s,
        )
