"""The use cases the HTTP handlers are given: every parameter a handler (or a dependency of
one) declares as ``Injected[SomeUseCase]`` names a use case the composition root builds, of
that type; and every handler's dependencies are resolved one after the other."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar._kwargs import KwargsModel
from litestar.handlers import BaseRouteHandler
from litestar.params import SkipValidationMarker
from litestar.routes import ASGIRoute, HTTPRoute, WebSocketRoute
from litestar.utils.signature import ParsedSignature

from social.adapters.http.media.presenter import MediaPresenter
from social.app import create_app
from social.bootstrap import build_use_cases, use_case_types
from social.settings import Settings
from social.use_cases import UseCases, use_case_name
from tests.fakes.adapters import fake_adapters

NOT_USE_CASES = {"media": MediaPresenter}
"""Injected parameters that are not use cases, with their type."""


@pytest.fixture(scope="module")
def app_and_use_cases() -> tuple[Litestar, UseCases]:
    settings = Settings.from_values(environment="test")
    adapters = fake_adapters(settings)
    return create_app(settings, adapters), build_use_cases(adapters)


def _injected(where: str, signature: ParsedSignature) -> Iterator[tuple[str, str, Any]]:
    for parameter in signature.parameters.values():
        if parameter.is_di_field and parameter.has_metadata(SkipValidationMarker):
            yield where, parameter.name, parameter.annotation


def handlers(app: Litestar) -> Iterator[BaseRouteHandler]:
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            yield from route.route_handlers
        elif isinstance(route, WebSocketRoute | ASGIRoute):
            yield route.route_handler


def injected_parameters(app: Litestar) -> Iterator[tuple[str, str, Any]]:
    """(handler or dependency, parameter name, annotated type) of every ``Injected`` one."""
    for handler in handlers(app):
        yield from _injected(handler.handler_name, handler.parsed_fn_signature)
        for key, provide in handler.resolve_dependencies().items():
            yield from _injected(f"dependency {key}", provide.parsed_fn_signature)


def test_every_injected_use_case_is_built_with_its_type(
    app_and_use_cases: tuple[Litestar, UseCases],
) -> None:
    app, use_cases = app_and_use_cases
    found = list(injected_parameters(app))
    assert len({name for _, name, _ in found}) > 60  # the walk does see the handlers
    for where, name, kind in found:
        if name in NOT_USE_CASES:
            assert kind is NOT_USE_CASES[name], where
            continue
        assert name in use_cases.by_name, f"{where}: no use case is named {name!r}"
        assert isinstance(use_cases.by_name[name], kind), f"{where}: {name} is not a {kind}"
        assert name == use_case_name(kind), f"{where}: {name} should be {use_case_name(kind)}"


def test_a_parameter_named_like_a_use_case_is_the_use_case(
    app_and_use_cases: tuple[Litestar, UseCases],
) -> None:
    """Litestar gives a dependency to any parameter of its name: a query parameter named like
    a use case would silently receive the use case instead."""
    app, use_cases = app_and_use_cases
    injected = {(where, name) for where, name, _ in injected_parameters(app)}
    for handler in handlers(app):
        for name in handler.parsed_fn_signature.parameters:
            if name in use_cases.by_name:
                assert (handler.handler_name, name) in injected, (handler.handler_name, name)


def test_the_declared_use_cases_are_the_built_ones(
    app_and_use_cases: tuple[Litestar, UseCases],
) -> None:
    """The HTTP dependencies are made from ``use_case_types()`` before any adapter is open;
    the registry from what ``build_use_cases`` builds. They must agree."""
    _, use_cases = app_and_use_cases
    assert sorted(map(use_case_name, use_case_types())) == sorted(use_cases.by_name)
    assert {type(instance) for instance in use_cases} == set(use_case_types())


def test_dependencies_are_resolved_one_after_the_other(
    app_and_use_cases: tuple[Litestar, UseCases],
) -> None:
    """Side by side, Litestar would resolve them in a task group: measured, more than half the
    CPU of an empty home feed page."""
    app, _ = app_and_use_cases
    models: list[tuple[str, KwargsModel | None]] = []
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            models += [(route.path, model) for _, model in route.route_handler_map.values()]
        elif isinstance(route, WebSocketRoute):
            models.append((route.path, route.handler_parameter_model))
    feed = [model for path, model in models if path == "/api/v1/feed" and model]
    resolved = [[d.key for d in batch] for model in feed for batch in model.dependency_batches]
    assert {"home_feed", "authenticate", "viewer", "page"} <= {key for [key] in resolved}
    for path, model in models:
        if model is not None:
            assert all(len(batch) == 1 for batch in model.dependency_batches), path
