"""The posts tests reuse the accounts harness (one fake store, the real composition root)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from social.domain.media.model import MediaItem
from social.domain.shared.identity import Viewer
from tests.unit.accounts.conftest import Accounts, accounts

__all__ = ["accounts", "chunks", "ready_media"]


async def chunks(data: bytes, size: int = 7) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def ready_media(accounts: Accounts, viewer: Viewer, content: bytes) -> MediaItem:
    """Upload and run the processing job, as the worker would."""
    item = await accounts.upload_media.execute(viewer, chunks(content))
    await accounts.process_media.execute(item.id)
    processed: MediaItem = await accounts.get_media.execute(viewer, item.id)
    assert processed.status.value == "ready", processed.error
    return processed
