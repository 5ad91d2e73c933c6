"""Operations through HTTP: security headers, the metrics behind the Grafana dashboard, the
process's GC settings."""

from __future__ import annotations

import gc
import json
import re
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient
from prometheus_client import REGISTRY

from social.app import create_app
from social.settings import Settings, SettingsError
from tests.api.conftest import METRICS, Api, api_settings, bearer

DASHBOARD = Path(__file__).parents[2] / "docs" / "grafana-dashboard.json"


async def test_every_response_carries_security_headers(api: Api) -> None:
    response = await api.client.get("/health/live")
    for name, value in {
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "no-referrer",
        "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    }.items():
        assert response.headers[name] == value, name
    assert "strict-transport-security" not in response.headers  # plain HTTP here
    docs = await api.client.get("/schema")
    assert "script-src 'self'" in docs.headers["content-security-policy"]


async def test_the_dashboard_only_charts_metrics_the_service_exports(api: Api) -> None:
    token = await api.token_for("alice")
    await api.client.get("/api/v1/me", headers=bearer(token))  # Litestar's metrics appear
    await api.client.get("/api/v1/nowhere")  # and a 404
    scraped = (await api.client.get("/metrics", headers=METRICS)).text
    dashboard = json.loads(DASHBOARD.read_text())
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    used = {
        re.sub(r"_(bucket|count|sum)$", "", m) for e in exprs for m in re.findall(r"social_\w+", e)
    }
    exported = {metric.name for metric in REGISTRY.collect()}
    exported |= {name.removesuffix("_total") for name in exported}
    exported.add("social_requests_error")  # Litestar makes it at the first unhandled error
    missing = {m for m in used if m not in exported and m.removesuffix("_total") not in exported}
    assert not missing, missing
    assert "social_requests_total" in scraped and "social_websocket_connections" in scraped


async def test_the_api_process_runs_with_the_configured_gc_thresholds(
    database_url: str, tmp_path: Path
) -> None:
    """Full collections pause the process for ~1.3 s at 10,000 open sockets; the thresholds
    that make them rare must be in force once the app has started."""
    before = gc.get_threshold()
    settings = api_settings(database_url, tmp_path, gc_thresholds=(40_000, 15, 90))
    try:
        async with AsyncTestClient(app=create_app(settings)) as client:
            assert (await client.get("/health/live")).status_code == 200
            assert gc.get_threshold() == (40_000, 15, 90)
    finally:
        gc.set_threshold(*before)


def test_gc_thresholds_are_read_from_the_environment() -> None:
    configured = Settings.from_env({"SOCIAL_GC_THRESHOLDS": "1000, 5,5"})
    assert configured.process.gc_thresholds == (1000, 5, 5)
    assert Settings.from_env({}).process.gc_thresholds == (50_000, 20, 100)
    with pytest.raises(SettingsError, match="SOCIAL_GC_THRESHOLDS"):
        Settings.from_env({"SOCIAL_GC_THRESHOLDS": "1000,5"})
