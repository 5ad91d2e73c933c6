"""The fixture every context's unit tests share: the use cases on fakes (``harness.py``)."""

from __future__ import annotations

import pytest

from tests.unit.harness import Accounts, build_accounts


@pytest.fixture
def accounts() -> Accounts:
    """A fresh fake database, the real composition root's use cases on it."""
    return build_accounts()
