"""Cards as the read model hands them over: native presentations and fresh states."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import msgspec

from social.adapters.http.media.schemas import MediaOut, MediaVariantOut
from social.adapters.http.presenting import AccountContentOut, PostContentOut
from social.domain.accounts.model import AccountStatus
from social.domain.graph.model import Relationship
from social.domain.reads.model import AccountCard, AccountState, PostCard, PostState, ViewerFlags

AT = datetime(2026, 12, 3, 18, 42, 2, 123456, tzinfo=UTC)


def presented(body: msgspec.Struct) -> bytes:
    return msgspec.json.encode(body)[:-1]


def account(
    username: str = "alice",
    *,
    private: bool = False,
    relationship: Relationship | None = None,
    account_id: UUID | None = None,
) -> AccountCard:
    account_id = account_id or uuid4()
    content = AccountContentOut(
        id=account_id,
        username=username,
        display_name=username.title(),
        bio="I <3 #cats",
        website="https://example.org/me",
        avatar=None,
        created_at=AT,
    )
    state = AccountState(account_id, 1, AccountStatus.ACTIVE, private, 3, 10, 7)
    return AccountCard(state, presented(content), relationship)


def media(ready: bool = True) -> MediaOut:
    variants = [
        MediaVariantOut(name="small", width=320, height=240, url="https://s3/small.jpg"),
        MediaVariantOut(name="large", width=1080, height=810, url="https://s3/large.jpg"),
    ]
    return MediaOut(
        id=uuid4(),
        kind="image",
        status="ready" if ready else "processing",
        alt_text="a cat",
        width=1080,
        height=810,
        blurhash="LKO2?U%2Tw=w]~RBVZRi};RPxuwH",
        url="https://s3/large.jpg" if ready else None,
        variants=variants if ready else [],
        preview_url="https://s3/small.jpg" if ready else None,
    )


def post(
    author: AccountCard,
    caption: str = "Sunset #Beach with @bob\nsecond line",
    *,
    mentions: tuple[str, ...] = ("bob",),
    flags: ViewerFlags | None = None,
    items: int = 1,
) -> PostCard:
    post_id = uuid4()
    content = PostContentOut(
        id=post_id,
        caption=caption,
        tags=["beach"],
        mentions=list(mentions),
        place=None,
        media=[media() for _ in range(items)],
        comments_enabled=True,
        created_at=AT,
        edited_at=None,
    )
    state = PostState(post_id, author.state.id, 1, likes_count=5, comments_count=2, shares_count=1)
    return PostCard(state, presented(content), author, flags or ViewerFlags())
