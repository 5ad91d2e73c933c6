"""The unit harness with its mailer in view: the mailed account flows (verification, reset,
security notices) are checked by the messages they send."""

from __future__ import annotations

import re
from typing import Any

from social.bootstrap import build_use_cases
from social.domain.shared.mail import MailMessage
from social.settings import Settings
from tests.fakes.accounts import AccountsStore, FakePasswordHasher, FakeTokenIssuer
from tests.fakes.adapters import NamedUseCases, fake_adapters
from tests.fakes.media import InMemoryMediaStorage
from tests.fakes.shared import MutableClock, RecordingMailer
from tests.unit.harness import Accounts

__all__ = ["BASE_URL", "build_mail_accounts", "token_in"]

BASE_URL = "https://social.example"


def build_mail_accounts(**settings: Any) -> tuple[Accounts, RecordingMailer]:
    """Like ``build_accounts``, with the mailer returned and settings of the test's choice."""
    store, clock, hasher = AccountsStore(), MutableClock(), FakePasswordHasher()
    storage, mailer = InMemoryMediaStorage(clock=clock), RecordingMailer()
    adapters = fake_adapters(
        Settings.from_values(environment="test", public_url=BASE_URL, **settings),
        store=store,
        clock=clock,
        hasher=hasher,
        tokens=FakeTokenIssuer(clock),
        storage=storage,
        mailer=mailer,
    )
    accounts = Accounts(
        store=store,
        clock=clock,
        hasher=hasher,
        storage=storage,
        uc=NamedUseCases(build_use_cases(adapters)),
    )
    return accounts, mailer


def token_in(message: MailMessage, path: str) -> str:
    """The token of the link to ``path`` in the message, checked to be stated in both bodies."""
    found = re.search(re.escape(f"{BASE_URL}{path}?token=") + r"([A-Za-z0-9_-]+)", message.text)
    assert found, message.text
    token = found.group(1)
    assert f"code in the app: {token}" in message.text
    assert f'href="{BASE_URL}{path}?token={token}"' in message.html
    return token
