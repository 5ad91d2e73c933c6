"""The own block and mute lists (PROF-3) on fakes: paged newest first, only one's own, undone
with unblock and unmute."""

from __future__ import annotations

from dataclasses import replace

from social.domain.accounts.log_in import LogInCommand
from social.domain.accounts.model import AccountStatus
from social.domain.reads.model import AccountCard
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import Cursor, Page, PageRequest
from tests.fakes.reads import shown
from tests.unit.harness import PASSWORD, Accounts


def _names(page: Page[AccountCard, Cursor]) -> list[str]:
    return [shown(card)["username"] for card in page.items]


async def _pages(accounts: Accounts, which: str, viewer: Viewer, limit: int) -> list[list[str]]:
    use_case = accounts.list_blocks if which == "blocks" else accounts.list_mutes
    pages, after = [], None
    while True:
        page = await use_case.execute(viewer, PageRequest(limit=limit, after=after))
        pages.append(_names(page))
        if page.next_cursor is None:
            return pages
        after = page.next_cursor


async def test_the_block_list_pages_newest_first_and_is_ones_own(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, carol = await accounts.sign_up("carol")
    for i in range(5):
        await accounts.sign_up(f"troll{i}")
        await accounts.block_user.execute(alice, f"troll{i}")
        accounts.clock.advance(seconds=1)
    await accounts.block_user.execute(carol, "troll0")
    assert await _pages(accounts, "blocks", alice, 2) == [
        ["troll4", "troll3"],
        ["troll2", "troll1"],
        ["troll0"],
    ]
    assert await _pages(accounts, "blocks", carol, 20) == [["troll0"]]
    first = (await accounts.list_blocks.execute(alice, PageRequest(limit=1))).items[0]
    assert first.relationship is not None and first.relationship.blocking
    await accounts.unblock_user.execute(alice, "troll4")  # undone from the list
    assert await _pages(accounts, "blocks", alice, 20) == [["troll3", "troll2", "troll1", "troll0"]]


async def test_inactive_accounts_are_left_out(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    bob, _, _ = await accounts.sign_up("bob")
    await accounts.mute_user.execute(alice, "bob")
    await accounts.block_user.execute(alice, "bob")
    assert await _pages(accounts, "mutes", alice, 20) == [["bob"]]  # blocked by the viewer
    accounts.store.users[bob.id] = replace(bob, status=AccountStatus.SUSPENDED)
    assert await _pages(accounts, "blocks", alice, 20) == [[]]
    assert await _pages(accounts, "mutes", alice, 20) == [[]]


async def test_the_mute_list_pages_and_hides_who_blocks_the_viewer(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    for name in ("bob", "carol", "dave"):
        await accounts.sign_up(name)
        await accounts.mute_user.execute(alice, name)
        accounts.clock.advance(seconds=1)
    assert await _pages(accounts, "mutes", alice, 2) == [["dave", "carol"], ["bob"]]
    carol = await accounts.authenticate.execute(
        (await accounts.log_in.execute(LogInCommand("carol", PASSWORD))).access_token
    )
    await accounts.block_user.execute(carol, "alice")  # carol hides from alice everywhere
    await accounts.unmute_user.execute(alice, "bob")
    assert await _pages(accounts, "mutes", alice, 20) == [["dave"]]
    assert await _pages(accounts, "mutes", carol, 20) == [[]]
