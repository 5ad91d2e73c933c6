"""AWS Signature V4 query signing with headers bound into the signature, for presigned PUTs.

The ``minio`` client signs presigned URLs over the ``host`` header only, so a client holding an
upload URL may send any ``Content-Type`` and any number of bytes (up to S3's 5 GiB). Listing
``content-length`` and ``content-type`` in ``X-Amz-SignedHeaders`` makes the service itself
refuse (403 ``SignatureDoesNotMatch``) a request whose headers differ from the signed values: a
body of another length, another type, or a chunked body without a length. S3 and MinIO both
check signed ``Content-Length`` on presigned requests (MinIO restores it from the parsed length
because Go's HTTP server strips the header), and AWS SDKs sign it the same way.

A presigned PUT keeps the API's upload contract (``PUT`` the bytes to ``upload_url``); a POST
policy with ``content-length-range`` would have changed it to a multipart form.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from urllib.parse import SplitResult, quote, urlsplit, urlunsplit

__all__ = ["presign_with_headers"]

_ALGORITHM = "AWS4-HMAC-SHA256"
_SERVICE = "s3"
_MAX_EXPIRY = timedelta(days=7)  # SigV4's limit for presigned URLs


def presign_with_headers(
    url: str,
    *,
    method: str,
    headers: Mapping[str, str],
    region: str,
    access_key: str,
    secret_key: str,
    now: datetime,
    expires_in: timedelta,
) -> str:
    """``url`` (scheme, host and path of the object, as the client addresses it; any query is
    dropped) signed for ``method`` with ``host`` and ``headers`` bound: the request must carry
    exactly these header values. ``now`` must be timezone-aware."""
    seconds = int(expires_in.total_seconds())
    if not 1 <= seconds <= _MAX_EXPIRY.total_seconds():
        raise ValueError("expires_in must be between 1 second and 7 days")
    parts = urlsplit(url)
    signed = {name.strip().lower(): " ".join(value.split()) for name, value in headers.items()}
    signed["host"] = parts.netloc
    names = sorted(signed)
    amz_date = _amz_date(now)
    scope = f"{amz_date[:8]}/{region}/{_SERVICE}/aws4_request"
    query = {
        "X-Amz-Algorithm": _ALGORITHM,
        "X-Amz-Credential": f"{access_key}/{scope}",
        "X-Amz-Date": amz_date,
        "X-Amz-Expires": str(seconds),
        "X-Amz-SignedHeaders": ";".join(names),
    }
    canonical_query = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(query.items()))
    canonical_request = "\n".join(
        (
            method.upper(),
            parts.path or "/",
            canonical_query,
            "".join(f"{name}:{signed[name]}\n" for name in names),
            ";".join(names),
            "UNSIGNED-PAYLOAD",
        )
    )
    string_to_sign = "\n".join(
        (_ALGORITHM, amz_date, scope, hashlib.sha256(canonical_request.encode()).hexdigest())
    )
    key = _hmac(f"AWS4{secret_key}".encode(), amz_date[:8])
    for step in (region, _SERVICE, "aws4_request"):
        key = _hmac(key, step)
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return urlunsplit(
        SplitResult(
            parts.scheme,
            parts.netloc,
            parts.path,
            f"{canonical_query}&X-Amz-Signature={signature}",
            "",
        )
    )


def _amz_date(now: datetime) -> str:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _encode(value: str) -> str:
    """SigV4's URI encoding: everything but unreserved characters, ``/`` included."""
    return quote(value, safe="-_.~")


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()
