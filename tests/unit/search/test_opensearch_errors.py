"""How OpenSearch failures reach the domain: an engine failing or away is ``Unavailable`` (the
API answers 503 problem+json), a query it refuses (4xx) is our bug and is raised as is."""

from __future__ import annotations

import pytest
from opensearchpy import ConnectionError as SearchConnectionError
from opensearchpy import TransportError

from social.adapters.search.opensearch_errors import DEPENDENCY, translate_errors
from social.domain.shared.errors import Unavailable


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_an_engine_failing_or_overloaded_is_unavailable(status: int) -> None:
    with pytest.raises(Unavailable) as caught, translate_errors():
        raise TransportError(status, "search_phase_execution_exception", {})
    assert caught.value.dependency == DEPENDENCY


def test_an_engine_out_of_reach_is_unavailable() -> None:
    with pytest.raises(Unavailable), translate_errors():
        raise SearchConnectionError("N/A", "refused", OSError("refused"))


@pytest.mark.parametrize("status", [400, 404])
def test_a_query_the_engine_refuses_is_raised_as_a_bug(status: int) -> None:
    with pytest.raises(TransportError), translate_errors():
        raise TransportError(status, "parsing_exception", {})
