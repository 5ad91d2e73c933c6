"""Followers and following lists (REL-2) on fakes: pages stay stable while people follow."""

from __future__ import annotations

from social.domain.profiles.list_connections import Connections
from social.domain.shared.pagination import PageRequest
from tests.fakes.reads import shown
from tests.unit.harness import Accounts


async def test_connection_pages_are_stable_while_people_follow(accounts: Accounts) -> None:
    await accounts.sign_up("star")
    fans = [(await accounts.sign_up(f"fan{i:02}"))[2] for i in range(25)]
    for fan in fans:
        await accounts.follow_user.execute(fan, "star")
        accounts.clock.advance(seconds=1)
    seen: list[str] = []
    page = await accounts.list_connections.execute(
        None, "star", Connections.FOLLOWERS, PageRequest(limit=10)
    )
    seen += [shown(v)["username"] for v in page.items]
    late = (await accounts.sign_up("latecomer"))[2]
    await accounts.follow_user.execute(
        late, "star"
    )  # arrives between pages, sorts before the cursor
    while page.next_cursor:
        page = await accounts.list_connections.execute(
            None, "star", Connections.FOLLOWERS, PageRequest(limit=10, after=page.next_cursor)
        )
        seen += [shown(v)["username"] for v in page.items]
    assert seen == [f"fan{i:02}" for i in reversed(range(25))]
