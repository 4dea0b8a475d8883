"""Rate limits: how many requests of one kind a client address, or a study, may make in a
window of time (joining with the study code, coming back with a return code).

Requests are counted in Django's cache, atomically (``cache.add`` then ``cache.incr``), in
fixed windows: ``(30, 600)`` lets 30 requests through in each period of 10 minutes. The
default in-memory cache counts in each worker process; a cache shared by the workers (Redis,
Memcached) makes one count for the site (docs/deployment.md).

The client address is :func:`anticipe.workshop.client.client_address` (the one rule for
every limit per address: the connection's, or the trusted reverse proxy's header).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache

from anticipe.workshop.client import client_address

__all__ = ["Limit", "client_address", "over_limit", "seconds_left"]


@dataclass(frozen=True)
class Limit:
    """At most `count` requests in each window of `seconds`."""

    count: int
    seconds: int


def clock() -> float:
    """Seconds since the epoch (a function of its own, for the tests' frozen clock)."""
    return time.time()


def over_limit(kind: str, who: str, limit: Limit) -> bool:
    """Count one request of `kind` by `who` (an address, a study) and say whether it goes
    over `limit` (then it is refused: the ones before it went through)."""
    window = int(clock()) // limit.seconds
    digest = hashlib.sha256(who.encode("utf-8")).hexdigest()[:32]
    key = f"anticipe:limit:{kind}:{digest}:{window}"
    cache.add(key, 0, timeout=limit.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request starts the window
        cache.add(key, 1, timeout=limit.seconds + 1)
        count = 1
    return int(count) > limit.count


def seconds_left(limit: Limit) -> int:
    """Seconds until the current window ends (for a ``Retry-After`` header)."""
    return limit.seconds - int(clock()) % limit.seconds
