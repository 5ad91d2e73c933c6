"""One suite for the ``SuggestionStore`` port, on the fake and on PostgreSQL: the stored list
replaced whole, paged by rank, "never computed" told apart from "nothing to suggest", every
exclusion applied again at read time, dismissals, stale users and forgetting, and the claim
of a run (the debounce of refreshes). The candidates' suite is test_suggestion_candidates.py."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

import pytest

from social.domain.accounts.model import User
from social.domain.discovery.account_suggestions import ReasonKind, Suggestion
from social.domain.discovery.ports import StaleUsers
from social.domain.shared.pagination import Page, PageRequest, RankCursor
from tests.contract.stores import STORE_NOW, Backend, users
from tests.contract.suggestion_graph import at, block, follow, mute, request, sign_in, suspend

HOUR = timedelta(hours=1)


def ranked(*accounts: User) -> list[Suggestion]:
    return [
        Suggestion(a.id, rank, 10.0 - rank, ReasonKind.RECENTLY_ACTIVE, f"#{rank}")
        for rank, a in enumerate(accounts, start=1)
    ]


async def store(
    backend: Backend, user: User, suggestions: Sequence[Suggestion], seconds: float = 0
) -> None:
    async with backend.uow() as uow:
        await uow.suggestions.replace(user.id, suggestions, at(seconds))
        await uow.commit()


async def read(
    backend: Backend, user: User, limit: int = 20, after: RankCursor | None = None
) -> Page[Suggestion, RankCursor] | None:
    async with backend.uow() as uow:
        return await uow.suggestions.page(user.id, PageRequest(limit, after))


async def walk(backend: Backend, user: User, limit: int = 2) -> list[Suggestion]:
    seen: list[Suggestion] = []
    after: RankCursor | None = None
    for _ in range(50):
        page = await read(backend, user, limit, after)
        assert page is not None
        seen += page.items
        if page.next_cursor is None:
            return seen
        after = page.next_cursor
    raise AssertionError("the pages never ended")


async def test_never_computed_is_none_and_nothing_to_suggest_is_an_empty_page(
    backend: Backend,
) -> None:
    (me,) = await users(backend, "me")
    assert await read(backend, me) is None
    await store(backend, me, [])
    assert await read(backend, me) == Page(items=[], next_cursor=None)


async def test_pages_follow_the_ranks_and_a_new_computation_replaces_the_list(
    backend: Backend,
) -> None:
    me, a, b, c, d = await users(backend, "me", "a", "b", "c", "d")
    await store(backend, me, ranked(a, b, c))
    first = await read(backend, me, limit=2)
    assert first == Page(items=ranked(a, b, c)[:2], next_cursor=RankCursor(2.0, b.id))
    assert await walk(backend, me) == ranked(a, b, c)
    await store(backend, me, ranked(d, a), seconds=60)
    assert await walk(backend, me) == ranked(d, a)


async def test_a_forged_cursor_never_fails(backend: Backend) -> None:
    me, a = await users(backend, "me", "a")
    await store(backend, me, ranked(a))
    for rank in (float("nan"), float("inf"), -5.0, 1e300):
        page = await read(backend, me, after=RankCursor(rank, a.id))
        assert page is not None
        assert page.items == ([] if rank > 1 else ranked(a))


async def test_every_exclusion_made_after_the_computation_applies_at_read_time(
    backend: Backend,
) -> None:
    names = "me ok followed requested blocking blocked muting muted suspended dismissed"
    me, ok, *later = await users(backend, *names.split())
    followed, requested, blocking, blocked, muting, muted, suspended, dismissed = later
    await store(backend, me, ranked(*later, ok, me))  # me: as if stored by mistake
    await follow(backend, me, followed)
    await request(backend, me, requested)
    await block(backend, blocking, me)
    await block(backend, me, blocked)
    await mute(backend, muting, me)
    await mute(backend, me, muted)
    await suspend(backend, suspended)
    async with backend.uow() as uow:
        await uow.suggestions.dismiss(me.id, dismissed.id, at(1))
        await uow.suggestions.dismiss(me.id, dismissed.id, at(2))  # idempotent
        await uow.commit()
    assert await walk(backend, me) == [ranked(*later, ok)[-1]]


async def test_a_dismissal_hides_the_account_for_good(backend: Backend) -> None:
    me, a, b = await users(backend, "me", "a", "b")
    await store(backend, me, ranked(a, b))
    async with backend.uow() as uow:
        await uow.suggestions.dismiss(me.id, a.id, at(1))
        await uow.commit()
        assert await uow.suggestions.page(me.id, PageRequest()) == Page(ranked(a, b)[1:], None)
    await store(backend, me, ranked(a, b), seconds=60)  # offered again by mistake
    assert await walk(backend, me) == ranked(a, b)[1:]


async def test_two_computations_at_once_leave_one_whole_list(backend: Backend) -> None:
    me, a, b, c, d = await users(backend, "me", "a", "b", "c", "d")

    async def compute(suggestions: list[Suggestion], seconds: float) -> None:
        async with backend.uow() as uow:
            await uow.suggestions.replace(me.id, suggestions, at(seconds))
            await asyncio.sleep(0.05)  # both transactions open at once
            await uow.commit()

    await asyncio.gather(compute(ranked(a, b), 1), compute(ranked(c, d, a), 2))
    assert await walk(backend, me) in (ranked(a, b), ranked(c, d, a))


async def test_stale_users_oldest_first_split_by_recent_sessions(backend: Backend) -> None:
    fresh, old_active, older_idle, oldest_active, never = await users(
        backend, "fresh", "old_active", "older_idle", "oldest_active", "never"
    )
    await store(backend, fresh, [], seconds=0)
    await store(backend, old_active, [], seconds=-3 * 3600)
    await store(backend, older_idle, [], seconds=-4 * 3600)
    await store(backend, oldest_active, [], seconds=-5 * 3600)
    for user, days_ago in ((old_active, 1), (older_idle, 31), (oldest_active, 29), (never, 0)):
        await sign_in(backend, user, days_ago=days_ago)
    async with backend.uow() as uow:
        found = await uow.suggestions.stale(STORE_NOW - HOUR, STORE_NOW - 30 * 24 * HOUR, 10)
        assert found == StaleUsers(active=[oldest_active.id, old_active.id], idle=[older_idle.id])
        assert len(await uow.suggestions.stale(STORE_NOW - HOUR, STORE_NOW, 2)) == 2
        await uow.suggestions.forget([older_idle.id, oldest_active.id])
        await uow.commit()
    async with backend.uow() as uow:
        found = await uow.suggestions.stale(STORE_NOW - HOUR, STORE_NOW - 30 * 24 * HOUR, 10)
    assert found == StaleUsers(active=[old_active.id], idle=[])
    assert await read(backend, oldest_active) is None


async def claim(backend: Backend, user: User, seconds: float, unless_after: float) -> object:
    async with backend.uow() as uow:
        last = await uow.suggestions.claim_run(user.id, at(seconds), at(unless_after))
        await uow.commit()
    return last


async def test_a_run_is_claimed_unless_the_last_one_is_more_recent(backend: Backend) -> None:
    me, other = await users(backend, "me", "other")
    assert await claim(backend, me, 0, unless_after=-60) is None  # never computed: claimed
    assert await claim(backend, me, 30, unless_after=-30) == at(0)  # too recent: unchanged
    assert await claim(backend, me, 60, unless_after=0) is None  # exactly as old: claimed
    assert await claim(backend, other, 61, unless_after=1) is None  # per user
    async with backend.uow() as uow:  # a claim counts as a computation of the user
        assert await uow.suggestions.page(me.id, PageRequest()) == Page(items=[], next_cursor=None)
        found = await uow.suggestions.stale(at(62), STORE_NOW - HOUR, 10)
    assert found == StaleUsers(active=[], idle=[me.id, other.id])
    await store(backend, me, ranked(other), seconds=90)
    assert await claim(backend, me, 100, unless_after=40) == at(90)


async def test_of_two_claims_at_once_one_wins_and_the_other_sees_it(backend: Backend) -> None:
    if backend.database is None:
        pytest.skip("the fake's units of work publish whole copies: no concurrency to speak of")
    (me,) = await users(backend, "me")

    async def racing(seconds: float) -> object:
        async with backend.uow() as uow:
            last = await uow.suggestions.claim_run(me.id, at(seconds), at(seconds - 60))
            await asyncio.sleep(0.05)  # both transactions open at once
            await uow.commit()
        return last

    results = await asyncio.gather(racing(1), racing(2))
    assert sorted(results, key=lambda r: r is not None) in ([None, at(1)], [None, at(2)])
    winner = at(2) if results[0] is not None else at(1)
    assert await claim(backend, me, 3, unless_after=-100) == winner


async def followed_since(backend: Backend, user: User) -> bool:
    async with backend.uow() as uow:
        return await uow.suggestions.followed_since_run(user.id)


async def test_followed_since_the_run_is_a_follow_after_the_last_computation(
    backend: Backend,
) -> None:
    me, ann, bob, cyd, other = await users(backend, "me", "ann", "bob", "cyd", "other")
    await follow(backend, me, ann, start=0)
    assert not await followed_since(backend, me)  # never computed: nothing to refresh
    await store(backend, me, ranked(bob), seconds=10)
    assert not await followed_since(backend, me)  # the follow came before it
    await request(backend, me, cyd)
    await block(backend, me, bob)
    await mute(backend, me, ann)
    assert not await followed_since(backend, me)  # no new friends of friends from these
    await follow(backend, other, cyd, start=20)
    assert not await followed_since(backend, me)  # someone else's follow
    await follow(backend, me, cyd, start=10)  # at the run's very time: not after it
    assert not await followed_since(backend, me)
    await follow(backend, me, other, start=11)
    assert await followed_since(backend, me)
    await store(backend, me, ranked(), seconds=11)
    assert not await followed_since(backend, me)
