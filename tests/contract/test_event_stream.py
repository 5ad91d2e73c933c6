"""One suite for the ``EventStream`` port, in process memory and on Redis pub/sub; plus, for
Redis, delivery across processes, unsubscribing, and surviving a restart of Redis."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest
from redis.asyncio import Redis

from social.adapters.realtime.memory_stream import InMemoryEventStream
from social.adapters.realtime.redis_stream import RedisEventStream
from social.domain.notifications.model import StreamEvent
from social.domain.shared.errors import Unavailable
from social.domain.shared.ids import new_id
from tests.services import REQUIRED

WAIT_S = 2.0
T = TypeVar("T")
Stream = InMemoryEventStream | RedisEventStream


def event(name: str, **data: object) -> StreamEvent:
    return StreamEvent(name, dict(data))


async def receive(events: AsyncIterator[StreamEvent]) -> StreamEvent:
    """The next event, or a failure (never a hang) when none comes."""
    return await asyncio.wait_for(anext(events), WAIT_S)


async def receive_all(events: AsyncIterator[StreamEvent], count: int) -> list[StreamEvent]:
    return [await receive(events) for _ in range(count)]


@dataclass
class Streams:
    """Makes streams of one kind; every stream made (and its Redis client) closes after."""

    make: Callable[[int], Awaitable[Stream]]
    exits: AsyncExitStack = field(default_factory=AsyncExitStack)

    async def new(self, queue_size: int = 256) -> Stream:
        return await self.make(queue_size)


@pytest.fixture
async def memory_streams() -> Streams:
    async def make(queue_size: int) -> Stream:
        return InMemoryEventStream(queue_size)

    return Streams(make)


def redis_streams_on(url: str, prefix: str, exits: AsyncExitStack) -> Streams:
    async def make(queue_size: int) -> Stream:
        client = Redis.from_url(url)
        exits.push_async_callback(client.aclose)
        stream = RedisEventStream(client, prefix=prefix, queue_size=queue_size)
        exits.push_async_callback(stream.close)
        return stream

    return Streams(make, exits)


@pytest.fixture
def prefix() -> str:
    return f"social-test:stream:{secrets.token_hex(6)}:"


@pytest.fixture
async def redis_streams(redis_url: str, prefix: str) -> AsyncIterator[Streams]:
    async with AsyncExitStack() as exits:
        yield redis_streams_on(redis_url, prefix, exits)


@pytest.fixture(params=["memory", "redis"])
def streams(request: pytest.FixtureRequest) -> Streams:
    made: Streams = request.getfixturevalue(f"{request.param}_streams")
    return made


async def test_a_subscriber_receives_its_users_events_in_order(streams: Streams) -> None:
    stream = await streams.new()
    alice, bob = new_id(), new_id()
    sent = [event("notification", n=i, text="é") for i in range(5)]
    async with stream.subscribe(alice) as events:
        await stream.publish([bob], event("for bob"))
        for one in sent:
            await stream.publish([alice], one)
        assert await receive_all(events, 5) == sent
        await stream.publish([bob], event("for bob again"))
        await stream.publish([alice], event("marker", nested={"a": [1, None, True]}))
        # bob's events never reached alice: the next one is the marker
        assert await receive(events) == event("marker", nested={"a": [1, None, True]})


async def test_every_subscriber_of_a_user_receives(streams: Streams) -> None:
    stream = await streams.new()
    alice = new_id()
    async with stream.subscribe(alice) as first, stream.subscribe(alice) as second:
        await stream.publish([alice], event("one"))
        await stream.publish([alice], event("two"))
        assert await receive_all(first, 2) == [event("one"), event("two")]
        assert await receive_all(second, 2) == [event("one"), event("two")]
        async with stream.subscribe(alice) as third:
            await stream.publish([alice], event("three"))
            assert await receive(third) == event("three")
        await stream.publish([alice], event("four"))
        assert await receive_all(first, 2) == [event("three"), event("four")]
        assert await receive_all(second, 2) == [event("three"), event("four")]


async def test_one_publish_reaches_several_users(streams: Streams) -> None:
    stream = await streams.new()
    alice, bob, carol = new_id(), new_id(), new_id()
    async with (
        stream.subscribe(alice) as to_alice,
        stream.subscribe(bob) as to_bob,
        stream.subscribe(carol) as to_carol,
    ):
        await stream.publish([], event("to nobody"))
        await stream.publish([alice, bob, new_id()], event("both"))
        assert await receive(to_alice) == event("both")
        assert await receive(to_bob) == event("both")
        await stream.publish([carol], event("marker"))
        assert await receive(to_carol) == event("marker")


async def test_a_publish_to_many_users_reaches_each_subscriber_once(streams: Streams) -> None:
    """Enough recipients for the Redis adapter's one-message fan-out, most with no socket."""
    stream = await streams.new()
    everyone = [new_id() for _ in range(200)]
    alice, bob = everyone[7], everyone[150]
    async with (
        stream.subscribe(alice) as to_alice,
        stream.subscribe(alice) as to_alice_again,
        stream.subscribe(bob) as to_bob,
    ):
        await stream.publish([*everyone, alice], event("fan-out", post="p1"))
        await stream.publish([alice], event("marker"))
        await stream.publish([bob], event("marker"))
        for events in (to_alice, to_alice_again):
            assert await receive_all(events, 2) == [event("fan-out", post="p1"), event("marker")]
        assert await receive_all(to_bob, 2) == [event("fan-out", post="p1"), event("marker")]


