"""The VAPID key: configured or generated once, and the RFC 8292 header it signs."""

from __future__ import annotations

import base64
import multiprocessing
import multiprocessing.queues
import multiprocessing.synchronize
import stat
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from social.adapters.push.vapid import KEY_FILE_NAME, TOKEN_LIFETIME_S, VapidKey, origin_of


def _public_key(k: str) -> ec.EllipticCurvePublicKey:
    raw = base64.urlsafe_b64decode(k + "=" * (-len(k) % 4))
    assert len(raw) == 65 and raw[0] == 4  # an uncompressed P-256 point
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)


def test_a_generated_key_is_private_to_the_owner_and_loaded_again(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = VapidKey.load("", data_dir)
    path = data_dir / KEY_FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert VapidKey.load("", data_dir).public_key == first.public_key
    assert VapidKey.load("   ", data_dir).public_key == first.public_key
    assert [p.name for p in data_dir.iterdir()] == [KEY_FILE_NAME]  # no temporary file left


def test_a_configured_pem_key_is_used_and_nothing_is_written(tmp_path: Path) -> None:
    key = VapidKey.generate()
    assert VapidKey.load(key.pem(), tmp_path).public_key == key.public_key
    escaped = key.pem().strip().replace("\n", "\\n")  # as an environment variable carries it
    assert VapidKey.load(escaped, tmp_path).public_key == key.public_key
    assert list(tmp_path.iterdir()) == []


def test_a_configured_raw_scalar_is_used(tmp_path: Path) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    scalar = private.private_numbers().private_value.to_bytes(32, "big")
    configured = base64.urlsafe_b64encode(scalar).rstrip(b"=").decode()
    point = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    expected = base64.urlsafe_b64encode(point).rstrip(b"=").decode()
    assert VapidKey.load(configured, tmp_path).public_key == expected
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("configured", "complaint"),
    [
        ("not-a-key", "32-byte"),
        (base64.urlsafe_b64encode(b"\x00" * 32).decode(), "out of range"),
        (base64.urlsafe_b64encode(b"\xff" * 32).decode(), "out of range"),
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "PEM"),
        (
            ec.generate_private_key(ec.SECP384R1())
            .private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            .decode(),
            "P-256",
        ),
        (
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
            .private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            .decode(),
            "EC",
        ),
    ],
)
def test_an_unusable_configured_key_is_refused_by_name(
    configured: str, complaint: str, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match=complaint):
        VapidKey.load(configured, tmp_path)


def _load_in_process(
    data_dir: Path,
    barrier: multiprocessing.synchronize.Barrier,
    keys: multiprocessing.queues.Queue[str],
) -> None:
    barrier.wait()
    keys.put(VapidKey.load("", data_dir).public_key)


def test_processes_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    workers = 6
    for attempt in range(5):
        data_dir = tmp_path / f"race-{attempt}"
        barrier = context.Barrier(workers)
        keys: multiprocessing.queues.Queue[str] = context.Queue()
        processes = [
            context.Process(target=_load_in_process, args=(data_dir, barrier, keys))
            for _ in range(workers)
        ]
        for process in processes:
            process.start()
        loaded = {keys.get(timeout=30) for _ in processes}
        for process in processes:
            process.join(timeout=30)
            assert process.exitcode == 0
        assert loaded == {VapidKey.load("", data_dir).public_key}
        assert [p.name for p in data_dir.iterdir()] == [KEY_FILE_NAME]


def test_the_authorization_header_is_an_es256_token_for_the_origin() -> None:
    key = VapidKey.generate()
    now = 1_800_000_000.0
    header = key.authorization(
        "https://fcm.googleapis.com/fcm/send/abc:def", "mailto:ops@example.com", now=now
    )
    assert header.startswith("vapid t=")
    token_part, k_part = header.removeprefix("vapid ").split(", ")
    token = token_part.removeprefix("t=")
    assert k_part == f"k={key.public_key}"
    assert jwt.get_unverified_header(token) == {"alg": "ES256", "typ": "JWT"}
    claims = jwt.decode(
        token,
        _public_key(key.public_key),
        algorithms=["ES256"],
        audience="https://fcm.googleapis.com",
        options={"verify_exp": False},
    )
    assert claims == {
        "aud": "https://fcm.googleapis.com",
        "exp": int(now) + TOKEN_LIFETIME_S,
        "sub": "mailto:ops@example.com",
    }
    assert 0 < TOKEN_LIFETIME_S <= 24 * 3600
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            token,
            _public_key(VapidKey.generate().public_key),
            algorithms=["ES256"],
            audience="https://fcm.googleapis.com",
            options={"verify_exp": False},
        )


def test_a_token_without_a_subject_has_no_sub_claim() -> None:
    key = VapidKey.generate()
    token = (
        key.authorization("https://push.example.com/x", "").split(",")[0].removeprefix("vapid t=")
    )
    assert "sub" not in jwt.decode(token, options={"verify_signature": False})


@pytest.mark.parametrize(
    ("endpoint", "origin"),
    [
        ("https://push.example.com/a/b?c=d", "https://push.example.com"),
        ("https://Push.Example.COM:443/a", "https://push.example.com"),
        ("https://push.example.com:8443/a", "https://push.example.com:8443"),
        ("http://127.0.0.1:5000/push/1", "http://127.0.0.1:5000"),
        ("http://127.0.0.1:80/push/1", "http://127.0.0.1"),
        ("https://[2001:db8::1]:8443/p", "https://[2001:db8::1]:8443"),
    ],
)
def test_the_audience_is_the_endpoint_origin(endpoint: str, origin: str) -> None:
    assert origin_of(endpoint) == origin
