"""The account input rules, one by one."""

from __future__ import annotations

import pytest

from social.domain.accounts.rules import (
    AccountLimits,
    parse_bio,
    parse_display_name,
    parse_email,
    parse_username,
    parse_website,
    validate_password,
)
from social.domain.shared.errors import Invalid

LIMITS = AccountLimits()


@pytest.mark.parametrize(
    ("raw", "expected"), [("Alice", "alice"), (" bob_1.x ", "bob_1.x"), ("abc", "abc")]
)
def test_usernames_are_normalized_to_lower_case(raw: str, expected: str) -> None:
    assert parse_username(raw, LIMITS) == expected


@pytest.mark.parametrize(
    "raw", ["ab", "a" * 31, "al ice", "alice!", "ålice", ".alice", "alice.", "al..ice", "admin", ""]
)
def test_bad_usernames_are_refused(raw: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_username(raw, LIMITS)
    assert caught.value.errors[0].field == "username"


def test_emails_are_case_insensitive() -> None:
    assert parse_email("  Alice@Example.COM ", LIMITS) == "alice@example.com"


@pytest.mark.parametrize(
    "raw",
    [
        "alice",
        "alice@",
        "@example.com",
        "alice@example",
        "a b@example.com",
        "alice@@example.com",
        "alice@example..com",
        f"{'a' * 65}@example.com",
        f"a@{'b' * 250}.com",
    ],
)
def test_bad_emails_are_refused(raw: str) -> None:
    with pytest.raises(Invalid):
        parse_email(raw, LIMITS)


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short1", "at least 10"),
        ("x" * 129, "at most 128"),
        ("Password123", "too common"),
        ("aaaaaaaaaaaa", "too common"),
        ("abababababab", "too common"),
        ("alice-rocks-2024", "username"),
    ],
)
def test_weak_passwords_are_refused(password: str, why: str) -> None:
    with pytest.raises(Invalid) as caught:
        validate_password(password, LIMITS, field="password", avoid=("alice", "al"))
    assert why in caught.value.errors[0].message


def test_a_good_password_passes_and_short_avoid_parts_are_ignored() -> None:
    assert validate_password("correct horse battery", LIMITS, field="p", avoid=("al",)) == (
        "correct horse battery"
    )


def test_display_name_is_one_clean_line() -> None:
    assert parse_display_name("  Alice\u202e\n Smith 👩‍💻 ", LIMITS) == "Alice Smith 👩‍💻"
    with pytest.raises(Invalid):
        parse_display_name("x" * 51, LIMITS)


def test_bio_keeps_newlines_and_counts_characters() -> None:
    assert parse_bio("line one\nline two\x07", LIMITS) == "line one\nline two"
    assert parse_bio("é" * 150, LIMITS) == "é" * 150
    with pytest.raises(Invalid) as caught:
        parse_bio("x" * 151, LIMITS)
    assert caught.value.errors[0].field == "bio"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("example.com", "https://example.com"),
        ("http://example.com/a?b=c", "http://example.com/a?b=c"),
        ("https://sub.example.co.id", "https://sub.example.co.id"),
        ("", None),
        ("   ", None),
    ],
)
def test_websites_are_http_urls(raw: str, expected: str | None) -> None:
    assert parse_website(raw, LIMITS) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "javascript:alert(1)",
        "ftp://example.com",
        "https://user:pw@example.com",
        "https://localhost",
        "https://exa mple.com",
        "https://example.com:99999",
        "https://" + "a" * 200 + ".com",
        "https://1.2.3.4",
        "data:text/html,hi",
    ],
)
def test_bad_websites_are_refused(raw: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_website(raw, LIMITS)
    assert caught.value.errors[0].field == "website"
