"""The ``minio`` clients of the S3 storage: one for requests, one for signing URLs under the
address clients use, both on one connection pool of our own (explicit timeouts, where the
client's default waits 5 minutes, and a ``clear()`` to close it)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3
from minio import Minio

__all__ = ["MinioClients"]


@dataclass(frozen=True, slots=True)
class MinioClients:
    """``client`` makes requests; ``presigner`` only signs (with the region set it never makes
    a request), for ``public_endpoint`` when clients reach the service under another address
    than the app does; ``http`` is the pool both share."""

    client: Minio
    presigner: Minio
    http: urllib3.PoolManager

    @classmethod
    def connect(
        cls,
        endpoint: str,
        *,
        access_key: str,
        secret_key: str,
        secure: bool,
        region: str,
        public_endpoint: str,
        connect_timeout_s: float,
        read_timeout_s: float,
        max_connections: int,
    ) -> MinioClients:
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=connect_timeout_s, read=read_timeout_s),
            maxsize=max_connections,
            cert_reqs="CERT_REQUIRED",
            ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
            retries=urllib3.Retry(
                total=3, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]
            ),
        )
        client = Minio(
            endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=secure,
            region=region,
            http_client=http,
        )
        presigner = client
        if public_endpoint:
            public_host, public_secure = _split_endpoint(public_endpoint, default_secure=secure)
            presigner = Minio(
                public_host,
                access_key=access_key,
                secret_key=secret_key,
                secure=public_secure,
                region=region,
                http_client=http,
            )
        return cls(client=client, presigner=presigner, http=http)


def _split_endpoint(endpoint: str, *, default_secure: bool) -> tuple[str, bool]:
    """``host:port`` or ``http(s)://host:port`` → (``host:port``, secure)."""
    if "://" not in endpoint:
        return endpoint, default_secure
    parts = urlsplit(endpoint)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path.strip("/"):
        raise ValueError(
            f"public_endpoint must be host[:port] or http(s)://host[:port]: {endpoint!r}"
        )
    return parts.netloc, parts.scheme == "https"
