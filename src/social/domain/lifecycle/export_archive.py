"""The contents of a data export, written as one zip stream a page at a time.

Layout: ``README.txt``; ``profile.json``; ``posts.json`` (captions, tags, mentions, places and
each media item with the archive path of its file); ``comments.json`` (those the user wrote),
``likes.json``, ``bookmarks.json``, ``followers.json``, ``following.json``; the event albums
the user organises (``events.json``, their photos in ``event_photos.json``), the photo
collection, recently opened events and events let into by password
(``photo_collection.json``, ``recent_events.json``, ``event_access.json``), the linked sign-in
identities (``linked_identities.json``) and the face reference (``face_reference.json``); the
files of the posts' media, the albums' photos and the avatar under ``media/<media id>.<ext>``
(see ``export_rows.choose_media_file`` for which file).

Every list is read in pages of ``ExportLimits.page_size`` rows, each in its own short
transaction, and written out before the next page is read; the posts are paged twice (their
JSON, then their files), and so are the albums' photos, because a zip's entries are written
one after another.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from social.domain.accounts.model import User
from social.domain.events.model import EventPhoto
from social.domain.faces.reference import FaceReferences
from social.domain.lifecycle.export_ports import ExportUnitOfWork, ExportUnitOfWorkFactory, Keyset
from social.domain.lifecycle.export_rows import (
    README,
    account_edge_row,
    choose_media_file,
    comment_row,
    event_access_row,
    event_photo_row,
    event_row,
    face_reference_row,
    identity_row,
    post_edge_row,
    post_row,
    profile_row,
    recent_event_row,
    saved_photo_row,
)
from social.domain.lifecycle.zip_stream import ZipStream
from social.domain.media.errors import ObjectNotFound
from social.domain.media.model import MediaItem
from social.domain.media.ports import MediaStorage
from social.domain.posts.model import Post

__all__ = ["ArchiveWriter"]

T = TypeVar("T")
Fetch = Callable[[ExportUnitOfWork, Keyset | None], Awaitable[Sequence[T]]]
PostPage = list[tuple[Post, dict[UUID, MediaItem]]]
PhotoPage = list[tuple[EventPhoto, MediaItem | None]]

FLUSH_BYTES = 256 * 1024
"""Deflate emits small pieces; the archive is handed to storage in chunks of about this."""


class ArchiveWriter:
    """One export's archive; ``chunks()`` is the body handed to ``MediaStorage.put``."""

    def __init__(
        self,
        *,
        uow: ExportUnitOfWorkFactory,
        storage: MediaStorage,
        references: FaceReferences,
        user: User,
        created_at: datetime,
        page_size: int,
    ) -> None:
        self._uow = uow
        self._storage = storage
        self._references = references
        self._user = user
        self._n = page_size
        self._zip = ZipStream(created_at)

    async def chunks(self) -> AsyncIterator[bytes]:
        uid, n = self._user.id, self._n
        yield self._whole("README.txt", README.encode())
        yield self._whole("profile.json", await self._profile())
        async for chunk in self._json_list("posts.json", self._post_rows()):
            yield chunk
        lists: list[tuple[str, Fetch[Any], Callable[[Any], dict[str, Any]]]] = [
            ("comments.json", lambda u, a: u.export_source.comments(uid, a, n), comment_row),
            ("likes.json", lambda u, a: u.export_source.likes(uid, a, n), post_edge_row),
            ("bookmarks.json", lambda u, a: u.export_source.bookmarks(uid, a, n), post_edge_row),
            ("followers.json", lambda u, a: u.export_source.followers(uid, a, n), account_edge_row),
            ("following.json", lambda u, a: u.export_source.following(uid, a, n), account_edge_row),
        ]
        for name, fetch, shape in lists:
            async for chunk in self._json_list(name, self._rows(fetch, shape)):
                yield chunk
        async for chunk in self._event_lists():
            yield chunk
        async for chunk in self._media_files():
            yield chunk
        yield self._zip.close()

    async def _profile(self) -> bytes:
        avatar = await self._avatar()
        chosen = await choose_media_file(avatar, self._storage) if avatar else None
        return json.dumps(profile_row(self._user, chosen), ensure_ascii=False, indent=2).encode()

    async def _avatar(self) -> MediaItem | None:
        if self._user.avatar_media_id is None:
            return None
        async with self._uow() as uow:
            return await uow.media.get(self._user.avatar_media_id)

    async def _pages(
        self, fetch: Fetch[T], keyset: Callable[[T], Keyset]
    ) -> AsyncIterator[Sequence[T]]:
        after: Keyset | None = None
        while True:
            async with self._uow() as uow:
                page = await fetch(uow, after)
            if page:
                yield page
            if len(page) < self._n:
                return
            after = keyset(page[-1])

    async def _rows(
        self,
        fetch: Fetch[Any],
        shape: Callable[[Any], dict[str, Any]],
        keyset: Callable[[Any], Keyset] = lambda row: (row.created_at, row.id),
    ) -> AsyncIterator[dict[str, Any]]:
        async for page in self._pages(fetch, keyset):
            for row in page:
                yield shape(row)

    async def _event_lists(self) -> AsyncIterator[bytes]:
        """What issue 18 added: albums, their photos, the collection, opened events, linked
        identities and the face reference."""
        uid, n = self._user.id, self._n
        by_event: Callable[[Any], Keyset] = lambda row: (row.at, row.event_id)  # noqa: E731
        lists: list[tuple[str, AsyncIterable[dict[str, Any]]]] = [
            ("events.json", self._rows(lambda u, a: u.export_source.events(uid, a, n), event_row)),
            ("event_photos.json", self._photo_rows()),
            (
                "photo_collection.json",
                self._rows(
                    lambda u, a: u.export_source.saved_photos(uid, a, n),
                    saved_photo_row,
                    lambda row: (row.saved_at, row.photo.media_id),
                ),
            ),
            (
                "recent_events.json",
                self._rows(
                    lambda u, a: u.export_source.recent_events(uid, a, n),
                    recent_event_row,
                    by_event,
                ),
            ),
            (
                "event_access.json",
                self._rows(
                    lambda u, a: u.export_source.event_access(uid, a, n),
                    event_access_row,
                    by_event,
                ),
            ),
        ]
        for name, rows in lists:
            async for chunk in self._json_list(name, rows):
                yield chunk
        async with self._uow() as uow:
            identities = await uow.oidc_identities.for_user(uid)
        linked = [identity_row(identity) for identity in identities]
        yield self._whole("linked_identities.json", _json(linked))
        reference = await self._references.get(uid)
        yield self._whole("face_reference.json", _json(face_reference_row(reference)))

    async def _photo_pages(self) -> AsyncIterator[Sequence[tuple[EventPhoto, MediaItem | None]]]:
        uid = self._user.id

        async def fetch(uow: ExportUnitOfWork, after: Keyset | None) -> PhotoPage:
            photos = await uow.export_source.event_photos(uid, after, self._n)
            media = await uow.media.get_many(p.media_id for p in photos)
            return [(photo, media.get(photo.media_id)) for photo in photos]

        async for page in self._pages(fetch, lambda pair: (pair[0].added_at, pair[0].media_id)):
            yield page

    async def _photo_rows(self) -> AsyncIterator[dict[str, Any]]:
        async for page in self._photo_pages():
            for photo, item in page:
                chosen = await choose_media_file(item, self._storage) if item else None
                yield event_photo_row(photo, chosen)

    async def _post_pages(self) -> AsyncIterator[Sequence[tuple[Post, dict[UUID, MediaItem]]]]:
        uid = self._user.id

        async def fetch(uow: ExportUnitOfWork, after: Keyset | None) -> PostPage:
            posts = await uow.export_source.posts(uid, after, self._n)
            media = await uow.media.get_many(m for p in posts for m in p.media_ids)
            return [(post, media) for post in posts]

        async for page in self._pages(fetch, lambda pair: (pair[0].created_at, pair[0].id)):
            yield page

    async def _post_rows(self) -> AsyncIterator[dict[str, Any]]:
        async for page in self._post_pages():
            for post, media in page:
                items = [media[m] for m in post.media_ids if m in media]
                chosen = [(i, await choose_media_file(i, self._storage)) for i in items]
                yield post_row(post, chosen)

    async def _media_files(self) -> AsyncIterator[bytes]:
        """Every post's media files, the albums' photos, then the avatar's."""
        async for page in self._post_pages():
            for post, media in page:
                for item in (media[m] for m in post.media_ids if m in media):
                    async for chunk in self._media_file(item):
                        yield chunk
        async for photos in self._photo_pages():
            for _, photo_item in photos:
                if photo_item is not None:
                    async for chunk in self._media_file(photo_item):
                        yield chunk
        avatar = await self._avatar()
        if avatar is not None:
            async for chunk in self._media_file(avatar):
                yield chunk

    async def _media_file(self, item: MediaItem) -> AsyncIterator[bytes]:
        chosen = await choose_media_file(item, self._storage)
        info = await self._storage.stat(chosen.key) if chosen else None
        if chosen is None or info is None:
            return
        try:
            body = await self._storage.stream(chosen.key)
        except ObjectNotFound:  # deleted since the stat: the JSON still names it
            return
        async for chunk in self._entry(chosen.path, body, compress=False, size=info.size):
            yield chunk

    async def _json_list(
        self, name: str, rows: AsyncIterable[dict[str, Any]]
    ) -> AsyncIterator[bytes]:
        async def encoded() -> AsyncIterator[bytes]:
            separator = b"\n"
            yield b"["
            async for row in rows:
                yield separator + json.dumps(row, ensure_ascii=False).encode()
                separator = b",\n"
            yield b"\n]\n"

        async for chunk in self._entry(name, encoded(), compress=True):
            yield chunk

    def _whole(self, name: str, data: bytes) -> bytes:
        with self._zip.open(name, compress=True, size=len(data)) as entry:
            entry.write(data)
        return self._zip.drain()

    async def _entry(
        self, name: str, body: AsyncIterable[bytes], *, compress: bool, size: int | None = None
    ) -> AsyncIterator[bytes]:
        """One entry written from ``body``, the archive's bytes handed on in chunks of about
        ``FLUSH_BYTES``."""
        pending: list[bytes] = []
        pending_size = 0
        with self._zip.open(name, compress=compress, size=size) as entry:
            async for piece in body:
                entry.write(piece)
                out = self._zip.drain()
                pending.append(out)
                pending_size += len(out)
                if pending_size >= FLUSH_BYTES:
                    yield b"".join(pending)
                    pending, pending_size = [], 0
        yield b"".join(pending) + self._zip.drain()


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode()
