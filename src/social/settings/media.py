"""Uploads and their processing: sizes, durations, the per-user quota, decoding limits."""

from __future__ import annotations

from dataclasses import dataclass

from social.domain.media.model import MediaLimits

__all__ = ["MediaSettings"]


@dataclass(frozen=True, slots=True)
class MediaSettings:
    """How large an upload may be, how much one user may store, and how it is processed."""

    max_image_bytes: int = 20 * 1024 * 1024
    max_video_bytes: int = 200 * 1024 * 1024
    max_avatar_bytes: int = 10 * 1024 * 1024
    max_video_seconds: float = 180.0
    storage_quota_bytes: int = 10 * 1024 * 1024 * 1024
    """The most bytes one user's post media may hold (0: no limit): a pending upload counts its
    size, a ready item its renditions. 10 GiB is ~50 videos at the video limit or tens of
    thousands of photos, yet stops one account from filling the bucket (30 uploads a minute
    at 200 MB would otherwise store 6 GB a minute)."""
    media_unattached_grace_s: int = 24 * 3600
    """Uploads no post used within this long are deleted."""
    image_max_pixels: int = 50_000_000
    """Larger images are refused before decoding (decompression bombs)."""
    image_threads: int = 2
    media_upload_wait_s: float = 5.0
    """How long the app API's upload waits for processing before answering ``url: null``:
    Mastodon clients expect a photo ready at once (Mastodon processes small ones in the
    request), and one that polls waits 5 s a round. 0 answers at once."""

    @property
    def max_upload_bytes(self) -> int:
        """The largest body an upload endpoint accepts (an image or a video)."""
        return max(self.max_image_bytes, self.max_video_bytes)

    def limits(self) -> MediaLimits:
        """The media context's limits as configured."""
        return MediaLimits(
            image_max_bytes=self.max_image_bytes,
            video_max_bytes=self.max_video_bytes,
            storage_quota_bytes=self.storage_quota_bytes,
        )
