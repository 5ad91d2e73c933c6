"""OpenSearch failures as the domain sees them: unreachable, overloaded or failing itself →
``Unavailable`` (503 to the client, never a 500); a 4xx is a query we built wrong, a bug to see."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from opensearchpy import ConnectionError as SearchConnectionError
from opensearchpy import TransportError

from social.domain.shared.errors import Unavailable

__all__ = ["DEPENDENCY", "translate_errors"]

DEPENDENCY = "search"
_UNAVAILABLE_STATUSES = frozenset({429, 502, 503, 504})
log = logging.getLogger(__name__)


@contextmanager
def translate_errors() -> Iterator[None]:
    """Unreachable, overloaded or failing OpenSearch → ``Unavailable``; a 4xx is re-raised."""
    try:
        yield
    except SearchConnectionError as exc:
        raise Unavailable("the search service is unreachable", dependency=DEPENDENCY) from exc
    except TransportError as exc:
        if exc.status_code in _UNAVAILABLE_STATUSES:
            raise Unavailable(
                f"the search service answered {exc.status_code}", dependency=DEPENDENCY
            ) from exc
        if isinstance(exc.status_code, int) and exc.status_code >= 500:
            # the engine failed on a query it accepted (a shard error, say): log it loudly and
            # answer as for an outage, so a client sees a problem to retry, not a crash
            log.error("the search service failed: %s %s", exc.status_code, exc.error)
            raise Unavailable(
                f"the search service failed ({exc.status_code})", dependency=DEPENDENCY
            ) from exc
        raise
