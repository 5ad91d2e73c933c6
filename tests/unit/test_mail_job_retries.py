"""What a job that sends mail does with the mailer's answers: ``Unavailable`` fails it for a
retry, ``MailRefused`` ends it (logged); and a mail job is queued with retries that outlast a
mail server outage of hours, where other jobs keep SAQ's short default."""

from __future__ import annotations

import logging
from typing import Any, cast
from uuid import uuid4

import pytest
from saq import Queue

from social.adapters.jobs.retries import DEFAULT_RETRIES, MAIL_DELIVERY
from social.adapters.jobs.saq_queue import SaqJobQueue
from social.adapters.jobs.tasks import JOB_RETRIES
from social.domain.shared.errors import Unavailable
from social.domain.shared.jobs import FanOutPost
from social.domain.shared.mail import MailMessage, MailRefused
from tests.fakes.shared import RecordingMailer
from tests.mail_jobs import MailGreeting, OneUseCase, SendGreeting, greeting_handler


class RefusingMailer:
    async def send(self, message: MailMessage) -> None:
        raise MailRefused(message.to, "550 5.1.1 no such user")


HANDLER = greeting_handler()


async def test_an_outage_fails_the_job_and_the_retry_delivers() -> None:
    mailer = RecordingMailer()
    lookup = OneUseCase(SendGreeting(mailer))
    mailer.down = True
    with pytest.raises(Unavailable):
        await HANDLER.run(lookup, MailGreeting("a@example.com"))
    mailer.down = False
    await HANDLER.run(lookup, MailGreeting("a@example.com"))
    assert [m.to for m in mailer.sent] == ["a@example.com"]


async def test_a_refusal_for_good_ends_the_job_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, "social.adapters.jobs.registry"):
        result = await HANDLER.run(
            OneUseCase(SendGreeting(RefusingMailer())), MailGreeting("b@x.io")
        )
    assert result is None
    [record] = caplog.records
    assert record.getMessage() == "mail refused for good, not retried"
    assert record.__dict__["reply"] == "550 5.1.1 no such user"
    assert "b@x.io" not in caplog.text


class RecordingSaqQueue:
    def __init__(self) -> None:
        self.enqueued: list[dict[str, Any]] = []

    async def enqueue(self, job: str, **options: Any) -> None:
        self.enqueued.append({"job": job, **options})


async def test_a_mail_job_is_queued_to_be_retried_for_hours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(JOB_RETRIES, HANDLER.name, HANDLER.retries)
    saq = RecordingSaqQueue()
    queue = SaqJobQueue(cast("Queue", saq))
    await queue.enqueue(MailGreeting("c@example.com"))
    await queue.enqueue(FanOutPost(post_id=uuid4()))
    mail, other = saq.enqueued
    assert (mail["retries"], mail["retry_backoff"], mail["to"]) == (40, 900, "c@example.com")
    assert (other["retries"], other["retry_backoff"]) == (DEFAULT_RETRIES.attempts, True)
    assert 3.5 * 3600 < MAIL_DELIVERY.expected_total_s(mail["retry_delay"]) < 4.5 * 3600
    assert DEFAULT_RETRIES.expected_total_s() < 60
