"""API clients, the activity log and the usage endpoints through HTTP (OPS-2): traffic from
several clients (and none) across UTC days is reported exactly, per client and per day; the top
clients come in the right order; keys are never stored or logged in clear."""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from social.adapters.observability.logs import JsonFormatter
from social.adapters.postgres.database import Database
from social.adapters.postgres.unit_of_work import SqlaUnitOfWork
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.app import create_app
from social.domain.activity.model import ActivityEntry, ApiClient, hash_api_key, new_api_key
from social.domain.shared.identity import Role
from social.domain.shared.ids import new_id
from social.settings import Settings
from tests.api.conftest import Api, api_settings, bearer, eventually
from tests.api.test_moderation import make, user_id
from tests.conftest import TEST_SECRET
from tests.fakes.accounts import AccountsStore
from tests.fakes.activity import InMemoryActivityLog
from tests.fakes.adapters import fake_adapters

ADMIN = "/api/v1/admin"


@pytest.fixture
async def fast_api(database: Database, database_url: str, tmp_path: Path) -> AsyncIterator[Api]:
    """The app with its real activity writer flushing every 50 ms."""
    settings = api_settings(database_url, tmp_path, activity_flush_interval_s=0.05)
    async with AsyncTestClient(app=create_app(settings)) as client:
        yield Api(client=client, database=database)


@pytest.fixture
def log_text() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def key(api_key: str) -> dict[str, str]:
    return {"X-Client-Key": api_key}


async def register_client(api: Api, admin: str, name: str) -> dict[str, Any]:
    response = await api.client.post(f"{ADMIN}/clients", json={"name": name}, headers=bearer(admin))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def seed(api: Api, client_id: str, at: datetime, count: int) -> None:
    """Older traffic, written through the repository as the writer would have."""
    cipher = EmailCipher(KeyRing.from_secret(TEST_SECRET))
    entry = ActivityEntry(UUID(client_id), None, "GET", "/api/v1/me", 200, 2.0, at)
    async with SqlaUnitOfWork(api.database.sessions, cipher) as uow:
        await uow.activity.add_many([entry] * count)
        await uow.commit()


async def rows(api: Api, sql: str, **params: Any) -> list[Any]:
    async with api.database.engine.connect() as connection:
        return list((await connection.execute(text(sql), params)).all())


