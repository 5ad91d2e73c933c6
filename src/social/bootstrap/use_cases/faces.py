"""The faces context's use cases: indexing a photo's faces (a job) and matching a face."""

from __future__ import annotations

from dataclasses import dataclass

from social.bootstrap.adapters import Adapters
from social.domain.faces.index_faces import IndexFaces
from social.domain.faces.match_faces import MatchFaces

__all__ = ["FaceUseCases", "build"]


@dataclass(frozen=True, slots=True)
class FaceUseCases:
    index_faces: IndexFaces
    match_faces: MatchFaces


def build(a: Adapters) -> FaceUseCases:
    return FaceUseCases(
        index_faces=IndexFaces(
            uow=a.uow, storage=a.storage, engine=a.face_engine, index=a.face_index
        ),
        match_faces=MatchFaces(
            index=a.face_index, max_distance=a.settings.faces.face_match_threshold
        ),
    )
