"""Who is calling: the identity every context checks, kept below all of them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

__all__ = ["Role", "Viewer"]


class Role(StrEnum):
    USER = "user"
    MODERATOR = "moderator"
    ADMIN = "admin"

    @property
    def can_moderate(self) -> bool:
        return self in (Role.MODERATOR, Role.ADMIN)


@dataclass(frozen=True, slots=True)
class Viewer:
    """The authenticated caller of a use case, as established from a valid access token."""

    user_id: UUID
    role: Role
    session_id: UUID
