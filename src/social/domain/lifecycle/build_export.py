"""Building a data export's archive (the job half of AUTH-10) and mailing its link."""

from __future__ import annotations

import logging
from dataclasses import replace
from uuid import UUID

from social.domain.faces.reference import FaceReferences
from social.domain.lifecycle.data_export import ExportLimits, ExportStatus
from social.domain.lifecycle.export_archive import ArchiveWriter
from social.domain.lifecycle.export_ports import ExportUnitOfWorkFactory
from social.domain.lifecycle.jobs import MailDataExportLink
from social.domain.lifecycle.request_export import download_url
from social.domain.media.ports import MediaStorage
from social.domain.shared.clock import Clock
from social.domain.shared.errors import Unavailable
from social.domain.shared.mail import Mailer, MailMessage

__all__ = ["BuildDataExport", "SendDataExportLink"]

log = logging.getLogger(__name__)


class BuildDataExport:
    """Rules: only a pending export is built (a rerun after it finished does nothing); the
    archive is streamed into storage, never held whole; ready, it expires ``ttl`` later and
    its owner is mailed the link. An outage (``Unavailable``) is raised so the job is retried;
    any other failure marks the export failed (the owner may ask again) and removes what was
    stored."""

    def __init__(
        self,
        *,
        uow: ExportUnitOfWorkFactory,
        storage: MediaStorage,
        references: FaceReferences,
        clock: Clock,
        limits: ExportLimits,
    ) -> None:
        self._uow = uow
        self._storage = storage
        self._references = references
        self._clock = clock
        self._limits = limits

    async def execute(self, export_id: UUID) -> ExportStatus | None:
        """The export's status afterwards; ``None`` when there was nothing to build."""
        async with self._uow() as uow:
            export = await uow.exports.get(export_id)
            user = await uow.users.get(export.owner_id) if export else None
        if export is None or export.status is not ExportStatus.PENDING:
            return None
        try:
            if user is None or not user.is_active:
                raise LookupError("the account is gone")
            writer = ArchiveWriter(
                uow=self._uow,
                storage=self._storage,
                references=self._references,
                user=user,
                created_at=export.created_at,
                page_size=self._limits.page_size,
            )
            info = await self._storage.put(
                export.object_key, writer.chunks(), content_type="application/zip"
            )
        except Unavailable:
            raise
        except Exception:
            log.exception("data export failed", extra={"export": str(export_id)})
            await self._storage.delete(export.object_key)
            return await self._finish(export_id, ExportStatus.FAILED, None)
        return await self._finish(export_id, ExportStatus.READY, info.size)

    async def _finish(
        self, export_id: UUID, status: ExportStatus, size: int | None
    ) -> ExportStatus | None:
        now = self._clock.now()
        async with self._uow() as uow:
            export = await uow.exports.get(export_id, for_update=True)
            if export is None or export.status is not ExportStatus.PENDING:
                return None  # another run finished it first
            expires_at = now + self._limits.ttl if status is ExportStatus.READY else now
            await uow.exports.update(
                replace(
                    export,
                    status=status,
                    size_bytes=size,
                    finished_at=now,
                    expires_at=expires_at,
                )
            )
            if status is ExportStatus.READY:
                await uow.jobs.enqueue(MailDataExportLink(export_id=export_id))
            await uow.commit()
        return status


class SendDataExportLink:
    """Mails the owner of a ready export its link (valid until the export expires). An export
    no longer downloadable is not mailed; a mail-server outage raises and the job is retried."""

    def __init__(
        self,
        *,
        uow: ExportUnitOfWorkFactory,
        storage: MediaStorage,
        mailer: Mailer,
        clock: Clock,
        base_url: str,
    ) -> None:
        self._uow = uow
        self._storage = storage
        self._mailer = mailer
        self._clock = clock
        self._base_url = base_url.rstrip("/")

    async def execute(self, export_id: UUID) -> bool:
        """Whether a message was handed to the mailer."""
        async with self._uow() as uow:
            export = await uow.exports.get(export_id)
            user = await uow.users.get(export.owner_id) if export else None
        now = self._clock.now()
        url = await download_url(self._storage, export, now) if export else None
        if export is None or user is None or url is None:
            return False
        until = export.expires_at.strftime("%Y-%m-%d %H:%M UTC")
        text = (
            f"Hello {user.username},\n\nthe archive of your data is ready. Download it here "
            f"until {until}:\n\n{url}\n\nThe list of your exports: "
            f"{self._base_url}/api/v1/me/exports\n\nIf you did not ask for it, change your "
            "password.\n"
        )
        html = (
            f"<p>Hello {_escape(user.username)},</p><p>the archive of your data is ready. "
            f'<a href="{_escape(url)}">Download it</a> until {until}.</p>'
            "<p>If you did not ask for it, change your password.</p>"
        )
        subject = "Your data export is ready"
        await self._mailer.send(MailMessage(to=user.email, subject=subject, text=text, html=html))
        return True


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
