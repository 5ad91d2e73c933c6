"""Which real services the test run may use, taken from ``SOCIAL_TEST_*`` variables.

``scripts/services.sh up`` starts them all and writes the variables to ``.services/env``.
Without a variable a service's tests skip (one loud summary line names them); with
``SOCIAL_REQUIRE_SERVICES=1`` (CI) a missing service fails those tests instead.
PostgreSQL is never missing: without ``SOCIAL_TEST_DATABASE_URL`` the suite starts an embedded
one (the ``pgserver`` binaries), exactly as ``social serve`` does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

__all__ = ["REQUIRED", "SKIP_MARK", "S3Config", "require_env"]

REQUIRED = os.environ.get("SOCIAL_REQUIRE_SERVICES", "") == "1"
SKIP_MARK = "not configured"


def require_env(service: str, *variables: str) -> dict[str, str]:
    """The service's variables, or skip (fail under ``SOCIAL_REQUIRE_SERVICES=1``) the test."""
    values = {name: os.environ.get(name, "") for name in variables}
    missing = [name for name, value in values.items() if not value]
    if missing:
        message = f"{service} {SKIP_MARK} ({', '.join(missing)} unset)"
        if REQUIRED:
            pytest.fail(f"SOCIAL_REQUIRE_SERVICES=1 but {message}", pytrace=False)
        pytest.skip(message)
    return values


@dataclass(frozen=True, slots=True)
class S3Config:
    endpoint: str
    access_key: str
    secret_key: str
