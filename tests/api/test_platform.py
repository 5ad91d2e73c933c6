"""What surrounds the API: docs, health, metrics, request ids, rate limits, error shape."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import AsyncTestClient

from social.adapters.postgres.database import Database, DatabaseCheck
from social.adapters.postgres.overlay import AsyncpgViewerOverlay
from social.adapters.postgres.read_pool import ReadPool
from social.adapters.postgres.unit_of_work import SqlaUnitOfWork
from social.adapters.security.email_cipher import EmailCipher
from social.adapters.security.keys import KeyRing
from social.app import create_app
from tests.api.conftest import METRICS, PASSWORD, Api, api_settings
from tests.conftest import TEST_SECRET
from tests.fakes.adapters import fake_adapters


async def test_openapi_document_and_docs_page(api: Api) -> None:
    document = (await api.client.get("/schema/openapi.json")).json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for path in (
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/me/password",
        "/api/v1/users/{username}",
    ):
        assert path in paths, path
    login = paths["/api/v1/auth/login"]["post"]
    assert login["operationId"] == "login" and "401" in login["responses"]
    assert "BearerToken" in document["components"]["securitySchemes"]
    page = await api.client.get("/schema")
    assert page.status_code == 200 and "/schema/assets/swagger-ui-bundle.js" in page.text
    asset = await api.client.get("/schema/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.content) > 100_000


async def test_health_endpoints(api: Api) -> None:
    assert (await api.client.get("/health/live")).json() == {"status": "ok"}
    ready = await api.client.get("/health/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"]["database"] == "ok"


async def test_readiness_names_the_dependency_that_is_down(
    database_url: str, tmp_path: Path
) -> None:
    app = create_app(api_settings(database_url, tmp_path))
    async with AsyncTestClient(app=app) as client:
        dead = Database.connect(
            "postgresql+asyncpg://postgres@127.0.0.1:1/none", pool_size=1, pool_timeout_s=1
        )
        checks = app.state.adapters.checks
        checks[[c.name for c in checks].index("database")] = DatabaseCheck(dead)
        response = await client.get("/health/ready")
        await dead.close()
    assert response.status_code == 503
    body = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert body["down"] == ["database"] and "database" in body["detail"]
    assert body["checks"]["storage"] == "ok"


async def test_metrics_and_request_ids(api: Api) -> None:
    response = await api.client.get("/api/v1/users/nobody", headers={"X-Request-ID": "req-123"})
    assert response.headers["x-request-id"] == "req-123"
    generated = await api.client.get("/health/live", headers={"X-Request-ID": "bad id with spaces"})
    assert generated.headers["x-request-id"] != "bad id with spaces"
    metrics = (await api.client.get("/metrics", headers=METRICS)).text
    assert "social_requests_total" in metrics
    assert 'path="/api/v1/users/{username}"' in metrics


async def test_unknown_routes_and_methods_are_problems(api: Api) -> None:
    missing = await api.client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["type"] == "/problems/not-found"
    wrong = await api.client.delete("/api/v1/auth/login")
    assert wrong.status_code == 405 and wrong.headers["content-type"].startswith(
        "application/problem+json"
    )


async def test_login_is_rate_limited_with_standard_headers(
    database_url: str, tmp_path: Path
) -> None:
    app = create_app(
        api_settings(database_url, tmp_path, rate_limit_login=3, rate_limit_login_window_s=60)
    )
    async with AsyncTestClient(app=app) as client:
        body = {"login": "nobody", "password": PASSWORD}
        statuses = []
        for _ in range(4):
            response = await client.post("/api/v1/auth/login", json=body)
            statuses.append(response.status_code)
        assert statuses == [401, 401, 401, 429]
        assert response.headers["content-type"].startswith("application/problem+json")
        assert 0 < int(response.headers["retry-after"]) <= 60
        assert response.headers["ratelimit-limit"] == "3"
        assert response.headers["ratelimit-remaining"] == "0"
        assert int(response.headers["ratelimit-reset"]) <= 60
        other_route = await client.get("/api/v1/users/nobody")
        assert other_route.status_code == 404


async def test_a_database_outage_is_a_503_problem_not_a_500(tmp_path: Path) -> None:
    dead_url = "postgresql+asyncpg://postgres@127.0.0.1:1/none"
    dead = Database.connect(dead_url, pool_size=1, pool_timeout_s=1)
    reads = ReadPool(dead_url, size=1, acquire_timeout_s=1)
    cipher = EmailCipher(KeyRing.from_secret(TEST_SECRET))
    settings = api_settings(dead_url, tmp_path)
    adapters = fake_adapters(
        settings,
        uow=lambda: SqlaUnitOfWork(dead.sessions, cipher),
        overlay=AsyncpgViewerOverlay(reads),
    )
    async with AsyncTestClient(app=create_app(settings, adapters)) as client:
        response = await client.get("/api/v1/users/alice")
        login = await client.post(
            "/api/v1/auth/login", json={"login": "alice", "password": PASSWORD}
        )
    await dead.close()  # (the read pool never got a connection: nothing to close)
    for answer in (response, login):
        assert answer.status_code == 503
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.headers["retry-after"] == "5"
        assert "127.0.0.1" not in answer.text and "Traceback" not in answer.text
