"""Tag prefixes beyond ASCII (issue 13): emoji, skin tones, ZWJ sequences, flags, combining
marks, CJK and right-to-left text are literal prefixes in every ``SearchIndex`` adapter, the same
answer everywhere and never an error (an OpenSearch regular expression must not misread them)."""

from __future__ import annotations

import pytest

from social.domain.search.ports import SearchIndex
from tests.contract.test_search_queries import counts, put, tagged

TAGS = [
    "🙂🙂",
    "🙂🙂sunset",
    "🙂x",
    "❤️love",
    "👍🏽ok",
    "👨‍👩‍👧family",
    "🇫🇷paris",
    "été",
    "e\u0301te",
    "日本語",
    "日本",
    "שלום",
    "\U0001d400bold",
    "a\\b",
    "sun",
]


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("🙂🙂", ["🙂🙂", "🙂🙂sunset"]),
        ("#🙂", ["🙂🙂", "🙂🙂sunset", "🙂x"]),
        ("❤️", ["❤️love"]),
        ("❤", ["❤️love"]),
        ("👍🏽", ["👍🏽ok"]),
        ("👨‍👩", ["👨‍👩‍👧family"]),
        ("🇫🇷", ["🇫🇷paris"]),
        ("ét", ["été"]),
        ("e\u0301", ["e\u0301te"]),
        ("日本", ["日本", "日本語"]),
        ("של", ["שלום"]),
        ("\U0001d400", ["\U0001d400bold"]),
        ("a\\", ["a\\b"]),
        ("😀", []),
        ("\u200d", []),
        ("\ufe0f", []),
    ],
)
async def test_non_ascii_tag_prefixes_are_literal(
    search: SearchIndex, prefix: str, expected: list[str]
) -> None:
    await put(search, *[tagged(tag) for tag in TAGS])
    assert sorted(name for name, _ in await counts(search, prefix)) == sorted(expected)
