"""How often a failed job runs again, and how long it waits in between.

SAQ waits ``delay * 2**(attempt - 1)`` seconds before each retry, times a random factor in [0, 1)
(full jitter: workers that failed together do not come back together), each wait at most
``max_delay_s``. Most jobs keep SAQ's short default (five retries, about half a minute in
all): their failures are bugs or brief blips. A job that sends mail must outlast a mail server
outage instead, so it is retried for hours (``MAIL_DELIVERY``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_RETRIES", "FACE_INDEXING", "MAIL_DELIVERY", "PUSH_DELIVERY", "Retries"]


@dataclass(frozen=True, slots=True)
class Retries:
    """``attempts`` retries after the first run; each wait capped at ``max_delay_s`` (None: no
    cap, the waits keep doubling)."""

    attempts: int = 5
    max_delay_s: float | None = None

    def expected_total_s(self, delay_s: float = 1.0) -> float:
        """The mean time from the first failure to the last retry (jitter halves each wait)."""
        cap = self.max_delay_s if self.max_delay_s is not None else float("inf")
        waits = [min(cap, delay_s * 2.0**n) for n in range(self.attempts)]
        return sum(waits) / 2


DEFAULT_RETRIES = Retries()
MAIL_DELIVERY = Retries(attempts=40, max_delay_s=900)
"""Retries for about four hours (waits of up to 15 minutes once past the first ten): a mail
server that is down, rate-limits us (4xx) or refuses our login gets that long to come back."""
PUSH_DELIVERY = Retries(attempts=12, max_delay_s=600)
"""Retries for about 20 minutes (37 at most; waits of up to 10 minutes): a push service
that is overloaded (429) or down gets that long, and a push that old is rarely worth showing.
The use case also never sends past the push's TTL, counted from the notification."""
FACE_INDEXING = Retries(attempts=16, max_delay_s=120)
"""Retries for about ten minutes (waits of up to 2 minutes): a photo's faces are indexed once
the media pipeline has made its variants, and a bulk upload of a hundred photos can keep the
pipeline busy for minutes; the job retries while its photo is still being processed."""
