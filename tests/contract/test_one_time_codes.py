"""One suite for ``OneTimeCodes``: the pyotp adapter and the fake agree on the rules the domain
relies on; the adapter's codes are RFC 6238's (checked against pyotp's own TOTP)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pyotp
import pytest

from social.adapters.security.totp import PyotpCodes
from social.domain.accounts.two_factor_ports import OneTimeCodes
from tests.fakes.two_factor import FakeOneTimeCodes

AT = datetime(2026, 3, 1, 12, 0, 10, tzinfo=UTC)


@pytest.fixture(params=["pyotp", "fake"])
def codes(request: pytest.FixtureRequest) -> OneTimeCodes:
    return PyotpCodes() if request.param == "pyotp" else FakeOneTimeCodes()


def test_secrets_are_fresh(codes: OneTimeCodes) -> None:
    assert len({codes.new_secret() for _ in range(20)}) == 20


def test_steps_are_thirty_seconds(codes: OneTimeCodes) -> None:
    step = codes.time_step(AT)
    assert step == int(AT.timestamp()) // 30
    assert codes.time_step(AT + timedelta(seconds=19)) == step
    assert codes.time_step(AT + timedelta(seconds=20)) == step + 1


def test_a_code_is_six_digits_and_changes_with_the_step_and_the_secret(
    codes: OneTimeCodes,
) -> None:
    secret, other = codes.new_secret(), codes.new_secret()
    step = codes.time_step(AT)
    code = codes.code_at(secret, step)
    assert len(code) == 6 and code.isdigit()
    assert codes.code_at(secret, step) == code
    around = [codes.code_at(secret, step + delta) for delta in range(1, 6)]
    assert code not in around or len(set(around)) > 1
    assert [codes.code_at(other, step + d) for d in range(5)] != [
        codes.code_at(secret, step + d) for d in range(5)
    ]


def test_the_provisioning_uri_names_issuer_account_and_secret(codes: OneTimeCodes) -> None:
    secret = codes.new_secret()
    uri = codes.provisioning_uri(secret, account="alice", issuer="social")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, unquote(parts.path)) == ("otpauth", "totp", "/social:alice")
    query = parse_qs(parts.query)
    assert query["secret"] == [secret] and query["issuer"] == ["social"]


def test_pyotp_codes_are_rfc_6238() -> None:
    adapter = PyotpCodes()
    secret = adapter.new_secret()
    assert len(base64.b32decode(secret)) >= 20  # 160 bits
    assert adapter.code_at(secret, adapter.time_step(AT)) == pyotp.TOTP(secret).at(AT)
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (eight digits; six are its last six)
    rfc_secret = base64.b32encode(b"12345678901234567890").decode()
    assert adapter.code_at(rfc_secret, 59 // 30) == "287082"
