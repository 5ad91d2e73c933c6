"""Schemathesis over every operation of the OpenAPI document, as a signed-in admin.

Each operation gets generated requests, valid and invalid, from its schema (path parameters
mostly naming real objects of the fuzz world), and every answer must: not be a 5xx; have a
status, content type, headers and body the document declares for it; and, when it is an
error, be ``application/problem+json`` whose ``status`` is the response's.

Deterministic (a fixed seed, derandomized, no example database) and bounded, so a CI run stays
within its time budget and a failure repeats on the next run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar
from uuid import uuid4

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky
from schemathesis import Case, CheckContext
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response
from schemathesis.hooks import HookContext

from tests.fuzz.harness import FORWARD, client
from tests.fuzz.hostile import is_destructive
from tests.fuzz.openapi import document
from tests.fuzz.world import World, sign_in

pytestmark = pytest.mark.usefixtures("served")

MAX_EXAMPLES = 20
"""Generated requests per operation and phase (sized for CI: see the module docstring)."""

STATEFUL_EXAMPLES = 30
STATEFUL_STEPS = 8
STATEFUL_SEED = 20261203
"""Scenarios of the stateful test, and calls in each."""

PROBLEM_JSON = "application/problem+json"


@schemathesis.check
def errors_are_problem_json(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Every 4xx and 5xx is RFC 9457 problem+json naming the response's own status (on the
    Mastodon-compatible API, tag ``mastodon``: ``{"error": "..."}``, or its sign-in page)."""
    if response.status_code < 400:
        return None
    content_type = (response.headers.get("content-type") or [""])[0].split(";")[0].strip()
    if "mastodon" in (case.operation.tags or []):
        if case.operation.path == "/oauth/authorize" and content_type == "text/html":
            return True
        if content_type == PROBLEM_JSON and response.status_code in (400, 404, 405, 413, 431):
            return True  # refused before any route was chosen: one shape for both APIs
        assert content_type == "application/json", (
            f"{response.status_code} answered with {content_type or 'no content type'}, "
            f"not application/json: {response.content[:200]!r}"
        )
        error = response.json()
        assert isinstance(error, dict), f"error body is not an object: {error!r}"
        assert isinstance(error.get("error"), str), f"error body has no error: {error!r}"
        return True
    assert content_type == PROBLEM_JSON, (
        f"{response.status_code} answered with {content_type or 'no content type'}, "
        f"not {PROBLEM_JSON}: {response.content[:200]!r}"
    )
    body = response.json()
    assert isinstance(body, dict), f"problem body is not an object: {body!r}"
    missing = {"type", "title", "status", "detail"} - body.keys()
    assert not missing, f"problem body lacks {sorted(missing)}: {body!r}"
    assert body["status"] == response.status_code, (
        f"problem status {body['status']} differs from the response's {response.status_code}"
    )
    return True


class _Current:
    """The module's world; hooks run inside tests, after the fixture set it."""

    world: World | None = None


def flatmap_path_parameters(ctx: HookContext, path_parameters: dict[str, Any] | None) -> Any:
    """Mostly real objects (so requests get past the lookup), sometimes what was generated."""
    world = _Current.world
    if not path_parameters or world is None:
        return st.just(path_parameters)
    operation = ctx.operation
    destructive = operation is not None and is_destructive(operation.method, operation.path)
    pools = world.disposable if destructive else world.path_values
    choices = {
        name: st.sampled_from([*pools.get(name, world.path_values.get(name, [])), value])
        for name, value in path_parameters.items()
    }
    return st.fixed_dictionaries(choices)


def flatmap_body(ctx: HookContext, body: Any) -> Any:
    """Fields naming objects (``media_ids``, ``target_id``) sometimes name real ones, so a
    valid body can get past the lookups to the code behind them."""
    world = _Current.world
    if not isinstance(body, dict) or world is None:
        return st.just(body)
    choices = {
        name: st.sampled_from([value, *world.body_values[name]])
        if name in world.body_values
        else st.just(value)
        for name, value in body.items()
    }
    return st.fixed_dictionaries(choices)


CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "seed": 20261203,
        "base-url": "http://testserver",  # the in-process ASGI transport's host
        "checks": {
            # Request validation is asserted elsewhere (the hostile suite, the API tests): these
            # two cannot tell a business rule (wrong password, "you cannot block yourself", a
            # file that is no image, a cursor not issued here) from an inexact schema, and the
            # real objects this module substitutes into generated requests confuse them.
            "positive_data_acceptance": {"enabled": False},
            "negative_data_rejection": {"enabled": False},
        },
        "operations": [
            {
                # Schemathesis takes ``/like`` and ``/likes`` for one resource (it strips a plural
                # ``s``): after ``DELETE /posts/{id}/like`` (an unlike) the post's list of likers
                # is rightly 200, not the 404 of a deleted resource.
                "include-path": "/api/v1/posts/{post_id}/likes",
                "include-method": "GET",
                "checks": {"use_after_free": {"enabled": False}},
            }
        ],
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            # NUL is refused everywhere by one rule the schema cannot say; the hostile suite
            # sends it in every text input instead.
            "allow-x00": False,
        },
    }
)
schema = schemathesis.openapi.from_dict(document(), config=CONFIG)
schema.app = FORWARD
schema.hook(flatmap_path_parameters)
schema.hook(flatmap_body)


@pytest.fixture(autouse=True)
def _world_for_hooks(served: World) -> None:
    _Current.world = served


def _headers_for(case: Case[Any], world: World) -> dict[str, str]:
    """The signed-in user's, except for logging out, which ends the session it is sent with:
    it gets a session of its own."""
    if case.query:
        # A cursor is opaque and signed: any value the schema allows but the API did not issue
        # is rightly refused (422). The hostile suite still sends every hostile text as a cursor.
        case.query.pop("cursor", None)
    if case.method.upper() == "POST" and case.path.endswith("/auth/logout"):
        with client() as session:
            return sign_in(session)
    return world.headers()


@schema.parametrize()
def test_every_operation_keeps_its_contract(case: Case[Any], served: World) -> None:
    case.call_and_validate(headers=_headers_for(case, served))


class Workflows(schema.as_state_machine()):  # type: ignore[misc]
    """Sequences of calls linked by what earlier answers returned (inferred by Schemathesis
    from the document: a listed post's id feeds like, comment, bookmark, delete, ...).

    Failures are collected rather than raised: the server's state changes under the scenarios,
    so Hypothesis cannot replay one to shrink it (it reports that as flaky), and a replay must
    not be what hides a failure."""

    failures: ClassVar[list[str]] = []

    def get_call_kwargs(self, case: Case[Any]) -> dict[str, Any]:
        assert _Current.world is not None
        if case.method.upper() == "DELETE" and case.path == "/api/v1/me/sessions/{session_id}":
            # A link from the session list may name the signed-in user's own session, which
            # would sign every later step out: name no session (404) instead; the operation's
            # own test ends a session for real.
            case.path_parameters = {"session_id": str(uuid4())}
        return {"headers": _headers_for(case, _Current.world)}

    def validate_response(self, response: Response, case: Case[Any], **kwargs: Any) -> None:
        try:
            super().validate_response(response, case, **kwargs)
        except FailureGroup as failure:
            self.failures.append(f"{case.method} {case.path}: {failure}")


def test_workflows_keep_the_contract(served: World) -> None:
    """Runs last in the module: its deletes may remove the world's objects."""
    Workflows.failures.clear()
    scenarios = settings(
        max_examples=STATEFUL_EXAMPLES,
        stateful_step_count=STATEFUL_STEPS,
        phases=[Phase.generate],  # no replay: the state the scenario met is gone
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    for attempt in range(3):
        try:
            seed(STATEFUL_SEED + attempt)(Workflows).run(settings=scenarios)
            break
        except Flaky:
            # The server's state changed what a scenario drew (as in Schemathesis's own runner,
            # keep going with a fresh seed); failures were recorded as they happened.
            continue
    assert not Workflows.failures, "\n\n".join(Workflows.failures)


@pytest.fixture(autouse=True)
def _still_signed_in(served: World) -> Iterator[None]:
    """After each test the signed-in user still is: had an operation ended the session or the
    account, every later one would answer only 401 and the fuzzing would prove little."""
    yield
    with client() as session:
        me = session.get("/api/v1/me", headers=served.headers())
    assert me.status_code == 200, me.text