async def test_events_before_subscribing_or_after_leaving_are_missed(streams: Streams) -> None:
    stream = await streams.new()
    alice = new_id()
    await stream.publish([alice], event("before"))
    async with stream.subscribe(alice) as events:
        await stream.publish([alice], event("during"))
        assert await receive(events) == event("during")
    assert stream.hub.users() == set()
    await stream.publish([alice], event("after"))
    async with stream.subscribe(alice) as events:
        await stream.publish([alice], event("again"))
        assert await receive(events) == event("again")


async def test_a_subscriber_that_stops_reading_does_not_block_the_others(
    streams: Streams,
) -> None:
    stream = await streams.new(queue_size=2)
    alice, bob = new_id(), new_id()
    sent = [event("e", n=i) for i in range(6)]
    async with (
        stream.subscribe(alice) as stuck,
        stream.subscribe(alice) as reading,
        stream.subscribe(bob) as other,
    ):
        for one in sent:
            await asyncio.wait_for(stream.publish([alice, bob], one), WAIT_S)
            assert await receive(reading) == one
            assert await receive(other) == one
        # the stuck one kept what fitted and lost the rest, and reads on from there
        assert await receive_all(stuck, 2) == sent[:2]
        await stream.publish([alice], event("later"))
        assert await receive(stuck) == event("later")
        assert await receive(reading) == event("later")


async def test_redis_delivers_across_processes(redis_streams: Streams) -> None:
    here, there = await redis_streams.new(), await redis_streams.new()  # own clients each
    alice, bob = new_id(), new_id()
    async with there.subscribe(alice) as on_there, here.subscribe(bob) as on_here:
        await here.publish([alice], event("from here"))
        assert await receive(on_there) == event("from here")
        await there.publish([bob, alice], event("from there"))
        assert await receive(on_here) == event("from there")
        assert await receive(on_there) == event("from there")
        assert here.hub.users() == {bob} and there.hub.users() == {alice}


async def test_redis_fans_out_in_one_message_read_by_every_process_with_sockets(
    redis_streams: Streams, redis_url: str, prefix: str
) -> None:
    here, there, publisher = [await redis_streams.new() for _ in range(3)]
    followers = [new_id() for _ in range(50)]
    observer = Redis.from_url(redis_url)
    redis_streams.exits.push_async_callback(observer.aclose)

    async def readers() -> int:
        ((_, count),) = await observer.pubsub_numsub(f"{prefix}fan-out")
        return int(count)

    async with here.subscribe(followers[0]) as on_here, there.subscribe(followers[49]) as on_there:
        await eventually(readers, 2)  # the publisher has no socket: it does not listen
        await publisher.publish(followers, event("feed_item", post="p2"))
        assert await receive(on_here) == event("feed_item", post="p2")
        assert await receive(on_there) == event("feed_item", post="p2")
    await eventually(readers, 0)  # the last socket of each process closed


