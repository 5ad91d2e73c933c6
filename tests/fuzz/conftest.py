"""Fixtures for the fuzzers: a populated world per module, and the app serving it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from social.app import create_app
from tests.fuzz.harness import fuzz_settings, populated_world, serving
from tests.fuzz.world import World


@pytest.fixture(scope="module")
def fuzz_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
async def world(database_url: str, fuzz_data_dir: Path) -> AsyncIterator[World]:
    """Accounts, posts, comments, media, reports, clients; the database is emptied after."""
    async for built in populated_world(database_url, fuzz_data_dir):
        yield built


@pytest.fixture(scope="module")
def served(database_url: str, fuzz_data_dir: Path, world: World) -> Iterator[World]:
    """The app (rate limits off, no job worker) serving the world, for the module's tests."""
    serving(create_app(fuzz_settings(database_url, fuzz_data_dir)))
    yield world
    serving(None)
