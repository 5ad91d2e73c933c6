"""TagSummary counts a tag from the tag page's own rows, exactly up to a bound; past it, the
search index's count (which may lag a moment), never below the bound."""

from __future__ import annotations

from typing import Any, cast

import pytest

from social.domain.search.search import TagSummary
from social.domain.shared.errors import Invalid


class _Rows:
    def __init__(self, count: int) -> None:
        self.count = count

    async def count_public_posts_tagged(self, tag: str, *, at_most: int) -> int:
        return min(self.count, at_most)


class _Index:
    def __init__(self, count: int) -> None:
        self.count = count
        self.asked = 0

    async def tag_count(self, tag: str) -> int:
        self.asked += 1
        return self.count


def summary(rows: int, indexed: int) -> tuple[TagSummary, _Index]:
    index = _Index(indexed)
    tags = TagSummary(search=cast("Any", index), listings=cast("Any", _Rows(rows)), exact_up_to=3)
    return tags, index


@pytest.mark.parametrize(
    ("rows", "indexed", "counted", "asks_the_index"),
    [
        (0, 5, 0, False),  # deleted a moment ago, still in the index: 0
        (2, 0, 2, False),  # posted a moment ago, not indexed yet: 2
        (3, 0, 3, False),  # at the bound: still exact
        (4, 9, 9, True),  # past it: the index's count
        (9, 1, 4, True),  # ... never below what was counted
    ],
)
async def test_the_count(rows: int, indexed: int, counted: int, asks_the_index: bool) -> None:
    tags, index = summary(rows, indexed)
    found = await tags.execute("#Kopi")
    assert (found.name, found.posts_count) == ("kopi", counted)
    assert bool(index.asked) is asks_the_index


async def test_an_empty_tag_is_invalid() -> None:
    tags, _ = summary(0, 0)
    with pytest.raises(Invalid):
        await tags.execute("#")
