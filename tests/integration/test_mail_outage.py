"""A mail server outage loses no mail: jobs that send mail fail while the SMTP server cannot be
reached, SAQ retries them (the embedded queue on PostgreSQL, a real worker running the
production task wrapper), and once the server is back each message arrives in Mailpit exactly
once. The server "goes down" behind a TCP proxy, so the shared Mailpit keeps running."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from collections.abc import AsyncIterator
from typing import Any

import pytest
from saq.types import Context

from social.adapters.jobs.retries import MAIL_DELIVERY
from social.adapters.jobs.saq_queue import SaqJobQueue, saq_url
from social.adapters.jobs.tasks import JOB_RETRIES, task_for
from social.adapters.jobs.worker import InProcessWorker, SocialWorker
from social.adapters.mail.smtp import SmtpMailer
from social.domain.shared.errors import Unavailable
from social.domain.shared.mail import MailMessage
from tests.mail_jobs import MailGreeting, OneUseCase, SendGreeting, greeting_handler
from tests.mailpit import Mailpit, mailpit_or_skip
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

RECIPIENTS = [f"person{n}@example.com" for n in range(3)]
RETRIES = dataclasses.replace(MAIL_DELIVERY, max_delay_s=0.5)
"""The mail jobs' policy (40 retries) with waits cut to half a second, so the test is quick."""


class CountingMailer:
    """The SMTP mailer, counting the sends that found the server away."""

    def __init__(self, mailer: SmtpMailer) -> None:
        self._mailer = mailer
        self.outages = 0

    async def send(self, message: MailMessage) -> None:
        try:
            await self._mailer.send(message)
        except Unavailable:
            self.outages += 1
            raise


@pytest.fixture
async def mailpit() -> AsyncIterator[Mailpit]:
    server = mailpit_or_skip()
    yield server
    await server.delete_mine()


@pytest.fixture
async def proxy(mailpit: Mailpit) -> AsyncIterator[TcpProxy]:
    """In front of Mailpit's SMTP port, not started: the mail server is down."""
    tcp = TcpProxy(mailpit.smtp_host, mailpit.smtp_port)
    yield tcp
    await tcp.close()


async def eventually(done: Any, seconds: float) -> None:
    for _ in range(int(seconds * 10)):
        if await done():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("not within the time allowed")


async def test_mail_queued_during_an_outage_is_delivered_once_it_ends(
    database_url: str, mailpit: Mailpit, proxy: TcpProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = greeting_handler(RETRIES)
    monkeypatch.setitem(JOB_RETRIES, handler.name, handler.retries)
    smtp = SmtpMailer(
        dataclasses.replace(mailpit.smtp(port=proxy.port), timeout_s=2), sender=mailpit.sender
    )
    mailer = CountingMailer(smtp)
    queue = SaqJobQueue.from_url(
        saq_url("", database_url), name=f"mail-{secrets.token_hex(4)}", retry_delay_s=0.1
    )
    await queue.connect()

    async def startup(ctx: Context) -> None:
        ctx["use_cases"] = OneUseCase(SendGreeting(mailer))  # type: ignore[typeddict-unknown-key]

    worker = InProcessWorker(
        SocialWorker(
            queue.queue, functions=[task_for(handler)], startup=startup, dequeue_timeout=0.2
        )
    )
    worker.start()
    try:
        for to in RECIPIENTS:
            await queue.enqueue(MailGreeting(to))

        async def retried_a_few_times() -> bool:
            return mailer.outages >= 3 * len(RECIPIENTS)

        await eventually(retried_a_few_times, 30)
        assert await mailpit.summaries() == []  # nothing got through while it was down

        await proxy.start()  # the mail server is back

        async def all_delivered() -> bool:
            return len(await mailpit.summaries()) >= len(RECIPIENTS)

        await eventually(all_delivered, 30)
        await asyncio.sleep(1.5)  # longer than a retry wait: a second copy would show by now
        summaries = await mailpit.summaries()
        delivered = sorted(to["Address"] for summary in summaries for to in summary["To"])
        assert delivered == RECIPIENTS  # every message, once
        assert await queue.queue.count("incomplete") == 0
    finally:
        await worker.stop()
        await queue.close()
