"""Turning ids into the cards a viewer gets: one overlay, the visibility rules, one call for
the presentations. Every read path that returns posts or accounts goes through here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from social.domain.graph.model import AccountRef, Relationship, Ties
from social.domain.graph.visibility import can_see_account, can_see_content
from social.domain.reads.model import (
    AccountCard,
    AccountState,
    Overlay,
    PostCard,
    PostState,
    ViewerFlags,
)
from social.domain.reads.ports import Listings, PresentedViews, ViewerOverlay
from social.domain.shared.errors import NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.pagination import AnyCursor, Page

__all__ = [
    "Cards",
    "Reads",
    "account_page",
    "card_page",
    "cards",
    "find_account",
    "relationship",
    "show_account",
    "show_accounts",
    "show_accounts_of_post",
    "show_posts",
    "viewer_id",
    "visible_accounts",
    "visible_posts",
]

C = TypeVar("C", bound=AnyCursor)

NO_TIES = Ties()
NO_FLAGS = ViewerFlags()


@dataclass(frozen=True, slots=True)
class Reads:
    """The ports every read path uses together: what to show (listings), the viewer's fresh
    look at it (overlay) and its presentations (views)."""

    overlay: ViewerOverlay
    views: PresentedViews
    listings: Listings


@dataclass(frozen=True, slots=True)
class Cards:
    """The cards of a batch: posts in the order given, and every account shown with them."""

    posts: list[PostCard]
    accounts: Mapping[UUID, AccountCard]


def viewer_id(viewer: Viewer | None) -> UUID | None:
    return viewer.user_id if viewer is not None else None


_RELATIONSHIPS: dict[Ties, Relationship] = {}
"""One relationship per combination of ties (64 at most), made once."""


def relationship(viewer: Viewer | None, ties: Ties) -> Relationship | None:
    if viewer is None:
        return None
    found = _RELATIONSHIPS.get(ties)
    if found is None:
        found = _RELATIONSHIPS[ties] = Relationship.from_ties(ties)
    return found


def visible_posts(
    viewer: Viewer | None, overlay: Overlay, post_ids: Iterable[UUID]
) -> list[PostState]:
    """The posts that exist and that the viewer may see (POST-5), in the order given."""
    shown = []
    for post_id in post_ids:
        post = overlay.posts.get(post_id)
        if post is None:
            continue
        author = overlay.accounts.get(post.author_id)
        if author is not None and can_see_content(
            viewer, author, overlay.ties.get(author.id, NO_TIES)
        ):
            shown.append(post)
    return shown


def visible_accounts(
    viewer: Viewer | None, overlay: Overlay, account_ids: Iterable[UUID]
) -> list[AccountState]:
    """The accounts that exist and that the viewer may see, in the order given."""
    return [
        account
        for account_id in account_ids
        if (account := overlay.accounts.get(account_id)) is not None
        and can_see_account(viewer, account, overlay.ties.get(account_id, NO_TIES))
    ]


async def cards(
    views: PresentedViews,
    viewer: Viewer | None,
    overlay: Overlay,
    posts: Sequence[PostState],
    accounts: Iterable[AccountState] = (),
) -> Cards:
    """Cards of posts already judged visible, and of their authors and ``accounts``; a post or
    account deleted since the overlay is left out."""
    known = overlay.accounts
    wanted = {post.author_id: known[post.author_id] for post in posts}
    for account in accounts:
        wanted[account.id] = account
    found = await views.present(
        posts=[(post.id, post.revision) for post in posts],
        accounts=[(account.id, account.revision) for account in wanted.values()],
    )
    presented_accounts, ties, flags = found.accounts, overlay.ties, overlay.flags
    people = {}
    for account_id, account in wanted.items():
        presented = presented_accounts.get(account_id)
        if presented is not None:
            tie = ties.get(account_id, NO_TIES)
            people[account_id] = AccountCard(account, presented, relationship(viewer, tie))
    shown = []
    presented_posts = found.posts
    for post in posts:
        presented = presented_posts.get(post.id)
        author = people.get(post.author_id)
        if presented is not None and author is not None:
            shown.append(PostCard(post, presented, author, flags.get(post.id, NO_FLAGS)))
    return Cards(posts=shown, accounts=people)


async def show_posts(
    reads: Reads, viewer: Viewer | None, post_ids: Sequence[UUID]
) -> list[PostCard]:
    """The posts the viewer may see, in order, as cards: two round trips whatever the batch."""
    if not post_ids:
        return []
    overlay = await reads.overlay.overlay(viewer_id(viewer), post_ids)
    shown = await cards(reads.views, viewer, overlay, visible_posts(viewer, overlay, post_ids))
    return shown.posts


async def show_accounts(
    reads: Reads, viewer: Viewer | None, account_ids: Sequence[UUID]
) -> list[AccountCard]:
    """The accounts the viewer may see (active, not blocked either way), in order, as cards."""
    if not account_ids:
        return []
    overlay = await reads.overlay.overlay(viewer_id(viewer), account_ids=account_ids)
    visible = visible_accounts(viewer, overlay, account_ids)
    people = (await cards(reads.views, viewer, overlay, (), visible)).accounts
    return [people[a.id] for a in visible if a.id in people]


async def card_page(reads: Reads, viewer: Viewer | None, ids: Page[UUID, C]) -> Page[PostCard, C]:
    """A page of post ids as the viewer's cards; hidden posts are left out and the cursor is
    kept, so the next page continues after the last id looked at."""
    return Page(items=await show_posts(reads, viewer, ids.items), next_cursor=ids.next_cursor)


async def account_page(
    reads: Reads, viewer: Viewer | None, ids: Page[UUID, C]
) -> Page[AccountCard, C]:
    return Page(items=await show_accounts(reads, viewer, ids.items), next_cursor=ids.next_cursor)


async def find_account(
    reads: Reads, viewer: Viewer | None, ref: AccountRef
) -> tuple[AccountState, Ties, Overlay]:
    """The account by username or id as the viewer may see it (with the overlay it came in);
    ``NotFound`` when it does not exist or is hidden (suspended, deleted, blocked either way)."""
    if isinstance(ref, UUID):
        overlay = await reads.overlay.overlay(viewer_id(viewer), account_ids=[ref])
    else:
        overlay = await reads.overlay.account_named(viewer_id(viewer), ref.strip().lower())
    account = next(iter(overlay.accounts.values()), None)
    ties = overlay.ties.get(account.id, NO_TIES) if account else NO_TIES
    if account is None or not can_see_account(viewer, account, ties):
        raise NotFound("No such user.")
    return account, ties, overlay


async def show_account(reads: Reads, viewer: Viewer | None, ref: AccountRef) -> AccountCard:
    """One profile as the viewer may see it: one overlay and one presentation."""
    account, _, overlay = await find_account(reads, viewer, ref)
    people = (await cards(reads.views, viewer, overlay, (), [account])).accounts
    if account.id not in people:  # deleted between the two
        raise NotFound("No such user.")
    return people[account.id]


async def show_accounts_of_post(
    reads: Reads, viewer: Viewer | None, post_id: UUID, account_ids: Sequence[UUID]
) -> dict[UUID, AccountCard]:
    """Cards of the accounts (commenters, likers) the viewer may see, by id, checked in the
    same overlay as the post they belong to: ``NotFound`` when the post is hidden."""
    overlay = await reads.overlay.overlay(viewer_id(viewer), [post_id], account_ids)
    if not visible_posts(viewer, overlay, [post_id]):
        raise NotFound("No such post.")
    visible = visible_accounts(viewer, overlay, dict.fromkeys(account_ids))
    return dict((await cards(reads.views, viewer, overlay, (), visible)).accounts)
