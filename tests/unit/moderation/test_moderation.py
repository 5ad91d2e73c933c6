"""Reports, suspensions, roles and the audit log on fakes (MOD-1, AUTH-4)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from social.domain.accounts.log_in import LogInCommand
from social.domain.moderation.model import ReportStatus, Resolution, TargetType
from social.domain.posts.create_post import CreatePostCommand
from social.domain.shared.errors import AuthenticationFailed, Conflict, Forbidden, Invalid, NotFound
from social.domain.shared.identity import Role, Viewer
from social.domain.shared.pagination import PageRequest
from tests.fakes.media import FAKE_IMAGE
from tests.fakes.reads import shown
from tests.unit.harness import PASSWORD, Accounts, ready_media


def promote(accounts: Accounts, viewer: Viewer, role: Role) -> Viewer:
    accounts.store.users[viewer.user_id] = replace(accounts.store.users[viewer.user_id], role=role)
    return replace(viewer, role=role)


async def test_reports_need_something_visible_and_repeat_as_one(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    media = await ready_media(accounts, alice, FAKE_IMAGE)
    post = (await accounts.create_post.execute(alice, CreatePostCommand("x", (media.id,)))).state
    first = await accounts.report_content.execute(bob, TargetType.POST, post.id, " spam  ")
    again = await accounts.report_content.execute(bob, TargetType.POST, post.id, "spam!")
    assert (
        first.id == again.id and first.reason == "spam" and first.target_owner_id == alice.user_id
    )
    await accounts.block_user.execute(alice, "bob")
    with pytest.raises(NotFound):  # what one cannot see cannot be reported
        await accounts.report_content.execute(bob, TargetType.USER, alice.user_id, "x")
    with pytest.raises(Invalid):
        await accounts.report_content.execute(alice, TargetType.USER, alice.user_id, "me")
    with pytest.raises(Invalid):
        await accounts.report_content.execute(alice, TargetType.POST, post.id, "   ")


async def test_only_moderators_see_the_queue_and_resolve_once(accounts: Accounts) -> None:
    _, _, alice = await accounts.sign_up("alice")
    _, _, bob = await accounts.sign_up("bob")
    _, _, mod = await accounts.sign_up("mod")
    mod = promote(accounts, mod, Role.MODERATOR)
    report = await accounts.report_content.execute(bob, TargetType.USER, alice.user_id, "rude")
    with pytest.raises(Forbidden):
        await accounts.moderation_queue.execute(bob, ReportStatus.OPEN, PageRequest())
    queue = await accounts.moderation_queue.execute(mod, ReportStatus.OPEN, PageRequest())
    assert [r.id for r in queue.items] == [report.id]
    with pytest.raises(Invalid):  # an account has no content to remove
        await accounts.resolve_report.execute(mod, report.id, Resolution.REMOVE_CONTENT)
    await accounts.resolve_report.execute(mod, report.id, Resolution.DISMISS, "not rude")
    with pytest.raises(Conflict):
        await accounts.resolve_report.execute(mod, report.id, Resolution.DISMISS)
    done = await accounts.moderation_queue.execute(mod, ReportStatus.RESOLVED, PageRequest())
    assert done.items[0].resolution is Resolution.DISMISS and done.items[0].note == "not rude"


async def test_suspension_ends_sessions_and_hides_until_reinstated(accounts: Accounts) -> None:
    user, tokens, _ = await accounts.sign_up("alice")
    _, _, mod = await accounts.sign_up("mod")
    mod = promote(accounts, mod, Role.MODERATOR)
    await accounts.suspend_account.suspend(mod, user.id, "spam")
    with pytest.raises(AuthenticationFailed):
        await accounts.authenticate.execute(tokens.access_token)
    with pytest.raises(AuthenticationFailed):
        await accounts.log_in.execute(LogInCommand(login="alice", password=PASSWORD))
    with pytest.raises(NotFound):
        await accounts.view_profile.execute(None, "alice")
    await accounts.suspend_account.suspend(mod, user.id)  # again: nothing more
    await accounts.suspend_account.reinstate(mod, user.id)
    assert shown(await accounts.view_profile.execute(None, "alice"))["username"] == "alice"
    actions = [e.action for e in accounts.store.audit]
    assert actions == ["suspend_user", "reinstate_user"]


async def test_who_may_act_on_whom(accounts: Accounts) -> None:
    _, _, admin = await accounts.sign_up("boss")
    _, _, mod = await accounts.sign_up("mod")
    _, _, other = await accounts.sign_up("other")
    admin, mod = promote(accounts, admin, Role.ADMIN), promote(accounts, mod, Role.MODERATOR)
    with pytest.raises(Forbidden):
        await accounts.suspend_account.suspend(mod, admin.user_id)
    with pytest.raises(Forbidden):
        await accounts.suspend_account.suspend(mod, mod.user_id)
    with pytest.raises(Forbidden):
        await accounts.change_role.execute(mod, other.user_id, Role.MODERATOR)
    with pytest.raises(Invalid):
        await accounts.change_role.execute(admin, admin.user_id, Role.USER)
    await accounts.change_role.execute(admin, other.user_id, Role.MODERATOR)
    assert accounts.store.users[other.user_id].role is Role.MODERATOR
    await accounts.suspend_account.suspend(admin, mod.user_id)  # an admin may
    with pytest.raises(Forbidden):
        await accounts.list_audit_log.execute(replace(other, role=Role.MODERATOR), PageRequest())
    log = await accounts.list_audit_log.execute(admin, PageRequest())
    assert [e.action for e in log.items] == ["suspend_user", "change_role"]
    assert log.items[1].details == {"old": "user", "new": "moderator"}


async def test_the_command_line_makes_the_first_admin(accounts: Accounts) -> None:
    user, _, _ = await accounts.sign_up("alice")
    changed = await accounts.change_role.from_command_line(" Alice ", Role.ADMIN)
    assert changed.role is Role.ADMIN and accounts.store.users[user.id].role is Role.ADMIN
    assert accounts.store.audit[-1].actor_id.int == 0  # done from the command line
    with pytest.raises(NotFound):
        await accounts.change_role.from_command_line("nobody", Role.ADMIN)
