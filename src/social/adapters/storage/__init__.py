"""Storage adapters of the ``MediaStorage`` port: local disk (embedded mode) and S3/MinIO."""

from __future__ import annotations

from social.adapters.storage.local_disk import LocalDiskCheck, LocalDiskMediaStorage
from social.adapters.storage.minio_storage import MinioCheck, MinioMediaStorage
from social.adapters.storage.object_keys import validate_content_type, validate_key

__all__ = [
    "LocalDiskCheck",
    "LocalDiskMediaStorage",
    "MinioCheck",
    "MinioMediaStorage",
    "validate_content_type",
    "validate_key",
]
