"""Suggested accounts through the use cases on fakes (DISC-1): computed by the job graph
changes queue, read with the exclusions applied at once, dismissed, refreshed when stale."""

from __future__ import annotations

from uuid import UUID

import pytest

from social.domain.accounts.log_in import LogInCommand
from social.domain.discovery.compute_suggestions import RefreshStaleSuggestions
from social.domain.posts.create_post import CreatePostCommand
from social.domain.profiles.update_profile import UpdateProfileCommand
from social.domain.reads.model import PostCard
from social.domain.shared.errors import Invalid, NotFound
from social.domain.shared.identity import Viewer
from social.domain.shared.jobs import RefreshAccountSuggestions
from social.domain.shared.pagination import PageRequest
from tests.fakes.media import FAKE_IMAGE
from tests.fakes.reads import shown
from tests.unit.harness import PASSWORD, Accounts, ready_media


async def people(accounts: Accounts, *names: str) -> list[Viewer]:
    return [(await accounts.sign_up(name))[2] for name in names]


async def post(accounts: Accounts, author: Viewer, caption: str = "hello") -> UUID:
    media = await ready_media(accounts, author, FAKE_IMAGE)
    accounts.clock.advance(seconds=1)
    card: PostCard = await accounts.create_post.execute(
        author, CreatePostCommand(caption, (media.id,))
    )
    return card.state.id


async def suggested(accounts: Accounts, viewer: Viewer) -> list[tuple[str, str]]:
    page = await accounts.list_suggested_accounts.execute(viewer, PageRequest())
    return [(shown(item.account)["username"], item.reason) for item in page.items]


async def test_a_user_who_follows_nobody_gets_recently_active_accounts_at_once(
    accounts: Accounts,
) -> None:
    me, ann, bob, _ = await people(accounts, "mel", "ann", "bob", "quiet")
    await post(accounts, bob)
    await post(accounts, ann)
    await post(accounts, me)
    assert await suggested(accounts, me) == [("ann", "recently active"), ("bob", "recently active")]
    assert me.user_id in accounts.store.suggestion_runs  # computed once, then read


async def test_graph_changes_queue_no_refresh(
    accounts: Accounts,
) -> None:
    me, _, bob, cyd = await people(accounts, "mel", "ann", "bob", "cyd")
    await accounts.update_profile.execute(cyd, UpdateProfileCommand(is_private=True))
    before = len(accounts.store.jobs)
    await accounts.follow_user.execute(me, "ann")
    await accounts.unfollow_user.execute(me, "ann")
    await accounts.follow_user.execute(me, "cyd")  # a request
    await accounts.unfollow_user.execute(me, "cyd")  # withdrawn
    await accounts.follow_user.execute(bob, "cyd")
    (request,) = (await accounts.list_follow_requests.execute(cyd, PageRequest())).items
    await accounts.decide_follow_request.execute(cyd, request.request.id, approve=True)
    await accounts.block_user.execute(me, "bob")
    await accounts.mute_user.execute(me, "ann")
    refreshes = [
        j for j in accounts.store.jobs[before:] if isinstance(j, RefreshAccountSuggestions)
    ]
    assert refreshes == []  # computed when looked at (below), not per change


async def test_a_look_after_a_follow_brings_friends_of_friends_and_a_follow_leaves_at_once(
    accounts: Accounts,
) -> None:
    me, ann, bob, *_ = await people(accounts, "mel", "ann", "bob", "cyd", "dan")
    for follower, followee in ((ann, "cyd"), (bob, "cyd"), (bob, "dan")):
        await accounts.follow_user.execute(follower, followee)
    assert await suggested(accounts, me) == []  # computed inline: nothing to go on yet
    await accounts.follow_user.execute(me, "ann")
    accounts.clock.advance(seconds=1)
    await accounts.follow_user.execute(me, "bob")
    # followed since: a refresh, but the list was computed a second ago: put off (debounce),
    # the list as stored meanwhile
    assert await suggested(accounts, me) == []
    accounts.clock.advance(seconds=59)
    assert await accounts.run_due_jobs() == 1
    assert await suggested(accounts, me) == [
        ("cyd", "followed by bob and 1 other"),
        ("dan", "followed by bob"),
    ]
    await accounts.follow_user.execute(me, "cyd")  # left out by the read itself at once
    assert await suggested(accounts, me) == [("dan", "followed by bob")]
    accounts.clock.advance(seconds=120)
    await accounts.run_due_jobs()
    await accounts.follow_user.execute(me, "dan")
    accounts.clock.advance(seconds=120)  # long after the last computation: at once
    assert await suggested(accounts, me) == []
    assert accounts.store.suggestion_runs[me.user_id] == accounts.clock.now()


async def test_a_look_with_no_follow_since_computes_nothing(accounts: Accounts) -> None:
    me, *_ = await people(accounts, "mel", "ann", "bob")
    await accounts.follow_user.execute(me, "ann")
    await suggested(accounts, me)  # never computed: computed now
    computed_at = accounts.store.suggestion_runs[me.user_id]
    accounts.clock.advance(hours=1)
    await suggested(accounts, me)
    await accounts.block_user.execute(me, "bob")
    await accounts.mute_user.execute(me, "ann")
    await suggested(accounts, me)
    assert accounts.store.suggestion_runs[me.user_id] == computed_at
    assert accounts.later.delayed == []


async def test_dismissing_is_idempotent_and_for_good(accounts: Accounts) -> None:
    me, ann, bob = await people(accounts, "mel", "ann", "bob")
    await post(accounts, ann)
    await post(accounts, bob)
    assert [name for name, _ in await suggested(accounts, me)] == ["bob", "ann"]
    await accounts.dismiss_suggestion.execute(me, "bob")
    await accounts.dismiss_suggestion.execute(me, "BOB")
    assert [name for name, _ in await suggested(accounts, me)] == ["ann"]
    await accounts.compute_account_suggestions.execute(me.user_id)
    assert [name for name, _ in await suggested(accounts, me)] == ["ann"]
    with pytest.raises(NotFound):
        await accounts.dismiss_suggestion.execute(me, "nobody")
    with pytest.raises(Invalid):
        await accounts.dismiss_suggestion.execute(me, "mel")


async def test_stale_suggestions_are_refreshed_for_active_users_and_dropped_for_idle_ones(
    accounts: Accounts,
) -> None:
    active, idle, ann = await people(accounts, "active", "idle", "ann")
    for viewer in (active, idle):
        await suggested(accounts, viewer)
    await post(accounts, ann)
    accounts.clock.advance(days=31)
    await accounts.log_in.execute(LogInCommand("active", PASSWORD))
    refresh = accounts.uc.get(RefreshStaleSuggestions)
    assert await refresh.execute() == 1
    assert accounts.store.suggestion_runs[active.user_id] == accounts.clock.now()
    assert idle.user_id not in accounts.store.suggestion_runs
    assert await suggested(accounts, active) == [("ann", "recently active")]
    assert await refresh.execute() == 0  # nothing stale any more
