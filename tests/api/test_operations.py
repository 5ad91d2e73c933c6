"""Operations through HTTP: security headers, the metrics behind the Grafana dashboard."""

from __future__ import annotations

import json
import re
from pathlib import Path

from prometheus_client import REGISTRY

from tests.api.conftest import Api, bearer

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
    scraped = (await api.client.get("/metrics")).text
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
