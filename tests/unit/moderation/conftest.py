"""These tests reuse the accounts harness (one fake store, the real composition root)."""

from __future__ import annotations

from tests.unit.accounts.conftest import accounts

__all__ = ["accounts"]
