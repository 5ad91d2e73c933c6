"""Payload encryption against RFC 8291's own example (Appendix A), byte for byte."""

from __future__ import annotations

import base64

import http_ece
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from social.adapters.push.encryption import MAX_PAYLOAD_BYTES, encrypt


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


PLAINTEXT = b"When I grow up, I want to be a watermelon"
AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
UA_PUBLIC = (
    "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
)
SALT = "DGv6ra1nlYgDCS1FRnbzlw"
AUTH = "BTBZMqHH6r4Tts7J_aSIgg"
BODY = (
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS"
    "6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Q"
    "ulcy4a-fN"
)


def _key(scalar: str) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(int.from_bytes(_b64(scalar), "big"), ec.SECP256R1())


def test_the_rfc_8291_example_is_reproduced_byte_for_byte() -> None:
    body = encrypt(
        PLAINTEXT, p256dh=UA_PUBLIC, auth=AUTH, salt=_b64(SALT), sender_key=_key(AS_PRIVATE)
    )
    assert body == _b64(BODY)


def test_the_device_decrypts_a_fresh_message() -> None:
    body = encrypt(PLAINTEXT, p256dh=UA_PUBLIC, auth=AUTH)
    assert body != _b64(BODY)  # a fresh salt and sender key
    opened = http_ece.decrypt(
        body, private_key=_key(UA_PRIVATE), auth_secret=_b64(AUTH), version="aes128gcm"
    )
    assert opened == PLAINTEXT


def test_the_largest_payload_fits_a_4096_byte_body() -> None:
    assert len(encrypt(b"x" * MAX_PAYLOAD_BYTES, p256dh=UA_PUBLIC, auth=AUTH)) == 4096
    with pytest.raises(ValueError, match="payload"):
        encrypt(b"x" * (MAX_PAYLOAD_BYTES + 1), p256dh=UA_PUBLIC, auth=AUTH)
    with pytest.raises(ValueError, match="payload"):
        encrypt(b"", p256dh=UA_PUBLIC, auth=AUTH)


@pytest.mark.parametrize(
    ("p256dh", "auth"),
    [("BAAA", AUTH), (UA_PUBLIC[:-2], AUTH), ("not base64!", AUTH), (UA_PUBLIC, "AAAA")],
)
def test_unusable_device_keys_are_refused(p256dh: str, auth: str) -> None:
    with pytest.raises(ValueError, match="subscription"):
        encrypt(PLAINTEXT, p256dh=p256dh, auth=auth)
