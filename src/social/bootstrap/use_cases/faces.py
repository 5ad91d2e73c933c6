"""The faces context's use cases: indexing a photo's faces (a job), matching a face, and the
users' consented face references."""

from __future__ import annotations

from dataclasses import dataclass

from social.bootstrap.adapters import Adapters
from social.domain.faces.index_faces import IndexFaces
from social.domain.faces.match_faces import MatchFaces
from social.domain.faces.reference import (
    ForgetFaceReference,
    GetFaceReference,
    SetFaceReference,
)

__all__ = ["FaceUseCases", "build"]


@dataclass(frozen=True, slots=True)
class FaceUseCases:
    index_faces: IndexFaces
    match_faces: MatchFaces
    set_face_reference: SetFaceReference
    get_face_reference: GetFaceReference
    forget_face_reference: ForgetFaceReference


def build(a: Adapters) -> FaceUseCases:
    return FaceUseCases(
        index_faces=IndexFaces(
            uow=a.uow, storage=a.storage, engine=a.face_engine, index=a.face_index
        ),
        match_faces=MatchFaces(
            index=a.face_index, max_distance=a.settings.faces.face_match_threshold
        ),
        set_face_reference=SetFaceReference(
            engine=a.face_engine, references=a.face_references, clock=a.clock
        ),
        get_face_reference=GetFaceReference(references=a.face_references),
        forget_face_reference=ForgetFaceReference(references=a.face_references),
    )
