"""Media adapters: turning untrusted uploads into safe, sized renditions."""

from __future__ import annotations

from social.adapters.media.images import PillowImageProcessor

__all__ = ["PillowImageProcessor"]
