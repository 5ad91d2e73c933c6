"""Password reset (AUTH-8) on fakes: the request never tells whether an account exists, the
mailed token works once and for an hour, and a reset ends every session."""

from __future__ import annotations

import pytest

from social.domain.accounts.jobs import SecurityEvent, SendPasswordReset, SendSecurityNotice
from social.domain.accounts.log_in import LogInCommand
from social.domain.accounts.mails import RESET_PASSWORD_PATH
from social.domain.accounts.one_time_tokens import InvalidToken
from social.domain.shared.errors import AuthenticationFailed, Invalid, RateLimited
from tests.unit.accounts.mail_harness import build_mail_accounts, token_in
from tests.unit.harness import PASSWORD, Accounts

NEW_PASSWORD = "another sturdy phrase 7"


async def _signed_up(accounts: Accounts) -> None:
    await accounts.sign_up("alice")
    await accounts.run_jobs()  # the verification mail


async def test_forgot_does_the_same_for_known_and_unknown_addresses() -> None:
    accounts, mailer = build_mail_accounts()
    await _signed_up(accounts)
    sent = len(mailer.sent)
    before = len(accounts.store.jobs)
    assert await accounts.forgot_password.execute(" Alice@Example.com ") is None
    assert await accounts.forgot_password.execute("nobody@example.com") is None
    known, unknown = accounts.store.jobs[before:]
    assert type(known) is type(unknown) is SendPasswordReset
    assert len(known.email_key) == len(unknown.email_key) == 64  # a key, never the address
    assert "example" not in known.email_key + unknown.email_key
    await accounts.run_jobs()
    [message] = mailer.sent[sent:]  # only the account's address got a mail
    assert (message.to, message.subject) == ("alice@example.com", "Reset your password")


async def test_a_reset_sets_the_password_once_and_ends_every_session() -> None:
    accounts, mailer = build_mail_accounts()
    _, first, _ = await accounts.sign_up("alice")
    second = await accounts.log_in.execute(LogInCommand("alice", PASSWORD))
    await accounts.forgot_password.execute("alice@example.com")
    await accounts.run_jobs()
    token = token_in(mailer.sent[-1], RESET_PASSWORD_PATH)
    await accounts.reset_password.execute(token, NEW_PASSWORD)
    for tokens in (first, second):
        with pytest.raises(AuthenticationFailed):
            await accounts.authenticate.execute(tokens.access_token)
        with pytest.raises(AuthenticationFailed):
            await accounts.refresh_session.execute(tokens.refresh_token)
    with pytest.raises(AuthenticationFailed):
        await accounts.log_in.execute(LogInCommand("alice", PASSWORD))
    await accounts.log_in.execute(LogInCommand("alice", NEW_PASSWORD))
    with pytest.raises(InvalidToken):
        await accounts.reset_password.execute(token, "yet another phrase 99")
    user = next(iter(accounts.store.users.values()))
    assert user.email_verified_at is not None  # the mail reached its owner
    assert accounts.store.jobs[-1] == SendSecurityNotice(user.id, SecurityEvent.PASSWORD_RESET)
    await accounts.run_jobs()
    assert mailer.sent[-1].subject == "Security notice for your account"
    assert "was reset" in mailer.sent[-1].text


async def test_a_refused_password_leaves_the_token_usable() -> None:
    accounts, mailer = build_mail_accounts()
    await _signed_up(accounts)
    await accounts.forgot_password.execute("alice@example.com")
    await accounts.run_jobs()
    token = token_in(mailer.sent[-1], RESET_PASSWORD_PATH)
    with pytest.raises(Invalid) as refused:
        await accounts.reset_password.execute(token, "alice12345678")
    assert refused.value.errors[0].field == "new_password"
    assert not isinstance(refused.value, InvalidToken)
    await accounts.reset_password.execute(token, NEW_PASSWORD)


async def test_a_reset_token_expires_after_an_hour_and_newer_ones_end_older_ones() -> None:
    accounts, mailer = build_mail_accounts()
    await _signed_up(accounts)
    for _ in range(2):
        await accounts.forgot_password.execute("alice@example.com")
    await accounts.run_jobs()
    older, newer = (token_in(m, RESET_PASSWORD_PATH) for m in mailer.sent[-2:])
    accounts.clock.advance(minutes=59)
    await accounts.reset_password.execute(newer, NEW_PASSWORD)
    with pytest.raises(InvalidToken):  # a reset uses up every reset token of the account
        await accounts.reset_password.execute(older, "yet another phrase 99")
    await accounts.forgot_password.execute("alice@example.com")
    await accounts.run_jobs()
    late = token_in(mailer.sent[-1], RESET_PASSWORD_PATH)
    accounts.clock.advance(hours=1)
    with pytest.raises(InvalidToken):
        await accounts.reset_password.execute(late, "yet another phrase 99")


async def test_forgot_is_limited_per_address_whether_or_not_it_exists() -> None:
    accounts, _ = build_mail_accounts(rate_limit_password_forgot_per_email=2)
    await _signed_up(accounts)
    for address in ("alice@example.com", "nobody@example.com"):
        for _ in range(2):
            await accounts.forgot_password.execute(address)
        with pytest.raises(RateLimited):
            await accounts.forgot_password.execute(address)
    with pytest.raises(Invalid):
        await accounts.forgot_password.execute("not an address")


async def test_no_reset_mail_for_a_deleted_account() -> None:
    accounts, mailer = build_mail_accounts()
    _, _, alice = await accounts.sign_up("alice")
    await accounts.run_jobs()
    await accounts.delete_account.execute(alice, PASSWORD)
    sent = len(mailer.sent)
    await accounts.forgot_password.execute("alice@example.com")
    await accounts.run_jobs(SendPasswordReset)
    assert len(mailer.sent) == sent
