"""The media context's use cases: uploads, their processing, and discarding stored objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from social.bootstrap.adapters import Adapters
from social.domain.media.delete_objects import DeleteStoredObjects
from social.domain.media.manage_media import CollectUnattachedMedia, DiscardMedia, GetMedia
from social.domain.media.presigned_upload import CompleteUpload, RequestUpload
from social.domain.media.process_media import ProcessMedia
from social.domain.media.upload_media import UploadMedia

__all__ = ["MediaUseCases", "build"]


@dataclass(frozen=True, slots=True)
class MediaUseCases:
    delete_stored_objects: DeleteStoredObjects
    upload_media: UploadMedia
    request_upload: RequestUpload
    complete_upload: CompleteUpload
    process_media: ProcessMedia
    get_media: GetMedia
    discard_media: DiscardMedia
    collect_unattached_media: CollectUnattachedMedia


def build(a: Adapters) -> MediaUseCases:
    settings = a.settings
    media = settings.media.limits()
    discard = DiscardMedia(uow=a.uow, storage=a.storage)
    return MediaUseCases(
        delete_stored_objects=DeleteStoredObjects(storage=a.storage),
        upload_media=UploadMedia(
            uow=a.uow,
            storage=a.storage,
            images=a.images,
            videos=a.videos,
            clock=a.clock,
            limits=media,
        ),
        request_upload=RequestUpload(uow=a.uow, storage=a.storage, clock=a.clock, limits=media),
        complete_upload=CompleteUpload(uow=a.uow, storage=a.storage, limits=media),
        process_media=ProcessMedia(
            uow=a.uow, storage=a.storage, images=a.images, videos=a.videos, limits=media
        ),
        get_media=GetMedia(uow=a.uow),
        discard_media=discard,
        collect_unattached_media=CollectUnattachedMedia(
            uow=a.uow,
            discard=discard,
            clock=a.clock,
            grace=timedelta(seconds=settings.media.media_unattached_grace_s),
        ),
    )
