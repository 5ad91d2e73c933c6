"""The composition root: which adapter serves each port, decided once from settings, and the
use cases built on them.

Embedded default (no service settings): a PostgreSQL the app starts itself, media on the local
disk, PostgreSQL search, SAQ jobs on the PostgreSQL queue run inside the API process, in-memory
rate limits. Production: each service URL that is set switches its port to the real service.

Its modules: ``adapters`` (what is opened), ``open`` (opening it all) from its parts
(``database``, ``pools``, ``shared_state``, ``services``, ``caches``, ``processing``),
``use_cases`` (one builder per domain context; the settings groups give their limits).

The names below are loaded on first use: ``social serve`` and ``social migrate`` import
``database`` alone, not every adapter (seconds, and 70 MB in a process that stays up).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from social.bootstrap.adapters import Adapters, AppUnitOfWork
    from social.bootstrap.database import embedded_database, migrate_if_due, prepare_database
    from social.bootstrap.open import open_adapters
    from social.bootstrap.processing import build_hasher, build_token_issuer
    from social.bootstrap.services import open_storage
    from social.bootstrap.use_cases import build_use_cases, use_case_types

__all__ = [
    "Adapters",
    "AppUnitOfWork",
    "build_hasher",
    "build_token_issuer",
    "build_use_cases",
    "embedded_database",
    "migrate_if_due",
    "open_adapters",
    "open_storage",
    "prepare_database",
    "use_case_types",
]

_MODULES = {
    "Adapters": "adapters",
    "AppUnitOfWork": "adapters",
    "build_hasher": "processing",
    "build_token_issuer": "processing",
    "build_use_cases": "use_cases",
    "embedded_database": "database",
    "migrate_if_due": "database",
    "open_adapters": "open",
    "open_storage": "services",
    "prepare_database": "database",
    "use_case_types": "use_cases",
}


def __getattr__(name: str) -> object:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value: object = getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
    globals()[name] = value
    return value
