"""Deleting one's own account (AUTH-6) on fakes: what the user is asked for (the purge that
follows is in ``tests/unit/lifecycle/``)."""

from __future__ import annotations

import pytest

from social.domain.accounts.model import AccountStatus
from social.domain.shared.errors import Invalid
from tests.unit.harness import Accounts


async def test_deletion_needs_the_password(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    with pytest.raises(Invalid):
        await accounts.delete_account.execute(alice, "not my password")
    assert accounts.user(alice).status is AccountStatus.ACTIVE
