"""Security notices (AUTH-8) on fakes: a password change is mailed to the owner; every event
has its words."""

from __future__ import annotations

import pytest

from social.domain.accounts.change_password import ChangePasswordCommand
from social.domain.accounts.jobs import SecurityEvent, SendSecurityNotice
from social.domain.accounts.mails import security_notice_mail
from tests.unit.accounts.mail_harness import build_mail_accounts
from tests.unit.harness import PASSWORD


async def test_a_password_change_is_mailed_to_the_owner() -> None:
    accounts, mailer = build_mail_accounts()
    user, _, alice = await accounts.sign_up("alice")
    await accounts.run_jobs()
    await accounts.change_password.execute(
        alice, ChangePasswordCommand(PASSWORD, "another sturdy phrase 7")
    )
    assert accounts.store.jobs[-1] == SendSecurityNotice(user.id, SecurityEvent.PASSWORD_CHANGED)
    await accounts.run_jobs()
    notice = mailer.sent[-1]
    assert notice.to == "alice@example.com"
    assert "password of your account was changed" in notice.text


async def test_no_notice_for_an_account_that_is_gone() -> None:
    accounts, mailer = build_mail_accounts()
    user, _, alice = await accounts.sign_up("alice")
    await accounts.delete_account.execute(alice, PASSWORD)
    assert not await accounts.mail_security_notice.execute(user.id, SecurityEvent.EMAIL_CHANGED)
    assert mailer.sent == []


@pytest.mark.parametrize("event", list(SecurityEvent))
def test_every_event_has_its_words(event: SecurityEvent) -> None:
    message = security_notice_mail("a@example.com", "alice<b>", event)
    assert message.text.startswith("Hello alice<b>,")
    assert "alice&lt;b&gt;" in message.html and "<b>" not in message.html
