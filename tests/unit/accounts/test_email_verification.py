"""Email verification (AUTH-8) on fakes: mailed at sign-up and on request, the token stored
hashed, usable once and for 24 hours, ``email_verified`` then true."""

from __future__ import annotations

import pytest

from social.domain.accounts.jobs import SendEmailVerification
from social.domain.accounts.mails import VERIFY_EMAIL_PATH
from social.domain.accounts.one_time_tokens import InvalidToken, hash_one_time_token
from social.domain.shared.errors import RateLimited, Unavailable
from tests.unit.accounts.mail_harness import build_mail_accounts, token_in


async def test_sign_up_mails_a_link_that_verifies_the_address_once() -> None:
    accounts, mailer = build_mail_accounts()
    user, _, alice = await accounts.sign_up("alice")
    assert user.email_verified_at is None
    assert accounts.store.jobs == [SendEmailVerification(user.id)]  # the request sends nothing
    assert mailer.sent == []
    await accounts.run_jobs()
    [message] = mailer.sent
    assert (message.to, message.subject) == ("alice@example.com", "Confirm your email address")
    token = token_in(message, VERIFY_EMAIL_PATH)
    [stored] = accounts.store.account_tokens.values()
    assert stored.token_hash == hash_one_time_token(token) != token.encode()
    await accounts.verify_email.execute(token)
    assert accounts.user(alice).email_verified_at == accounts.clock.now()
    with pytest.raises(InvalidToken) as refused:
        await accounts.verify_email.execute(token)
    assert refused.value.code == "invalid-token" and refused.value.errors[0].field == "token"


async def test_a_verification_token_expires_after_24_hours() -> None:
    accounts, mailer = build_mail_accounts()
    _, _, alice = await accounts.sign_up("alice")
    await accounts.run_jobs()
    token = token_in(mailer.sent[0], VERIFY_EMAIL_PATH)
    accounts.clock.advance(hours=24)
    with pytest.raises(InvalidToken):
        await accounts.verify_email.execute(token)
    assert accounts.user(alice).email_verified_at is None
    with pytest.raises(InvalidToken):
        await accounts.verify_email.execute("not-a-token")


async def test_the_mail_can_be_asked_for_again_a_few_times() -> None:
    accounts, mailer = build_mail_accounts(rate_limit_email_verification=2)
    _, _, alice = await accounts.sign_up("alice")
    await accounts.run_jobs()
    await accounts.request_email_verification.execute(alice)
    await accounts.request_email_verification.execute(alice)
    with pytest.raises(RateLimited):
        await accounts.request_email_verification.execute(alice)
    await accounts.run_jobs()
    tokens = [token_in(message, VERIFY_EMAIL_PATH) for message in mailer.sent]
    assert len(set(tokens)) == 3
    await accounts.verify_email.execute(tokens[1])  # any of them works
    assert accounts.user(alice).email_verified_at is not None


async def test_a_verified_address_gets_no_more_mail() -> None:
    accounts, mailer = build_mail_accounts()
    user, _, alice = await accounts.sign_up("alice")
    await accounts.run_jobs()
    await accounts.verify_email.execute(token_in(mailer.sent[0], VERIFY_EMAIL_PATH))
    jobs = len(accounts.store.jobs)
    await accounts.request_email_verification.execute(alice)  # answered the same, nothing queued
    assert len(accounts.store.jobs) == jobs
    assert await accounts.mail_email_verification.execute(user.id) is False  # a late job
    assert len(mailer.sent) == 1


async def test_a_mail_server_outage_fails_the_job_for_a_retry() -> None:
    accounts, mailer = build_mail_accounts()
    user, _, _ = await accounts.sign_up("alice")
    mailer.down = True
    with pytest.raises(Unavailable):
        await accounts.run_jobs()
    mailer.down = False
    assert await accounts.mail_email_verification.execute(user.id) is True  # the retry
    await accounts.verify_email.execute(token_in(mailer.sent[0], VERIFY_EMAIL_PATH))
