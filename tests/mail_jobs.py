"""A job that sends mail, as the account lifecycle's will (verification, reset, security
notices: built on other branches): its use case builds a message and hands it to the mailer,
and its registry entry asks for ``MAIL_DELIVERY`` retries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from social.adapters.jobs.registry import handles
from social.adapters.jobs.retries import MAIL_DELIVERY, Retries
from social.domain.shared.jobs import Job
from social.domain.shared.mail import Mailer, MailMessage

__all__ = ["MailGreeting", "OneUseCase", "SendGreeting", "greeting_handler"]


@dataclass(frozen=True, slots=True)
class MailGreeting(Job):
    job_name: ClassVar[str] = "test_mail_greeting"
    to: str


class SendGreeting:
    def __init__(self, mailer: Mailer) -> None:
        self.mailer = mailer

    async def execute(self, job: MailGreeting) -> None:
        text = f"Hello {job.to}"
        await self.mailer.send(MailMessage(job.to, "Hello", text, f"<p>{text}</p>"))


class OneUseCase:
    """The ``UseCaseLookup`` a worker's context holds, with just this use case."""

    def __init__(self, use_case: SendGreeting) -> None:
        self.use_case = use_case

    def get(self, kind: type[Any]) -> Any:
        assert kind is SendGreeting
        return self.use_case


def greeting_handler(retries: Retries = MAIL_DELIVERY) -> Any:
    return handles(MailGreeting, SendGreeting, SendGreeting.execute, retries=retries)
