"""The one registry of jobs: for each job message, the use case that runs it and the call.

The SAQ tasks are made from it (``tasks.py``: one task per entry, named after the message's
``job_name``), unit tests run the jobs their use cases queued through it, and a test checks
that every message has exactly one entry and that the composition root builds every use case
named here. Every call must be idempotent: a job may run more than once (retries, the outbox
relay racing a dispatch).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from social.adapters.jobs.retries import (
    DEFAULT_RETRIES,
    FACE_INDEXING,
    MAIL_DELIVERY,
    PUSH_DELIVERY,
    Retries,
)
from social.domain.accounts.email_verification import MailEmailVerification
from social.domain.accounts.jobs import SendEmailVerification, SendPasswordReset, SendSecurityNotice
from social.domain.accounts.password_reset import MailPasswordReset
from social.domain.accounts.security_notices import MailSecurityNotice
from social.domain.discovery.compute_suggestions import DebounceSuggestionRefresh
from social.domain.faces.index_faces import IndexFaces
from social.domain.faces.jobs import IndexPhotoFaces
from social.domain.feed.fan_out import DropFromFeed, FanOut, RefreshFeed, RetractFromFeeds
from social.domain.lifecycle.build_export import BuildDataExport, SendDataExportLink
from social.domain.lifecycle.jobs import BuildDataExportArchive, MailDataExportLink
from social.domain.lifecycle.purge_account import PurgeAccount
from social.domain.media.delete_objects import DeleteStoredObjects
from social.domain.media.jobs import DiscardPostMedia, ProcessMediaItem, RemoveStoredObjects
from social.domain.media.manage_media import DiscardMedia
from social.domain.media.process_media import ProcessMedia
from social.domain.notifications.deliver_push import DeliverPushNotification
from social.domain.notifications.jobs import DeliverPush
from social.domain.notifications.notify import Notify, WithdrawNotifications
from social.domain.shared.jobs import (
    DropActorFromFeed,
    FanOutPost,
    FanOutShare,
    Job,
    PurgeDeletedAccount,
    RefreshAccountSuggestions,
    RefreshHomeFeed,
    RetractFeedEntry,
    SendNotification,
    WithdrawNotification,
)
from social.domain.shared.mail import MailRefused

__all__ = [
    "DEFAULT_TIMEOUT_S",
    "HANDLERS",
    "Handler",
    "UseCaseLookup",
    "handler_for",
    "handles",
    "run_job",
]

log = logging.getLogger(__name__)

T = TypeVar("T")
J = TypeVar("J", bound=Job)
U = TypeVar("U")

DEFAULT_TIMEOUT_S = 60
"""SAQ's own default is 10 s; a job past its timeout is aborted and retried."""


class UseCaseLookup(Protocol):
    """The composition root's use cases, found by their type (what a worker's context holds)."""

    def get(self, kind: type[T]) -> T: ...


@dataclass(frozen=True, slots=True)
class Handler(Generic[J, U]):
    """Jobs of type ``job`` run ``call`` on the use case of type ``use_case``; a failed one is
    retried as ``retries`` says (``MAIL_DELIVERY`` for a job that sends mail)."""

    job: type[J]
    use_case: type[U]
    call: Callable[[U, J], Awaitable[object]]
    timeout_s: int = DEFAULT_TIMEOUT_S
    retries: Retries = DEFAULT_RETRIES

    @property
    def name(self) -> str:
        return self.job.job_name

    async def run(self, use_cases: UseCaseLookup, job: J) -> object:
        """The call's result; a message the mail server refused for good ends the job (logged,
        not retried: it would be refused again), while ``Unavailable`` fails it for a retry."""
        try:
            return await self.call(use_cases.get(self.use_case), job)
        except MailRefused as refused:
            log.warning(
                "mail refused for good, not retried",
                extra={"job": self.name, "reply": refused.reply},
            )
            return None


def handles(
    job: type[J],
    use_case: type[U],
    call: Callable[[U, J], Awaitable[object]],
    *,
    timeout_s: int = DEFAULT_TIMEOUT_S,
    retries: Retries = DEFAULT_RETRIES,
) -> Handler[J, U]:
    """An entry of the registry; typed, so mypy checks ``call`` against both types."""
    return Handler(job, use_case, call, timeout_s, retries)


