"""The heartbeats' session checks are coalesced: many sockets, one lookup per window."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from uuid import UUID

import pytest

from social.adapters.http.notifications.session_recheck import SessionRecheck
from social.domain.shared.errors import Unavailable
from social.domain.shared.identity import Role, Viewer
from social.domain.shared.ids import new_id


def viewer() -> Viewer:
    return Viewer(user_id=new_id(), role=Role.USER, session_id=new_id())


class Lookup:
    def __init__(self, standing: set[UUID], *, failing: bool = False) -> None:
        self.standing = standing
        self.failing = failing
        self.calls: list[list[UUID]] = []

    async def __call__(self, viewers: Collection[Viewer]) -> set[UUID]:
        self.calls.append([v.session_id for v in viewers])
        if self.failing:
            raise Unavailable("the database is unreachable", dependency="database")
        return {v.session_id for v in viewers if v.session_id in self.standing}


async def test_checks_within_a_window_are_one_lookup_with_each_answer() -> None:
    viewers = [viewer() for _ in range(300)]
    ended = {v.session_id for v in viewers[::7]}
    lookup = Lookup({v.session_id for v in viewers} - ended)
    recheck = SessionRecheck(lookup, window_s=0.05)

    answers = await asyncio.gather(*(recheck.standing(v) for v in viewers))

    assert len(lookup.calls) == 1 and sorted(lookup.calls[0]) == sorted(
        v.session_id for v in viewers
    )
    assert answers == [v.session_id not in ended for v in viewers]
    assert await recheck.standing(viewers[1]) is True  # a later check: the next window
    assert len(lookup.calls) == 2 and recheck.batches == 2


async def test_a_failed_lookup_fails_every_check_of_its_window() -> None:
    recheck = SessionRecheck(Lookup(set(), failing=True), window_s=0.01)
    results = await asyncio.gather(
        *(recheck.standing(viewer()) for _ in range(3)), return_exceptions=True
    )
    assert all(isinstance(r, Unavailable) for r in results)


async def test_a_socket_that_closed_while_waiting_is_left_out() -> None:
    lookup = Lookup(set())
    recheck = SessionRecheck(lookup, window_s=0.05)
    gone, staying = viewer(), viewer()
    waiting = asyncio.create_task(recheck.standing(gone))
    await asyncio.sleep(0)
    waiting.cancel()
    assert await recheck.standing(staying) is False
    assert lookup.calls == [[staying.session_id]]
    with pytest.raises(asyncio.CancelledError):
        await waiting
