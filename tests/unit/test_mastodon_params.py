"""Request parameters of the app API as Mastodon clients send them (form, multipart, JSON)."""

from __future__ import annotations

import pytest

from social.adapters.mastodon.params import Params
from social.domain.shared.errors import Invalid


def test_lists_arrive_as_repeated_keys_or_a_single_value() -> None:
    params = Params({"media_ids[]": ["a", "b"], "id": ["x"]})
    assert params.texts("media_ids") == ["a", "b"]
    assert params.texts("id") == ["x"]
    assert params.texts("missing") == []
    assert "media_ids" in params
    assert "missing" not in params


def test_a_json_list_counts_as_its_items() -> None:
    assert Params({"media_ids": [["1", 2]]}).texts("media_ids") == ["1", "2"]
    with pytest.raises(Invalid):
        Params({"media_ids": [[{"x": 1}]]}).texts("media_ids")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("0", False), ("true", True), ("False", False), (True, True), (0, False)],
)
def test_booleans_in_every_spelling(value: object, expected: bool) -> None:
    assert Params({"sensitive": [value]}).flag("sensitive") is expected


def test_a_boolean_that_is_not_one_is_refused_by_name() -> None:
    with pytest.raises(Invalid) as refused:
        Params({"sensitive": ["maybe"]}).flag("sensitive")
    assert refused.value.errors[0].field == "sensitive"


def test_limits_are_clamped_as_mastodon_does_and_garbage_is_refused() -> None:
    assert Params({"limit": ["500"]}).number("limit", 20, low=1, high=40) == 40
    assert Params({"limit": ["0"]}).number("limit", 20, low=1, high=40) == 1
    assert Params({}).number("limit", 20, low=1, high=40) == 20
    with pytest.raises(Invalid):
        Params({"limit": ["ten"]}).number("limit", 20, low=1, high=40)


def test_text_is_bounded_and_typed() -> None:
    assert Params({"status": ["hi"]}).text("status", max_length=5) == "hi"
    with pytest.raises(Invalid):
        Params({"status": ["x" * 6]}).text("status", max_length=5)
    with pytest.raises(Invalid):
        Params({"status": [{"nested": 1}]}).text("status")
    assert Params({"n": [3]}).text("n") == "3"