async def _process_media(process: ProcessMedia, job: ProcessMediaItem) -> str | None:
    status = await process.execute(job.media_id)
    return status.value if status else None


async def _delete_objects(delete: DeleteStoredObjects, job: RemoveStoredObjects) -> int:
    await delete.execute(job.keys)
    return len(job.keys)


async def _purge_account(purge: PurgeAccount, job: PurgeDeletedAccount) -> bool:
    erased = await purge.execute(job.user_id)
    log.info("account purge", extra={"account": str(job.user_id), "erased": erased})
    return erased


async def _deliver_push(deliver: DeliverPushNotification, job: DeliverPush) -> str | None:
    outcome = await deliver.execute(job)
    return outcome.value if outcome else None


# Not annotated on purpose: under a declared ``tuple[Handler[Any, Any], ...]`` mypy would solve
# each ``handles`` call for ``Any`` and stop checking its ``call``.
HANDLERS = (
    # up to the fan-out threshold of followers, a batch a round trip
    handles(FanOutPost, FanOut, lambda fan_out, job: fan_out.post(job.post_id), timeout_s=600),
    handles(FanOutShare, FanOut, lambda fan_out, job: fan_out.share(job.share_id), timeout_s=600),
    handles(
        RetractFeedEntry,
        RetractFromFeeds,
        lambda retract, job: retract.execute(job.entry_id, job.actor_id),
        timeout_s=600,
    ),
    handles(RefreshHomeFeed, RefreshFeed, lambda refresh, job: refresh.execute(job.owner_id)),
    handles(
        DropActorFromFeed, DropFromFeed, lambda drop, job: drop.execute(job.owner_id, job.actor_id)
    ),
    handles(SendNotification, Notify, Notify.execute),
    handles(WithdrawNotification, WithdrawNotifications, WithdrawNotifications.execute),
    handles(DeliverPush, DeliverPushNotification, _deliver_push, retries=PUSH_DELIVERY),
    # a 3-minute video transcode on one slow core, with margin
    handles(ProcessMediaItem, ProcessMedia, _process_media, timeout_s=1200),
    handles(
        DiscardPostMedia,
        DiscardMedia,
        lambda discard, job: discard.execute(job.media_ids),
        timeout_s=300,
    ),
    handles(RemoveStoredObjects, DeleteStoredObjects, _delete_objects),
    handles(
        RefreshAccountSuggestions,
        DebounceSuggestionRefresh,
        lambda refresh, job: refresh.execute(job.user_id, job.since),
    ),
    handles(PurgeDeletedAccount, PurgeAccount, _purge_account, timeout_s=1800),
    # a photo's faces: ~0.3 s a face on one core, a few minutes for a crowd with the retries' margin
    handles(
        IndexPhotoFaces,
        IndexFaces,
        lambda index, job: index.execute(job.media_id, job.event_id),
        timeout_s=300,
        retries=FACE_INDEXING,
    ),
    # a large archive: every post's media copied into one zip
    handles(
        BuildDataExportArchive,
        BuildDataExport,
        lambda build, job: build.execute(job.export_id),
        timeout_s=3600,
    ),
    handles(
        MailDataExportLink,
        SendDataExportLink,
        lambda send, job: send.execute(job.export_id),
        retries=MAIL_DELIVERY,
    ),
    handles(
        SendEmailVerification,
        MailEmailVerification,
        lambda m, job: m.execute(job.user_id),
        retries=MAIL_DELIVERY,
    ),
    handles(
        SendPasswordReset,
        MailPasswordReset,
        lambda m, job: m.execute(job.email_key),
        retries=MAIL_DELIVERY,
    ),
    handles(
        SendSecurityNotice,
        MailSecurityNotice,
        lambda m, job: m.execute(job.user_id, job.event),
        retries=MAIL_DELIVERY,
    ),
)

_BY_TYPE: dict[type[Job], Handler[Any, Any]] = {h.job: h for h in HANDLERS}


def handler_for(kind: type[J]) -> Handler[J, Any]:
    """The entry for jobs of type ``kind``; ``KeyError`` when it has none."""
    return _BY_TYPE[kind]


async def run_job(use_cases: UseCaseLookup, job: Job) -> object:
    """Run ``job`` as a worker would (without the queue around it)."""
    return await handler_for(type(job)).run(use_cases, job)
