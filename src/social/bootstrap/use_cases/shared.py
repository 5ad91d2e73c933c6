"""The use cases of the shared kernel: housekeeping every context relies on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from social.bootstrap.adapters import Adapters
from social.domain.shared.forget_idempotency_keys import ForgetIdempotencyKeys

__all__ = ["SharedUseCases", "build"]


@dataclass(frozen=True, slots=True)
class SharedUseCases:
    forget_idempotency_keys: ForgetIdempotencyKeys


def build(a: Adapters) -> SharedUseCases:
    settings = a.settings
    return SharedUseCases(
        forget_idempotency_keys=ForgetIdempotencyKeys(
            uow=a.uow, clock=a.clock, keep=timedelta(seconds=settings.http.idempotency_key_ttl_s)
        ),
    )
