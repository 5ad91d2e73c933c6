"""The external services and their pools; an empty URL selects the embedded adapter."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ServiceSettings"]


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    """PostgreSQL, Redis, S3 and OpenSearch: where they are and how many connections to hold."""

    database_url: str = ""
    database_pool_size: int = 20
    """Connections of a process's write pool (units of work: a transaction each)."""
    database_pool_timeout_s: float = 10.0
    database_read_pool_size: int = 10
    """Connections of a process's read pool (the read model: one statement at a time, no
    transaction). An in-process job worker gets ``database_job_pool_size`` of its own, so a
    busy API never starves its jobs."""
    database_job_pool_size: int = 5
    redis_url: str = ""
    s3_endpoint: str = ""
    """host:port of an S3-compatible service (MinIO); empty → media on the local disk."""
    s3_access_key: str = ""
    s3_secret_key: str = ""
    s3_bucket: str = "social-media"
    s3_secure: bool = False
    s3_region: str = "us-east-1"
    s3_public_endpoint: str = ""
    """Endpoint clients use for presigned URLs when it differs from ``s3_endpoint``."""
    opensearch_url: str = ""
    opensearch_index_prefix: str = "social"
    search_index_name: str = "posts"

    @property
    def uses_embedded_database(self) -> bool:
        """No database URL: the process starts and manages a local PostgreSQL itself."""
        return not self.database_url