async def test_usage_reports_exactly_the_traffic_per_client_and_day(
    fast_api: Api, log_text: io.StringIO
) -> None:
    api = fast_api
    admin = await api.token_for("boss")
    await make(api, "boss", Role.ADMIN)
    alice = await api.token_for("alice")
    alice_id = await user_id(api, "alice")
    forbidden = await api.client.post(
        f"{ADMIN}/clients", json={"name": "sneaky"}, headers=bearer(alice)
    )
    assert forbidden.status_code == 403
    clients = {name: await register_client(api, admin, name) for name in ("mobile", "web", "tv")}
    clients["idle"] = await register_client(api, admin, "idle")
    taken = await api.client.post(f"{ADMIN}/clients", json={"name": "web"}, headers=bearer(admin))
    assert taken.status_code == 409
    ids = {name: c["id"] for name, c in clients.items()}
    keys = {name: c["api_key"] for name, c in clients.items()}

    now = datetime.now(UTC)
    await seed(api, ids["web"], now - timedelta(hours=30), 10)  # an earlier UTC day, not top
    await seed(api, ids["mobile"], now - timedelta(days=3), 4)
    for _ in range(5):
        answer = await api.client.get(
            "/api/v1/users/alice", headers=key(keys["mobile"]) | bearer(alice)
        )
        assert answer.status_code == 200
    for _ in range(2):
        await api.client.get("/api/v1/me", headers=key(keys["web"]) | bearer(alice))
    for _ in range(3):
        await api.client.get("/api/v1/users/alice", headers=key(keys["tv"]))
    await api.client.get("/api/v1/users/nobody-here", headers=key(keys["idle"]))  # a 404
    for _ in range(3):
        await api.client.get("/api/v1/users/alice")  # no key: nobody's
    made_up = "sk_" + "x" * 43  # well-formed: looked up, and refused
    refused_from = datetime.now(UTC)
    unknown = await api.client.get("/api/v1/users/alice", headers=key(made_up))
    refused_until = datetime.now(UTC)
    assert unknown.status_code == 401
    assert unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["detail"] == "unknown API client key"

    async def flushed() -> bool:
        found = await rows(
            api,
            "SELECT count(*) FROM api_activity WHERE client_id IS NOT NULL AND created_at > :t",
            t=now - timedelta(minutes=5),
        )
        return bool(found[0][0] == 11)

    await eventually(flushed, 10)
    daily = await api.client.get(f"{ADMIN}/usage/daily", headers=bearer(admin))
    assert daily.status_code == 200, daily.text
    week = [(now.date() - timedelta(days=back)).isoformat() for back in range(6, -1, -1)]
    expected = {
        "mobile": {week[-1]: 5, (now - timedelta(days=3)).date().isoformat(): 4},
        "web": {week[-1]: 2, (now - timedelta(hours=30)).date().isoformat(): 10},
        "tv": {week[-1]: 3},
        "idle": {week[-1]: 1},
    }
    assert [(u["client_id"], u["name"]) for u in daily.json()] == [
        (ids[name], name) for name in ("mobile", "web", "tv", "idle")
    ]
    for usage in daily.json():
        assert [d["date"] for d in usage["days"]] == week
        counts = expected[usage["name"]]
        assert [d["requests"] for d in usage["days"]] == [counts.get(day, 0) for day in week]

    one = await api.client.get(
        f"{ADMIN}/usage/daily", params={"client_id": ids["web"]}, headers=bearer(admin)
    )
    assert one.json() == [u for u in daily.json() if u["name"] == "web"]
    missing = await api.client.get(
        f"{ADMIN}/usage/daily", params={"client_id": str(uuid4())}, headers=bearer(admin)
    )
    assert missing.status_code == 404
    top = await api.client.get(f"{ADMIN}/usage/top", headers=bearer(admin))
    assert top.json() == [
        {"client_id": ids["mobile"], "name": "mobile", "requests": 5},
        {"client_id": ids["tv"], "name": "tv", "requests": 3},
        {"client_id": ids["web"], "name": "web", "requests": 2},  # its 10 are 30 h old
    ]
    denied = await api.client.get(f"{ADMIN}/usage/top", headers=bearer(alice))
    assert denied.status_code == 403

    # Cached: a new request shows only once the cache expires (30 s).
    await api.client.get("/api/v1/users/alice", headers=key(keys["mobile"]))
    await eventually(lambda: _count(api, ids["mobile"], 6 + 4), 10)
    again = await api.client.get(f"{ADMIN}/usage/daily", headers=bearer(admin))
    assert again.json() == daily.json()

    # What each row says: the route template (never the concrete path), user, status.
    recorded = await rows(
        api,
        "SELECT client_id, user_id, method, route, status, latency_ms FROM api_activity"
        " WHERE client_id = :c AND created_at > :t",
        c=UUID(ids["mobile"]),
        t=now - timedelta(minutes=5),
    )
    assert {(r.user_id, r.method, r.route) for r in recorded} == {
        (UUID(alice_id), "GET", "/api/v1/users/{username}"),
        (None, "GET", "/api/v1/users/{username}"),
    }
    assert all(r.status == 200 and r.latency_ms > 0 for r in recorded)
    idle = await rows(
        api, "SELECT status FROM api_activity WHERE client_id = :c", c=UUID(ids["idle"])
    )
    assert [r.status for r in idle] == [404]
    # the made-up key's request, recorded as nobody's (the tests of a run share this database:
    # only the rows of that moment are this request's)
    refused = await rows(
        api,
        "SELECT method, route, user_id FROM api_activity WHERE client_id IS NULL"
        " AND status = 401 AND created_at BETWEEN :a AND :b",
        a=refused_from,
        b=refused_until,
    )
    assert [tuple(r) for r in refused] == [("GET", "/api/v1/users/{username}", None)]

    listed = await api.client.get(f"{ADMIN}/clients", headers=bearer(admin))
    assert [c["name"] for c in listed.json()] == ["mobile", "web", "tv", "idle"]
    assert all("api_key" not in c and c["revoked_at"] is None for c in listed.json())
    revoked = await api.client.delete(f"{ADMIN}/clients/{ids['idle']}", headers=bearer(admin))
    assert revoked.status_code == 204
    gone = await api.client.get("/api/v1/users/alice", headers=key(keys["idle"]))
    assert gone.status_code == 401

    # Keys are never stored nor logged in clear.
    stored = await rows(api, "SELECT * FROM api_clients")
    dumped = repr(stored) + repr(await rows(api, "SELECT * FROM api_activity"))
    for name, api_key in keys.items():
        assert api_key not in dumped
        assert api_key[9:] not in dumped  # not even the secret part
        row = next(r for r in stored if r.name == name)
        assert bytes(row.key_hash) == hashlib.sha256(api_key.encode()).digest()
        assert api_key.startswith(row.key_prefix)
        assert api_key not in log_text.getvalue()
    assert made_up not in log_text.getvalue()


