r"""Fakes of the search ports (``domain/search``): an in-memory ``SearchIndex``, which the
contract suite holds to the real adapters' answers, and the rebuild's ``SearchSyncPause`` and
``SearchSource`` on a unit of work's copy of the store.

Text matching: fold, split into words (``\w+``); a document matches when every query word
equals a caption word or both reduce to the same stem under one of two small strippers (below):
English ``-s/-es/-ing/-ed``; Indonesian ``-nya``, ``me-/di-/ter-`` then ``-kan/-an/-i`` then
``ber-/per-/pe-`` in the Snowball order, each only while the word has more than two vowels.
They are good enough for the contract's words (``running``/``run``, ``cats``/``cat``,
``makanan``/``makan``, ``berlari``/``lari``), not a stemmer: unlike the real engines the fake
drops no stop words and accepts each query word stemmed in a different language.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from social.domain.accounts.model import User
from social.domain.posts.model import Post
from social.domain.search.model import (
    GeoPoint,
    PostDocument,
    TagCount,
    UserDocument,
    Visibility,
    check_radius_km,
    distance_m,
)
from social.domain.shared.errors import Invalid
from social.domain.shared.pagination import (
    MAX_LIMIT,
    Cursor,
    KeyCursor,
    Page,
    PageRequest,
    RankCursor,
)
from social.domain.shared.tags import fold, normalize_tag

if TYPE_CHECKING:
    from tests.fakes.accounts import AccountsStore

__all__ = ["InMemorySearchIndex", "InMemorySearchSource", "InMemorySearchSyncPause"]

_WORD = re.compile(r"\w+")
_NAME_WORD = re.compile(r"[^\W_]+")
_PROGRESS_EVERY = 500
_VOWELS = frozenset("aeiou")
_EN_SUFFIXES = ("ing", "ed")
_ID_FIRST_PREFIXES = ("ter", "me", "di")
_ID_SECOND_PREFIXES = ("ber", "per", "pe")
_ID_SUFFIXES = ("kan", "an", "i")


class InMemorySearchIndex:
    """Stores documents by id; queries see every write at once, like PostgreSQL does."""

    def __init__(self) -> None:
        self.documents: dict[UUID, PostDocument] = {}
        self.users: dict[UUID, UserDocument] = {}

    async def ensure_index(self) -> None:
        """Nothing to create."""

    async def upsert(self, document: PostDocument) -> None:
        tags = tuple(t for t in dict.fromkeys(normalize_tag(t) for t in document.tags) if t)
        self.documents[document.post_id] = replace(document, tags=tags)

    async def delete(self, post_id: UUID) -> None:
        self.documents.pop(post_id, None)

    async def posts_by_tag(self, tag: str, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        wanted = normalize_tag(tag)
        return _newest_first((doc for doc in self._public() if wanted and wanted in doc.tags), page)

    async def posts_near(
        self, center: GeoPoint, radius_km: float, page: PageRequest[RankCursor]
    ) -> Page[UUID, RankCursor]:
        keys = sorted((distance, doc.post_id) for doc, distance in self._near(center, radius_km))
        if page.after is not None:
            after = (page.after.rank, page.after.id)
            keys = [key for key in keys if key > after]
        items = keys[: page.limit]
        more = len(keys) > page.limit
        next_cursor = RankCursor(rank=items[-1][0], id=items[-1][1]) if more else None
        return Page(items=[post_id for _, post_id in items], next_cursor=next_cursor)

    async def posts_near_recent(
        self, center: GeoPoint, radius_km: float, page: PageRequest[Cursor]
    ) -> Page[UUID, Cursor]:
        return _newest_first((doc for doc, _ in self._near(center, radius_km)), page)

    async def posts_matching(self, text: str, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        wanted = _words(text)
        return _newest_first(
            (
                doc
                for doc in self._public()
                if wanted and _all_match(wanted, set(_words(doc.caption)))
            ),
            page,
        )

    async def posts_at_place(self, name: str, page: PageRequest[Cursor]) -> Page[UUID, Cursor]:
        wanted = set(_words(name))
        return _newest_first(
            (
                doc
                for doc in self._public()
                if wanted and wanted <= set(_words(doc.place_name or ""))
            ),
            page,
        )

    async def upsert_user(self, user: UserDocument) -> None:
        self.users[user.user_id] = user

    async def delete_user(self, user_id: UUID) -> None:
        self.users.pop(user_id, None)

    async def users_by_prefix(
        self, prefix: str, page: PageRequest[KeyCursor]
    ) -> Page[UUID, KeyCursor]:
        wanted = fold(prefix).strip().lstrip("@").strip()
        if not wanted:
            return Page(items=[], next_cursor=None)
        name_words = _NAME_WORD.findall(wanted)
        found = sorted(
            (user.username, user.user_id)
            for user in self.users.values()
            if user.username.lower().startswith(wanted)
            or (name_words and _all_start(name_words, _NAME_WORD.findall(fold(user.display_name))))
        )
        if page.after is not None:
            after = page.after.key
            found = [key for key in found if key[0] > after]
        items = found[: page.limit]
        next_cursor = KeyCursor(items[-1][0]) if len(found) > page.limit else None
        return Page(items=[user_id for _, user_id in items], next_cursor=next_cursor)

    async def tags_by_prefix(self, prefix: str, limit: int) -> list[TagCount]:
        _check_limit(limit)
        wanted = normalize_tag(prefix)
        counts = _tag_counts(self._public())
        return _top(
            {tag: n for tag, n in counts.items() if wanted and tag.startswith(wanted)}, limit
        )

    async def trending_tags(self, since: datetime, limit: int) -> list[TagCount]:
        _check_limit(limit)
        return _top(_tag_counts(d for d in self._public() if d.created_at > since), limit)

    async def tag_count(self, tag: str) -> int:
        wanted = normalize_tag(tag)
        return sum(1 for doc in self._public() if wanted and wanted in doc.tags)

    async def rebuild(
        self,
        posts: AsyncIterable[PostDocument],
        users: AsyncIterable[UserDocument],
        progress: Callable[[int], None],
    ) -> int:
        """Builds new dictionaries aside and swaps them in at the end."""
        fresh = InMemorySearchIndex()
        written = 0
        async for document in posts:
            await fresh.upsert(document)
            written += 1
            if written % _PROGRESS_EVERY == 0:
                progress(written)
        async for user in users:
            await fresh.upsert_user(user)
            written += 1
            if written % _PROGRESS_EVERY == 0:
                progress(written)
        if written % _PROGRESS_EVERY:
            progress(written)
        self.documents, self.users = fresh.documents, fresh.users
        return written

    async def refresh(self) -> None:
        """Writes are visible at once."""

    def _public(self) -> Iterable[PostDocument]:
        return (doc for doc in self.documents.values() if doc.visibility is Visibility.PUBLIC)

    def _near(self, center: GeoPoint, radius_km: float) -> list[tuple[PostDocument, float]]:
        """Public located documents within the radius, each with its distance in metres."""
        check_radius_km(radius_km)
        located = [
            (doc, distance_m(center, doc.location))
            for doc in self._public()
            if doc.location is not None
        ]
        return [(doc, distance) for doc, distance in located if distance <= radius_km * 1000]


class InMemorySearchSyncPause:
    """Shared by every unit of work of one fake database, like the advisory lock."""

    def __init__(self) -> None:
        self.active = False
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def paused(self) -> AsyncIterator[None]:
        async with self._lock:
            self.active = True
            try:
                yield
            finally:
                self.active = False


class InMemorySearchSource:
    def __init__(self, work: AccountsStore) -> None:
        self._w = work

    async def posts_after(self, after: UUID | None, limit: int) -> list[Post]:
        ids = sorted(i for i in self._w.posts if after is None or i > after)[:limit]
        return [self._w.posts[i] for i in ids]

    async def users_after(self, after: UUID | None, limit: int) -> list[User]:
        ids = sorted(i for i in self._w.users if after is None or i > after)[:limit]
        return [self._w.users[i] for i in ids]

    async def users_in(self, user_ids: set[UUID]) -> list[User]:
        return [self._w.users[i] for i in user_ids if i in self._w.users]

    async def total(self) -> int:
        return len(self._w.posts) + len(self._w.users)


def _newest_first(
    documents: Iterable[PostDocument], page: PageRequest[Cursor]
) -> Page[UUID, Cursor]:
    keys = sorted(
        ((doc.created_at.astimezone(UTC), doc.post_id) for doc in documents), reverse=True
    )
    if page.after is not None:
        after = (page.after.at, page.after.id)
        keys = [key for key in keys if key < after]
    items = keys[: page.limit]
    more = len(keys) > page.limit
    next_cursor = Cursor(at=items[-1][0], id=items[-1][1]) if more else None
    return Page(items=[post_id for _, post_id in items], next_cursor=next_cursor)


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid.field("limit", f"must be between 1 and {MAX_LIMIT}")


def _tag_counts(documents: Iterable[PostDocument]) -> Counter[str]:
    return Counter(tag for doc in documents for tag in doc.tags)


def _top(counts: dict[str, int], limit: int) -> list[TagCount]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [TagCount(name=tag, posts_count=n) for tag, n in ranked[:limit]]


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _all_match(wanted: list[str], words: set[str]) -> bool:
    return all(any(_same_word(query, word) for word in words) for query in wanted)


def _all_start(prefixes: list[str], words: list[str]) -> bool:
    return all(any(word.startswith(prefix) for word in words) for prefix in prefixes)


def _same_word(query: str, word: str) -> bool:
    return (
        query == word
        or _english_stem(query) == _english_stem(word)
        or _indonesian_stem(query) == _indonesian_stem(word)
    )


def _english_stem(word: str) -> str:
    """``running`` → ``run``, ``walked`` → ``walk``, ``beaches`` → ``beach``, ``cats`` → ``cat``."""
    for suffix in _EN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            if stem[-1] == stem[-2] and stem[-1] not in "lsz":  # runn → run
                stem = stem[:-1]
            return stem
    if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _indonesian_stem(word: str) -> str:
    """``makanan`` → ``makan``, ``berlari`` → ``lari``, ``dimainkan`` → ``main``: Snowball's
    order (particle, first-order prefix, suffix, second-order prefix — or the second-order
    prefix before the suffix), each only while the word has more than two vowels."""
    word = _strip_suffixes(word, ("nya",))
    stripped = _strip_prefixes(word, _ID_FIRST_PREFIXES)
    if stripped != word:
        return _strip_prefixes(_strip_suffixes(stripped, _ID_SUFFIXES), _ID_SECOND_PREFIXES)
    return _strip_suffixes(_strip_prefixes(word, _ID_SECOND_PREFIXES), _ID_SUFFIXES)


def _strip_prefixes(word: str, prefixes: tuple[str, ...]) -> str:
    if _vowels(word) <= 2:
        return word
    for prefix in prefixes:
        if word.startswith(prefix):
            return word[len(prefix) :]
    return word


def _strip_suffixes(word: str, suffixes: tuple[str, ...]) -> str:
    if _vowels(word) <= 2:
        return word
    for suffix in suffixes:
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _vowels(word: str) -> int:
    return sum(1 for ch in word if ch in _VOWELS)
