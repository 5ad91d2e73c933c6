"""No secret, token or password ever appears in the logs (AUTH-5); each line is JSON with the
request's id."""

from __future__ import annotations

import io
import json
import logging

from social.adapters.observability.logs import JsonFormatter
from tests.api.conftest import PASSWORD, Api, bearer


async def test_logs_are_json_with_request_ids_and_no_secrets(api: Api) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # the test's own client, as in production
    try:
        body = await api.register("alice", email="alice.private@example.com")
        tokens = body["tokens"]
        await api.client.post(
            "/api/v1/auth/login", json={"login": "alice", "password": "wrong password!"}
        )
        await api.client.get(
            "/api/v1/me?access_token=leaky", headers=bearer(tokens["access_token"])
        )
        await api.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
        logging.getLogger("social.test").info(
            "with extras", extra={"password": "p", "api_token": "t"}
        )
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
    text = stream.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    access = [line for line in lines if line["logger"] == "social.access"]
    assert len(access) >= 4
    assert all(len(line["request_id"]) == 32 for line in access)
    assert {line["route"] for line in access} >= {"/api/v1/auth/register", "/api/v1/me"}
    for secret in (
        PASSWORD,
        "wrong password!",
        tokens["access_token"],
        tokens["refresh_token"],
        "leaky",
        "alice.private",
    ):
        assert secret not in text
    extras = next(line for line in lines if line["message"] == "with extras")
    assert extras["password"] == extras["api_token"] == "[redacted]"