async def _count(api: Api, client_id: str, expected: int) -> bool:
    found = await rows(
        api, "SELECT count(*) FROM api_activity WHERE client_id = :c", c=UUID(client_id)
    )
    return bool(found[0][0] == expected)


async def test_every_api_request_is_recorded_and_nothing_else(tmp_path: Path) -> None:
    """On fakes: the entry of each request, the stream included; health and docs are not API."""
    settings = Settings.from_values(
        environment="test", data_dir=tmp_path, secret_key=TEST_SECRET.decode()
    )
    store = AccountsStore()
    tv_key = new_api_key()
    known = ApiClient(new_id(), "tv", tv_key[:9], hash_api_key(tv_key), datetime.now(UTC))
    store.api_clients[known.id] = known
    adapters = fake_adapters(settings, store=store)
    activity = adapters.activity
    assert isinstance(activity, InMemoryActivityLog)
    async with AsyncTestClient(app=create_app(settings, adapters=adapters)) as client:
        registered = await client.post(
            "/api/v1/auth/register",
            json={"username": "alice", "email": "a@example.com", "password": "a sturdy pass 42"},
        )
        token = registered.json()["tokens"]["access_token"]
        await client.get("/api/v1/me", headers=bearer(token))
        await client.get("/health/live")
        await client.get("/schema/openapi.json")
        await client.get("/api/v1/admin/usage/top", headers=bearer(token))
        stream = f"/api/v1/stream?access_token={token}"
        with await client.websocket_connect(stream, headers=key(tv_key)) as socket:
            assert socket.receive_json()["event"] == "ready"
        unknown = key("sk_" + "u" * 43)
        with (
            pytest.raises(WebSocketDisconnect) as refused,
            await client.websocket_connect(stream, headers=unknown),
        ):
            pass
        assert refused.value.code == 4401
    entries = [(e.method, e.route, e.status, e.client_id) for e in activity.entries]
    assert entries[:3] == [
        ("POST", "/api/v1/auth/register", 201, None),
        ("GET", "/api/v1/me", 200, None),
        ("GET", "/api/v1/admin/usage/top", 403, None),
    ]
    assert sorted(entries[3:], key=lambda e: e[2]) == [  # the sockets end in either order
        ("WS", "/api/v1/stream", 101, known.id),
        ("WS", "/api/v1/stream", 403, None),
    ]
    me = activity.entries[1]
    streamed = next(e for e in activity.entries if e.status == 101)
    assert me.user_id is not None and me.user_id == streamed.user_id
    assert activity.entries[0].user_id is None
    assert all(e.latency_ms >= 0 and e.at.tzinfo is not None for e in activity.entries)
