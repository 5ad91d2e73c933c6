"""What suggested accounts need from storage: one store, in the unit of work beside the graph."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from uuid import UUID

from social.domain.accounts.ports import UserRepository
from social.domain.discovery.account_suggestions import CandidateBounds, Candidates, Suggestion
from social.domain.graph.ports import GraphRepository
from social.domain.shared.pagination import Page, PageRequest, RankCursor
from social.domain.shared.ports import UnitOfWork

__all__ = [
    "DiscoveryUnitOfWork",
    "DiscoveryUnitOfWorkFactory",
    "StaleUsers",
    "SuggestionStore",
]


@dataclass(frozen=True, slots=True)
class StaleUsers:
    """Users whose suggestions are stale, oldest first: ``active`` ones used a session lately,
    ``idle`` ones did not."""

    active: Sequence[UUID] = field(default_factory=tuple)
    idle: Sequence[UUID] = field(default_factory=tuple)

    def __len__(self) -> int:
        return len(self.active) + len(self.idle)


class SuggestionStore(Protocol):
    """Each user's computed suggestions, when they were computed, and their dismissals.

    An account is never offered to a user (by ``candidates``, nor by ``page`` at read time,
    in the statement that reads the page, so a follow or a block takes effect at once) when
    it is the user, is not active (suspended, deleted), is followed by the user or has a
    pending request from them, blocks or is blocked by the user, mutes or is muted by the
    user, or was dismissed by the user.
    """

    async def candidates(self, user_id: UUID, bounds: CandidateBounds) -> Candidates:
        """The sources' candidates for the user within ``bounds`` (``account_suggestions.py``),
        in no particular order: the ``bounds.friends`` friends of friends most followed (ties:
        lower id), for each of the user's tags the ``per_tag`` most popular accounts (posts +
        engagement; ties: lower id), the ``active`` most recently active ones."""
        ...

    async def replace(
        self, user_id: UUID, suggestions: Sequence[Suggestion], computed_at: datetime
    ) -> None:
        """Store these as the user's suggestions (the previous ones go) and record the run.
        Two computations of one user at once end with one of them stored whole."""
        ...

    async def claim_run(
        self, user_id: UUID, at: datetime, unless_after: datetime
    ) -> datetime | None:
        """Record a computation of the user's suggestions made at ``at`` (as ``replace`` does),
        unless the last one recorded is more recent than ``unless_after``: ``None`` when it was
        recorded, else the time of that last one (then nothing changes). The user stays held
        until the unit of work ends, so of two claims at once the second sees the first's."""
        ...

    async def followed_since_run(self, user_id: UUID) -> bool:
        """Whether the user followed someone after their last computation (its friends of
        friends may have changed); ``False`` when never computed."""
        ...

    async def page(
        self, user_id: UUID, page: PageRequest[RankCursor]
    ) -> Page[Suggestion, RankCursor] | None:
        """The user's stored suggestions by rank after the cursor (``rank`` carries the rank,
        ``id`` the account), the excluded left out; ``None`` when they were never computed."""
        ...

    async def dismiss(self, user_id: UUID, candidate_id: UUID, at: datetime) -> None:
        """Never suggest ``candidate_id`` to the user again (idempotent)."""
        ...

    async def stale(
        self, computed_before: datetime, active_since: datetime, limit: int
    ) -> StaleUsers:
        """Up to ``limit`` users whose suggestions were computed before ``computed_before``,
        the oldest first, split by whether a session of theirs was used (signed in or
        refreshed) since ``active_since``."""
        ...

    async def forget(self, user_ids: Collection[UUID]) -> None:
        """Drop these users' stored suggestions and runs (dismissals stay): they count as
        never computed again."""
        ...


class DiscoveryUnitOfWork(UnitOfWork, Protocol):
    """The graph's repositories (so it is a ``GraphUnitOfWork`` too) and the store."""

    @property
    def users(self) -> UserRepository: ...

    @property
    def graph(self) -> GraphRepository: ...

    @property
    def suggestions(self) -> SuggestionStore: ...


DiscoveryUnitOfWorkFactory = Callable[[], DiscoveryUnitOfWork]
