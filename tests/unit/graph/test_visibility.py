"""The one visibility policy, case by case (REL-3, POST-5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from social.domain.accounts.model import AccountStatus, User
from social.domain.graph.model import Ties
from social.domain.graph.visibility import can_see_account, can_see_content
from social.domain.shared.identity import Role, Viewer
from social.domain.shared.ids import new_id

NOW = datetime(2026, 1, 1, tzinfo=UTC)
OWNER = User(
    id=new_id(),
    username="owner",
    email="o@example.com",
    password_hash="h",
    display_name="",
    bio="",
    website=None,
    is_private=False,
    role=Role.USER,
    status=AccountStatus.ACTIVE,
    created_at=NOW,
    updated_at=NOW,
)
PRIVATE = replace(OWNER, is_private=True)
STRANGER = Viewer(user_id=new_id(), role=Role.USER, session_id=new_id())
MODERATOR = Viewer(user_id=new_id(), role=Role.MODERATOR, session_id=new_id())
SELF = Viewer(user_id=OWNER.id, role=Role.USER, session_id=new_id())


@pytest.mark.parametrize(
    ("viewer", "owner", "ties", "account", "content"),
    [
        (None, OWNER, Ties(), True, True),
        (None, PRIVATE, Ties(), True, False),
        (STRANGER, PRIVATE, Ties(), True, False),
        (STRANGER, PRIVATE, Ties(requested=True), True, False),
        (STRANGER, PRIVATE, Ties(following=True), True, True),
        (SELF, PRIVATE, Ties(), True, True),
        (MODERATOR, PRIVATE, Ties(), True, True),
        (STRANGER, OWNER, Ties(blocking=True), False, False),
        (STRANGER, OWNER, Ties(blocked_by=True), False, False),
        (STRANGER, OWNER, Ties(muting=True), True, True),
        (None, replace(OWNER, status=AccountStatus.SUSPENDED), Ties(), False, False),
        (SELF, replace(OWNER, status=AccountStatus.DELETED), Ties(), False, False),
    ],
)
def test_who_sees_what(
    viewer: Viewer | None, owner: User, ties: Ties, account: bool, content: bool
) -> None:
    assert can_see_account(viewer, owner, ties) is account
    assert can_see_content(viewer, owner, ties) is content
