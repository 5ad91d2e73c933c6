"""The debounce of suggestion refreshes (``DebounceSuggestionRefresh``) on fakes: refreshes
(asked for by a look at the list after a follow) compute a user's suggestions at most once per
``SOCIAL_SUGGESTIONS_DEBOUNCE_S`` (60 s in the test settings); one that comes sooner is put
off to the end of the interval, once for a whole burst, and that later computation sees every
change of the burst."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import UUID

import pytest

from social.adapters.jobs.registry import run_job
from social.domain.accounts.model import AccountStatus
from social.domain.discovery.account_suggestions import CandidateBounds, Candidates
from social.domain.shared.errors import Unavailable
from social.domain.shared.identity import Viewer
from social.domain.shared.jobs import RefreshAccountSuggestions
from social.domain.shared.pagination import PageRequest
from social.settings import Settings
from tests.fakes.discovery import InMemorySuggestionStore
from tests.fakes.reads import shown
from tests.unit.harness import Accounts, build_accounts

INTERVAL = timedelta(seconds=60)


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[UUID]:
    """Whose candidates were gathered, in order: one entry per computation."""
    users: list[UUID] = []
    gather = InMemorySuggestionStore.candidates

    async def counted(
        self: InMemorySuggestionStore, user_id: UUID, bounds: CandidateBounds
    ) -> Candidates:
        users.append(user_id)
        return await gather(self, user_id, bounds)

    monkeypatch.setattr(InMemorySuggestionStore, "candidates", counted)
    return users


async def people(accounts: Accounts, *names: str) -> list[Viewer]:
    return [(await accounts.sign_up(name))[2] for name in names]


async def suggested(accounts: Accounts, viewer: Viewer) -> list[tuple[str, str]]:
    page = await accounts.list_suggested_accounts.execute(viewer, PageRequest())
    return [(shown(item.account)["username"], item.reason) for item in page.items]


async def follow_and_work(accounts: Accounts, viewer: Viewer, username: str) -> None:
    """A follow, then a refresh asked for (as a look at the list after a follow asks, or a
    put-off refresh's job), run at once."""
    await accounts.follow_user.execute(viewer, username)
    await run_job(accounts.uc, RefreshAccountSuggestions(viewer.user_id))


async def test_a_burst_of_fifty_refreshes_computes_once_at_once_and_once_when_it_ends(
    accounts: Accounts, computed: list[UUID]
) -> None:
    me, zed, *friends = await people(accounts, "mel", "zed", *(f"f{n:02}" for n in range(50)))
    for friend in friends:
        await accounts.follow_user.execute(friend, "zed")
    await accounts.run_jobs()
    computed.clear()
    start = accounts.clock.now()
    for n in range(50):  # one a second: the whole burst within the interval
        await follow_and_work(accounts, me, f"f{n:02}")
        accounts.clock.advance(seconds=1)
    assert computed == [me.user_id]  # the first follow's, at once
    assert await suggested(accounts, me) == [("zed", "followed by f00")]
    # the 49 others put off one refresh, to the end of the interval of the first computation
    assert accounts.later.delayed == [
        (start + INTERVAL, RefreshAccountSuggestions(me.user_id, since=start))
    ]
    accounts.clock.current = start + INTERVAL
    assert await accounts.run_due_jobs() == 1
    assert computed == [me.user_id, me.user_id]
    assert await suggested(accounts, me) == [("zed", "followed by f49 and 49 others")]
    assert accounts.later.delayed == []
    accounts.clock.advance(hours=1)
    assert await accounts.run_due_jobs() == 0
    assert computed == [me.user_id, me.user_id]
    assert zed.user_id not in computed


async def test_a_change_once_the_interval_has_passed_computes_at_once(
    accounts: Accounts, computed: list[UUID]
) -> None:
    me, *_ = await people(accounts, "mel", "ann", "bob")
    await follow_and_work(accounts, me, "ann")
    accounts.clock.advance(seconds=60)
    await follow_and_work(accounts, me, "bob")
    assert computed == [me.user_id, me.user_id]
    assert accounts.later.delayed == []


async def test_the_computation_of_a_first_read_counts_too(
    accounts: Accounts, computed: list[UUID]
) -> None:
    me, *_ = await people(accounts, "mel", "ann")
    start = accounts.clock.now()
    assert await suggested(accounts, me) == []  # never computed: computed by this read
    accounts.clock.advance(seconds=10)
    await follow_and_work(accounts, me, "ann")
    assert computed == [me.user_id]
    assert [at for at, _ in accounts.later.delayed] == [start + INTERVAL]


async def test_a_put_off_refresh_that_runs_a_little_early_still_computes(
    accounts: Accounts, computed: list[UUID]
) -> None:
    """The queue's clock and this one may differ: waited for its computation, it computes."""
    me, *_ = await people(accounts, "mel", "ann", "bob")
    start = accounts.clock.now()
    await follow_and_work(accounts, me, "ann")
    accounts.clock.advance(seconds=1)
    await follow_and_work(accounts, me, "bob")
    ((due, later),) = accounts.later.delayed
    assert due == start + INTERVAL
    accounts.later.delayed.clear()
    accounts.clock.current = due - timedelta(milliseconds=500)
    assert await run_job(accounts.uc, later) == 0  # computed: nobody to suggest
    assert computed == [me.user_id, me.user_id]
    assert accounts.store.suggestion_runs[me.user_id] == accounts.clock.now()


async def test_a_put_off_refresh_overtaken_by_another_computation_waits_from_that_one(
    accounts: Accounts, computed: list[UUID]
) -> None:
    me, *_ = await people(accounts, "mel", "ann", "bob")
    start = accounts.clock.now()
    await follow_and_work(accounts, me, "ann")
    accounts.clock.advance(seconds=1)
    await follow_and_work(accounts, me, "bob")
    accounts.clock.current = start + timedelta(seconds=30)
    await accounts.compute_account_suggestions.execute(me.user_id)  # e.g. the periodic job
    accounts.clock.current = start + INTERVAL
    assert await accounts.run_due_jobs() == 1  # ran, and put itself off again
    assert computed == [me.user_id, me.user_id]
    overtaken = start + timedelta(seconds=30)
    assert accounts.later.delayed == [
        (overtaken + INTERVAL, RefreshAccountSuggestions(me.user_id, since=overtaken))
    ]
    accounts.clock.current = overtaken + INTERVAL
    assert await accounts.run_due_jobs() == 1
    assert computed == [me.user_id] * 3


async def test_a_computation_that_fails_after_its_claim_is_retried_put_off(
    accounts: Accounts, computed: list[UUID], monkeypatch: pytest.MonkeyPatch
) -> None:
    me, *_ = await people(accounts, "mel", "ann")
    await accounts.follow_user.execute(me, "ann")
    job = RefreshAccountSuggestions(me.user_id)
    start = accounts.clock.now()

    async def down(*_: object) -> Candidates:
        raise Unavailable("PostgreSQL is not reachable.", dependency="database")

    with monkeypatch.context() as patch:
        patch.setattr(InMemorySuggestionStore, "candidates", down)
        with pytest.raises(Unavailable):
            await run_job(accounts.uc, job)
    accounts.clock.advance(seconds=2)
    assert await run_job(accounts.uc, job) is None  # the retry: claimed a moment ago, put off
    assert accounts.later.delayed == [
        (start + INTERVAL, RefreshAccountSuggestions(me.user_id, since=start))
    ]
    accounts.clock.current = start + INTERVAL
    assert await accounts.run_due_jobs() == 1
    assert computed == [me.user_id]


async def test_an_account_no_longer_active_is_forgotten_and_nothing_is_put_off(
    accounts: Accounts, computed: list[UUID]
) -> None:
    me, *_ = await people(accounts, "mel", "ann", "bob")
    await follow_and_work(accounts, me, "ann")
    await accounts.follow_user.execute(me, "bob")
    user = accounts.store.users[me.user_id]
    accounts.store.users[me.user_id] = replace(user, status=AccountStatus.SUSPENDED)
    await run_job(accounts.uc, RefreshAccountSuggestions(me.user_id))
    assert me.user_id not in accounts.store.suggestion_runs
    assert accounts.later.delayed == []
    assert computed == [me.user_id]


async def test_a_debounce_of_zero_computes_every_refresh(computed: list[UUID]) -> None:
    accounts = build_accounts(Settings.from_values(environment="test", suggestions_debounce_s=0))
    me, *_ = await people(accounts, "mel", "ann", "bob", "cyd")
    for name in ("ann", "bob", "cyd"):
        await follow_and_work(accounts, me, name)
    assert computed == [me.user_id] * 3
    assert accounts.later.delayed == []
