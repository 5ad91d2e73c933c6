"""A user's selfie reference: explicit consent, exactly one face, deletable (on the fakes)."""

from __future__ import annotations

import pytest

from social.domain.faces.model import EMBEDDING_SIZE, DetectedFace, FaceBox
from social.domain.faces.reference import (
    ForgetFaceReference,
    GetFaceReference,
    SetFaceReference,
)
from social.domain.shared.errors import Invalid
from tests.fakes.faces import InMemoryFaceReferences, ScriptedFaceEngine
from tests.unit.harness import Accounts, build_accounts

ME = tuple([0.1] * EMBEDDING_SIZE)
SELFIE, GROUP, LANDSCAPE = b"selfie", b"group", b"landscape"


@pytest.fixture
def references() -> InMemoryFaceReferences:
    return InMemoryFaceReferences()


@pytest.fixture
def accounts(references: InMemoryFaceReferences) -> Accounts:
    engine = ScriptedFaceEngine()
    engine.faces[SELFIE] = [DetectedFace(FaceBox(10, 10, 90, 90), ME)]
    engine.faces[GROUP] = [
        DetectedFace(FaceBox(10, 10, 90, 90), ME),
        DetectedFace(FaceBox(110, 10, 190, 90), ME),
    ]
    return build_accounts(face_engine=engine, face_references=references)


async def test_a_selfie_with_consent_becomes_the_reference_until_withdrawn(
    accounts: Accounts, references: InMemoryFaceReferences
) -> None:
    _, _, viewer = await accounts.sign_up()
    stored = await accounts.uc.get(SetFaceReference).execute(viewer, SELFIE, consent=True)
    assert (stored.user_id, stored.embedding, stored.consented_at) == (
        viewer.user_id,
        ME,
        accounts.clock.now(),
    )
    assert await accounts.uc.get(GetFaceReference).execute(viewer) == stored
    assert await accounts.uc.get(ForgetFaceReference).execute(viewer) is True
    assert references.references == {}
    assert await accounts.uc.get(GetFaceReference).execute(viewer) is None
    assert await accounts.uc.get(ForgetFaceReference).execute(viewer) is False


@pytest.mark.parametrize(
    ("selfie", "consent", "field", "words"),
    [
        (SELFIE, False, "consent", "must be given"),
        (LANDSCAPE, True, "selfie", "no face found"),
        (GROUP, True, "selfie", "2 faces found"),
    ],
)
async def test_no_consent_or_not_exactly_one_face_stores_nothing(
    accounts: Accounts,
    references: InMemoryFaceReferences,
    selfie: bytes,
    consent: bool,
    field: str,
    words: str,
) -> None:
    _, _, viewer = await accounts.sign_up()
    with pytest.raises(Invalid) as refused:
        await accounts.uc.get(SetFaceReference).execute(viewer, selfie, consent=consent)
    assert [error.field for error in refused.value.errors] == [field]
    assert words in refused.value.message
    assert references.references == {}
