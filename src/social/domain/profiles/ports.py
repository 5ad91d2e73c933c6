"""What the profiles context needs: accounts, the graph and media records in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from social.domain.accounts.ports import UserRepository
from social.domain.graph.ports import GraphRepository
from social.domain.media.ports import MediaRepository
from social.domain.shared.ports import UnitOfWork
from social.domain.shared.search_changes import SearchChanges

__all__ = ["ProfilesUnitOfWork", "ProfilesUnitOfWorkFactory"]


class ProfilesUnitOfWork(UnitOfWork, Protocol):
    @property
    def users(self) -> UserRepository: ...

    @property
    def graph(self) -> GraphRepository: ...

    @property
    def media(self) -> MediaRepository: ...

    @property
    def search_changes(self) -> SearchChanges: ...


ProfilesUnitOfWorkFactory = Callable[[], ProfilesUnitOfWork]
