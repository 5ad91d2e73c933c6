"""``/metrics`` on the API port (issue 13): only for a scraper with ``SOCIAL_METRICS_TOKEN``,
and not served at all without one."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import AsyncTestClient

from social.app import create_app
from tests.api.conftest import METRICS, Api, api_settings


async def test_metrics_ask_for_the_token(api: Api) -> None:
    await api.client.get("/api/v1/users/nobody")  # something for Litestar's metrics to show
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
        refused = await api.client.get("/metrics", headers=headers)
        assert refused.status_code == 401, headers
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "social_requests_total" not in refused.text
    scraped = await api.client.get("/metrics", headers=METRICS)
    assert scraped.status_code == 200
    assert "social_requests_total" in scraped.text


async def test_without_a_token_metrics_are_not_served(database_url: str, tmp_path: Path) -> None:
    settings = api_settings(database_url, tmp_path, metrics_token="")
    async with AsyncTestClient(app=create_app(settings)) as client:
        for headers in ({}, METRICS):
            missing = await client.get("/metrics", headers=headers)
            assert missing.status_code == 404
            assert missing.headers["content-type"].startswith("application/problem+json")
