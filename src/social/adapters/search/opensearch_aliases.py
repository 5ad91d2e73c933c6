"""Aliases over timestamped physical indexes, so a rebuild swaps every query over at once.

The names the adapter is given are aliases; the indexes behind them are ``{alias}-{timestamp}``.
A deployment from before aliases has a concrete index under the alias's name: it keeps serving
until the first rebuild replaces it (``remove_index`` in the same atomic ``update_aliases``).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Mapping
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

from opensearchpy import AsyncOpenSearch, NotFoundError, RequestError
from opensearchpy.helpers import async_bulk

__all__ = ["BULK_CHUNK", "Aliases", "physical_name"]

BULK_CHUNK = 500
"""Documents per bulk request (and per progress report) during a rebuild."""
_LOADING = {"refresh_interval": "-1"}  # no refreshes while bulk-loading: one at the end
_ALREADY_THERE = frozenset({"resource_already_exists_exception", "invalid_alias_name_exception"})


def physical_name(alias: str, at: datetime | None = None) -> str:
    stamp = (at or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d%H%M%S%f")
    return f"{alias}-{stamp}"


class Aliases:
    """Creates, loads and swaps the physical indexes behind aliases on one client."""

    def __init__(self, client: AsyncOpenSearch) -> None:
        self._client = client

    async def ensure(self, alias: str, body: Mapping[str, Any]) -> None:
        """A physical index carrying ``alias``, unless the alias (or a legacy concrete index of
        that name) exists. Starting processes may race: each creates its own index, and all
        then agree to keep the first one created and drop the others (until then, the alias
        points at several indexes and refuses writes: only ever at a cluster's first start)."""
        if await self._client.indices.exists(index=alias):
            return
        try:
            await self._client.indices.create(
                index=physical_name(alias), body={**body, "aliases": {alias: {}}}
            )
        except RequestError as exc:
            if exc.error not in _ALREADY_THERE:
                raise
        await self._settle(alias)

    async def create_for_loading(self, name: str, body: Mapping[str, Any]) -> None:
        settings = {**body["settings"], **_LOADING}
        await self._client.indices.create(index=name, body={**body, "settings": settings})

    async def load(
        self,
        name: str,
        documents: AsyncIterable[tuple[str, dict[str, Any]]],
        progress: Callable[[int], None],
        written: int,
    ) -> int:
        """Bulk-index ``(id, source)`` pairs a chunk at a time; ``progress`` gets the running
        total (``written`` before this call plus what this call wrote) after each chunk."""
        chunk: list[dict[str, Any]] = []
        async for doc_id, source in documents:
            chunk.append({"_index": name, "_id": doc_id, "_source": source})
            if len(chunk) == BULK_CHUNK:
                written = await self._flush(chunk, progress, written)
                chunk = []
        if chunk:
            written = await self._flush(chunk, progress, written)
        return written

    async def finish_loading(self, names: list[str]) -> None:
        joined = ",".join(names)
        await self._client.indices.put_settings(
            index=joined, body={"index": {"refresh_interval": None}}
        )
        await self._client.indices.refresh(index=joined)

    async def swap(self, replacements: Mapping[str, str]) -> list[str]:
        """Point each alias at its new index in ONE ``update_aliases`` call (atomic: a query sees
        all old or all new indexes); returns the old physical indexes, now unused."""
        actions: list[dict[str, Any]] = []
        unused: list[str] = []
        for alias, new in replacements.items():
            actions.append({"add": {"index": new, "alias": alias}})
            current = await self._behind(alias)
            if current:
                actions += [{"remove": {"index": old, "alias": alias}} for old in current]
                unused += current
            elif await self._client.indices.exists(index=alias):  # a concrete legacy index
                actions.append({"remove_index": {"index": alias}})
        await self._client.indices.update_aliases(body={"actions": actions})
        return unused

    async def drop(self, names: list[str]) -> None:
        """Delete these indexes; one already gone (a racer dropped it) is fine."""
        if names:
            with suppress(NotFoundError):
                await self._client.indices.delete(index=",".join(names), ignore_unavailable=True)

    async def _flush(
        self, chunk: list[dict[str, Any]], progress: Callable[[int], None], written: int
    ) -> int:
        await async_bulk(self._client, chunk, max_retries=3, initial_backoff=1)
        written += len(chunk)
        progress(written)
        return written

    async def _behind(self, alias: str) -> list[str]:
        """The physical indexes the alias points to (none if it is missing or not an alias)."""
        try:
            found = await self._client.indices.get_alias(name=alias)
        except NotFoundError:
            return []
        return sorted(found)

    async def _settle(self, alias: str) -> None:
        """After a race, keep the index created first behind the alias and drop the others
        (every racer picks the same one: ``creation_date``, then name)."""
        behind = await self._behind(alias)
        if len(behind) < 2:
            return
        settings = await self._client.indices.get_settings(
            index=",".join(behind), name="index.creation_date"
        )
        by_age = sorted(
            behind,
            key=lambda name: (int(settings[name]["settings"]["index"]["creation_date"]), name),
        )
        extra = by_age[1:]
        with suppress(NotFoundError):  # another racer settled it first
            await self._client.indices.update_aliases(
                body={"actions": [{"remove": {"index": name, "alias": alias}} for name in extra]}
            )
        await self.drop(extra)
