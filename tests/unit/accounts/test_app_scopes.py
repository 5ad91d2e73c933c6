"""OAuth scopes of the client-app API: parsing, coverage, and what a caller may do."""

from __future__ import annotations

from uuid import uuid4

import pytest

from social.domain.accounts.app_scopes import (
    AppCaller,
    InsufficientScope,
    covers,
    parse_scopes,
)
from social.domain.shared.errors import Forbidden, Invalid
from social.domain.shared.identity import Role, Viewer


def test_scopes_are_space_or_plus_separated_and_default_to_read() -> None:
    assert parse_scopes("read write follow push") == {"read", "write", "follow", "push"}
    assert parse_scopes("read+write:statuses") == {"read", "write:statuses"}
    assert parse_scopes(None) == {"read"}
    assert parse_scopes("") == {"read"}


@pytest.mark.parametrize("text", ["admin:read", "read:everything", "write:admin", "superuser"])
def test_unknown_scopes_are_refused_by_name(text: str) -> None:
    with pytest.raises(Invalid) as refused:
        parse_scopes(f"read {text}")
    assert refused.value.errors[0].field == "scope"
    assert text in refused.value.message


def test_a_top_scope_covers_its_sub_scopes_only() -> None:
    assert covers({"read"}, "read:statuses")
    assert covers({"read:statuses"}, "read:statuses")
    assert not covers({"read:statuses"}, "read:notifications")
    assert not covers({"read"}, "write:statuses")
    assert not covers({"write:media"}, "write")


def test_follow_covers_the_follow_block_and_mute_sub_scopes() -> None:
    for scope in ("read:follows", "write:follows", "write:blocks", "read:mutes"):
        assert covers({"follow"}, scope)
    assert not covers({"follow"}, "write:statuses")
    assert not covers({"follow"}, "read:notifications")


def test_a_caller_needs_the_scope_and_an_account_behind_the_token() -> None:
    viewer = Viewer(user_id=uuid4(), role=Role.USER, session_id=uuid4())
    reader = AppCaller(app_id=uuid4(), scopes=frozenset({"read"}), viewer=viewer)
    assert reader.require("read:statuses") is viewer
    with pytest.raises(InsufficientScope):
        reader.require("write:statuses")
    app_only = AppCaller(app_id=uuid4(), scopes=frozenset({"read", "write"}), viewer=None)
    app_only.check("read:statuses")
    with pytest.raises(Forbidden):
        app_only.require("read:statuses")
