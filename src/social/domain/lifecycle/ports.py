"""What the lifecycle context needs: every context an account's data lives in, in one
transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from social.domain.accounts.ports import UserRepository
from social.domain.accounts.username_holds import UsernameHoldRepository
from social.domain.graph.ports import GraphRepository
from social.domain.interactions.ports import CommentRepository, InteractionRepository
from social.domain.lifecycle.export_ports import DataExportRepository
from social.domain.media.ports import MediaRepository
from social.domain.posts.ports import PostRepository
from social.domain.shared.ports import UnitOfWork
from social.domain.shared.search_changes import SearchChanges

__all__ = ["PurgeUnitOfWork", "PurgeUnitOfWorkFactory"]


class PurgeUnitOfWork(UnitOfWork, Protocol):
    """The transaction ``PurgeAccount`` erases an account in."""

    @property
    def users(self) -> UserRepository: ...

    @property
    def graph(self) -> GraphRepository: ...

    @property
    def media(self) -> MediaRepository: ...

    @property
    def posts(self) -> PostRepository: ...

    @property
    def interactions(self) -> InteractionRepository: ...

    @property
    def comments(self) -> CommentRepository: ...

    @property
    def search_changes(self) -> SearchChanges: ...

    @property
    def exports(self) -> DataExportRepository: ...

    @property
    def username_holds(self) -> UsernameHoldRepository: ...


PurgeUnitOfWorkFactory = Callable[[], PurgeUnitOfWork]
