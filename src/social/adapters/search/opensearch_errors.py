"""OpenSearch failures as the domain sees them: unreachable or overloaded → ``Unavailable``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opensearchpy import ConnectionError as SearchConnectionError
from opensearchpy import TransportError

from social.domain.shared.errors import Unavailable

__all__ = ["DEPENDENCY", "translate_errors"]

DEPENDENCY = "search"
_UNAVAILABLE_STATUSES = frozenset({429, 502, 503, 504})


@contextmanager
def translate_errors() -> Iterator[None]:
    """Unreachable or overloaded OpenSearch → ``Unavailable``; anything else is a bug to see."""
    try:
        yield
    except SearchConnectionError as exc:
        raise Unavailable("the search service is unreachable", dependency=DEPENDENCY) from exc
    except TransportError as exc:
        if exc.status_code in _UNAVAILABLE_STATUSES:
            raise Unavailable(
                f"the search service answered {exc.status_code}", dependency=DEPENDENCY
            ) from exc
        raise
