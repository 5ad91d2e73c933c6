"""What the load test knows of the seeded database (``seed_feed_data.py``), and the photo it
uploads; no Locust here, so run.py (asyncio, httpx) can import it without gevent's patching."""

from __future__ import annotations

import io
from functools import cache

DEFAULT_TOKENS = "/tmp/social_bench_load/tokens.txt"  # noqa: S108 - benchmarks' scratch place
DEFAULT_PASSWORD = "bench-feed-password-42"  # noqa: S105 - seed_feed_data.DEFAULT_PASSWORD
SEEDED_USERS = 10_000
"""Accounts ``bench000000`` … ``bench009999``; the first 2,000 hold tokens."""
TAGS = ("travel", "food", "sunset", "coffee", "art", "music", "nature", "beach", "books", "dogs")
"""Tags the seed draws captions from (seed_feed_data.TAGS): tag pages that have posts."""
WORDS = ("morning", "coffee", "sunset", "city", "river", "garden", "bread", "forest", "lake")


@cache
def jpeg() -> bytes:
    """A 320 x 240 photo-like JPEG (noise over a gradient), made once per process."""
    from PIL import Image  # only processes that upload pay for the import

    noise = Image.effect_noise((320, 240), 40).convert("RGB")
    gradient = Image.linear_gradient("L").resize((320, 240)).convert("RGB")
    out = io.BytesIO()
    Image.blend(noise, gradient, 0.5).save(out, "JPEG", quality=85)
    return out.getvalue()
