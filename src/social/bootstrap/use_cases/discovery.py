"""The discovery context's use cases: suggested accounts (computed, refreshed, read, dismissed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from social.bootstrap.adapters import Adapters
from social.domain.discovery.compute_suggestions import (
    ComputeAccountSuggestions,
    DebounceSuggestionRefresh,
    RefreshStaleSuggestions,
)
from social.domain.discovery.suggested_accounts import DismissSuggestion, ListSuggestedAccounts

__all__ = ["DiscoveryUseCases", "build"]


@dataclass(frozen=True, slots=True)
class DiscoveryUseCases:
    compute_account_suggestions: ComputeAccountSuggestions
    debounce_suggestion_refresh: DebounceSuggestionRefresh
    refresh_stale_suggestions: RefreshStaleSuggestions
    list_suggested_accounts: ListSuggestedAccounts
    dismiss_suggestion: DismissSuggestion


def build(a: Adapters) -> DiscoveryUseCases:
    discovery = a.settings.discovery
    compute = ComputeAccountSuggestions(uow=a.uow, clock=a.clock, keep=discovery.suggestions_kept)
    refresh = DebounceSuggestionRefresh(
        uow=a.uow,
        compute=compute,
        jobs=a.jobs,
        clock=a.clock,
        debounce=timedelta(seconds=discovery.suggestions_debounce_s),
    )
    return DiscoveryUseCases(
        compute_account_suggestions=compute,
        debounce_suggestion_refresh=refresh,
        refresh_stale_suggestions=RefreshStaleSuggestions(
            uow=a.uow,
            compute=compute,
            clock=a.clock,
            refresh_after=timedelta(seconds=discovery.suggestions_refresh_s),
        ),
        list_suggested_accounts=ListSuggestedAccounts(
            uow=a.uow, reads=a.reads(), compute=compute, refresh=refresh
        ),
        dismiss_suggestion=DismissSuggestion(uow=a.uow, clock=a.clock),
    )
