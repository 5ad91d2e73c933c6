"""A user's face reference (EVT-2, "find my photos"): the embedding of one selfie, kept only
with the user's explicit consent (biometric data), deletable at any time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from social.domain.faces.model import check_embedding
from social.domain.faces.ports import FaceEngine
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Invalid
from social.domain.shared.identity import Viewer

__all__ = [
    "FaceReference",
    "FaceReferences",
    "ForgetFaceReference",
    "GetFaceReference",
    "SetFaceReference",
]


@dataclass(frozen=True, slots=True)
class FaceReference:
    """``consented_at``: when the user agreed that this selfie's embedding is kept and matched
    against the faces of the events they open (the consent is the row: no reference without it,
    and withdrawing it deletes the reference)."""

    user_id: UUID
    embedding: tuple[float, ...]
    consented_at: datetime


class FaceReferences(Protocol):
    """One reference per user at most; rows go with their account (purge)."""

    async def get(self, user_id: UUID) -> FaceReference | None: ...

    async def put(self, reference: FaceReference) -> None:
        """Store the reference, replacing the user's previous one."""
        ...

    async def delete(self, user_id: UUID) -> bool:
        """``True`` when there was one to delete."""
        ...


class SetFaceReference:
    """Rules: consent must be given explicitly with the selfie (``consent=True``); the selfie
    must show exactly one face (none or several: 422 naming the field ``selfie``, nothing
    stored); a new selfie replaces the previous reference and renews the consent. The selfie
    itself is never stored: only its embedding."""

    def __init__(self, *, engine: FaceEngine, references: FaceReferences, clock: Clock) -> None:
        self._engine = engine
        self._references = references
        self._clock = clock

    async def execute(self, viewer: Viewer, selfie: bytes, *, consent: bool) -> FaceReference:
        if not consent:
            raise Invalid.field(
                "consent", "must be given to keep a face reference (biometric data)"
            )
        faces = await self._engine.detect(selfie)
        if len(faces) != 1:
            found = "no face" if not faces else f"{len(faces)} faces"
            raise Invalid.field("selfie", f"must show exactly one face; {found} found")
        reference = FaceReference(
            user_id=viewer.user_id,
            embedding=check_embedding(faces[0].embedding),
            consented_at=self._clock.now(),
        )
        await self._references.put(reference)
        return reference


class GetFaceReference:
    """The caller's reference (for its consent date), or ``None``."""

    def __init__(self, *, references: FaceReferences) -> None:
        self._references = references

    async def execute(self, viewer: Viewer) -> FaceReference | None:
        return await self._references.get(viewer.user_id)


class ForgetFaceReference:
    """Withdraw consent: the reference is deleted at once (idempotent: ``False`` when none)."""

    def __init__(self, *, references: FaceReferences) -> None:
        self._references = references

    async def execute(self, viewer: Viewer) -> bool:
        return await self._references.delete(viewer.user_id)
