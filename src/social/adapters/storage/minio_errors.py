"""S3/MinIO errors in the domain's words: a missing key is ``ObjectNotFound``, a service that
does not answer is ``Unavailable`` (the driver's error kept as ``__cause__``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import urllib3
from minio.error import MinioException, S3Error

from social.domain.media.errors import ObjectNotFound
from social.domain.shared.errors import Unavailable

__all__ = ["DEPENDENCY", "translated"]

DEPENDENCY = "storage"
_MISSING_OBJECT_CODES = frozenset({"NoSuchKey", "NoSuchObject"})


@contextmanager
def translated(key: str = "") -> Iterator[None]:
    """Storage errors → domain errors: a missing key, or the service being unreachable."""
    try:
        yield
    except S3Error as exc:
        if exc.code in _MISSING_OBJECT_CODES:
            raise ObjectNotFound(f"No object stored under {key!r}.") from exc
        raise
    except (MinioException, urllib3.exceptions.HTTPError) as exc:
        raise Unavailable("The object storage did not answer.", dependency=DEPENDENCY) from exc
