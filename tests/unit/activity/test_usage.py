"""Usage figures on fakes: seven UTC days with zeros, per client or all; the top three of the
last 24 hours; both cached briefly; the retention job."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from social.domain.activity.model import DayCount
from social.domain.activity.purge_activity import PurgeOldActivity
from social.domain.shared.errors import NotFound
from social.domain.shared.ids import new_id
from tests.fakes.accounts import InMemoryUnitOfWork
from tests.unit.activity.conftest import Activity

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
MIDNIGHT = datetime(2026, 3, 10, tzinfo=UTC)


def days(usage_days: tuple[DayCount, ...]) -> dict[date, int]:
    return {d.day: d.requests for d in usage_days}


async def test_requests_per_utc_day_for_seven_days_with_zeros(activity: Activity) -> None:
    activity.clock.current = NOW
    mobile, _ = await activity.client("mobile")
    web, _ = await activity.client("web")
    idle, _ = await activity.client("idle")
    activity.traffic(mobile, NOW - timedelta(minutes=5), 3)
    activity.traffic(mobile, MIDNIGHT, 1)  # today's first instant
    activity.traffic(mobile, MIDNIGHT - timedelta(microseconds=1), 2)  # yesterday's last
    activity.traffic(mobile, MIDNIGHT - timedelta(days=6), 4)  # the oldest day shown
    activity.traffic(mobile, MIDNIGHT - timedelta(days=6, seconds=1), 50)  # one day too old
    activity.traffic(web, MIDNIGHT - timedelta(days=2, hours=-3), 5)
    activity.traffic(None, NOW, 7)  # no key: nobody's

    usage = await activity.uc.daily_usage.execute(activity.admin)
    assert [(u.name, u.client_id) for u in usage] == [
        ("mobile", mobile.id),
        ("web", web.id),
        ("idle", idle.id),
    ]
    week = [date(2026, 3, day) for day in range(4, 11)]
    assert [d.day for d in usage[0].days] == week
    assert [d.requests for d in usage[0].days] == [4, 0, 0, 0, 0, 2, 4]
    assert [d.requests for d in usage[1].days] == [0, 0, 0, 0, 5, 0, 0]
    assert [d.requests for d in usage[2].days] == [0] * 7

    one = await activity.uc.daily_usage.execute(activity.admin, web.id)
    assert [u.name for u in one] == ["web"]
    assert days(one[0].days)[date(2026, 3, 8)] == 5
    with pytest.raises(NotFound):
        await activity.uc.daily_usage.execute(activity.admin, new_id())


async def test_the_top_three_clients_of_the_last_24_hours(activity: Activity) -> None:
    activity.clock.current = NOW
    a, b, c, d = [(await activity.client(name))[0] for name in ("a", "b", "c", "d")]
    activity.traffic(a, NOW - timedelta(hours=1), 2)
    activity.traffic(b, NOW - timedelta(hours=23, minutes=59), 5)
    activity.traffic(c, NOW - timedelta(hours=2), 3)
    activity.traffic(d, NOW - timedelta(hours=3), 1)
    activity.traffic(d, NOW - timedelta(hours=24, seconds=1), 100)  # outside the window
    activity.traffic(None, NOW, 1000)

    top = await activity.uc.top_clients.execute(activity.admin)
    assert [(t.name, t.requests) for t in top] == [("b", 5), ("c", 3), ("a", 2)]


async def test_ties_go_by_client_id(activity: Activity) -> None:
    activity.clock.current = NOW
    clients = [(await activity.client(name))[0] for name in ("x", "y")]
    for client in clients:
        activity.traffic(client, NOW, 2)
    top = await activity.uc.top_clients.execute(activity.admin)
    assert [t.client_id for t in top] == sorted(c.id for c in clients)


async def test_usage_is_cached_briefly(activity: Activity) -> None:
    activity.clock.current = NOW
    mobile, _ = await activity.client("mobile")
    activity.traffic(mobile, NOW, 1)
    first = await activity.uc.daily_usage.execute(activity.admin)
    top = await activity.uc.top_clients.execute(activity.admin)
    activity.traffic(mobile, NOW, 1)
    activity.clock.advance(seconds=29)
    assert await activity.uc.daily_usage.execute(activity.admin) == first
    assert await activity.uc.top_clients.execute(activity.admin) == top
    activity.clock.advance(seconds=2)  # past SOCIAL_USAGE_CACHE_TTL_S (30 s)
    assert (await activity.uc.daily_usage.execute(activity.admin))[0].days[-1].requests == 2
    assert (await activity.uc.top_clients.execute(activity.admin))[0].requests == 2


async def test_retention_deletes_old_entries_in_batches(activity: Activity) -> None:
    activity.clock.current = NOW
    mobile, _ = await activity.client("mobile")
    activity.traffic(mobile, NOW - timedelta(days=30, seconds=1), 5)
    activity.traffic(None, NOW - timedelta(days=40), 2)
    activity.traffic(mobile, NOW - timedelta(days=29), 3)
    assert await activity.uc.purge_old_activity.execute() == 7
    assert len(activity.store.activity) == 3
    activity.traffic(None, NOW - timedelta(days=31), 5)

    batches: list[int] = []

    def uow() -> InMemoryUnitOfWork:
        batches.append(1)
        return InMemoryUnitOfWork(activity.store)

    small = PurgeOldActivity(uow=uow, clock=activity.clock, retention=timedelta(days=30), batch=2)
    assert await small.execute() == 5
    assert len(batches) == 3  # 2 + 2 + 1
    assert await small.execute() == 0
