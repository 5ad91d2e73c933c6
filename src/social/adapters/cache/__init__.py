"""Caches, counters, rate limits and pub/sub: Redis in production, memory when embedded."""