async def test_redis_stops_listening_with_the_last_local_subscriber(
    redis_streams: Streams, redis_url: str, prefix: str
) -> None:
    stream = await redis_streams.new()
    alice, bob = new_id(), new_id()
    channel = f"{prefix}{alice.hex}"
    observer = Redis.from_url(redis_url)
    redis_streams.exits.push_async_callback(observer.aclose)

    async def subscriptions() -> int:
        ((_, count),) = await observer.pubsub_numsub(channel)
        return int(count)

    async with stream.subscribe(bob) as to_bob:
        async with stream.subscribe(alice) as first:
            async with stream.subscribe(alice):
                assert stream.hub.users() == {alice, bob}
            assert stream.hub.users() == {alice, bob}
            await eventually(subscriptions, 1)
            await stream.publish([alice], event("still here"))
            assert await receive(first) == event("still here")
        assert stream.hub.users() == {bob}
        await eventually(subscriptions, 0)  # the process left the channel
        await stream.publish([alice, bob], event("nobody for alice"))
        assert await receive(to_bob) == event("nobody for alice")
        async with stream.subscribe(alice) as back:
            await eventually(subscriptions, 1)
            await stream.publish([alice], event("back"))
            assert await receive(back) == event("back")
    assert stream.hub.users() == set()
    await eventually(subscriptions, 0)


async def eventually(read: Callable[[], Awaitable[T]], expected: T) -> None:
    deadline = time.monotonic() + WAIT_S
    while (current := await read()) != expected:
        assert time.monotonic() < deadline, f"{current!r} never became {expected!r}"
        await asyncio.sleep(0.02)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class OwnRedis:
    """A Redis server of this test's own, so stopping it disturbs nobody else."""

    binary: str
    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 5
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                assert self.process.poll() is None, "redis-server exited"
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    binary = shutil.which("redis-server")
    if binary is None:
        if REQUIRED:
            pytest.fail("redis-server is not installed (scripts/services.sh installs it)")
        pytest.skip("redis-server not installed")
    server = OwnRedis(binary, _free_port(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


async def test_redis_subscribers_survive_a_restart_of_redis(
    own_redis: OwnRedis, prefix: str
) -> None:
    async with AsyncExitStack() as exits:
        streams = redis_streams_on(own_redis.url, prefix, exits)
        stream, elsewhere = await streams.new(), await streams.new()
        alice = new_id()
        async with stream.subscribe(alice) as events:
            await elsewhere.publish([alice], event("before"))
            assert await receive(events) == event("before")

            own_redis.kill()
            for publisher in (stream, elsewhere):
                with pytest.raises(Unavailable) as caught:
                    await asyncio.wait_for(publisher.publish([alice], event("lost")), WAIT_S)
                assert caught.value.dependency == "stream"
            await asyncio.sleep(1.5)  # the reader notices and keeps retrying
            own_redis.start()  # a new, empty server on the same port

            # one pending read (a timed-out read would close the iterator), publishes until
            # it completes: the reader reconnects and redis-py subscribes the channel again
            pending = asyncio.ensure_future(anext(events))
            exits.callback(pending.cancel)
            deadline = time.monotonic() + 10
            while not pending.done():
                assert time.monotonic() < deadline, "the subscriber never heard again"
                with contextlib.suppress(Unavailable):
                    await elsewhere.publish([alice], event("after"))
                await asyncio.wait({pending}, timeout=0.25)
            assert pending.result() == event("after")
            await stream.publish([alice], event("and on"))
            while (got := await receive(events)) == event("after"):
                pass  # extra copies of the retried publish
            assert got == event("and on")
