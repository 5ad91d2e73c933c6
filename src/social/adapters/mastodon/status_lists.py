"""Lists of posts as Mastodon ``Status`` arrays (temporary until the read helper's helper)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import Request

from social.adapters.mastodon.entities import array, entities_for
from social.domain.reads.model import PostCard

__all__ = ["statuses_json"]


async def statuses_json(request: Request[Any, Any, Any], cards: Sequence[PostCard]) -> bytes:
    entities = entities_for(request)
    return array(map(entities.status, cards))
