"""Rate limits: how many requests of one kind a client address, or a study, may make in a
window of time (joining with the study code, coming back with a return code).

Requests are counted in Django's cache, atomically (``cache.add`` then ``cache.incr``), in
fixed windows: ``(30, 600)`` lets 30 requests through in each period of 10 minutes. The
default in-memory cache counts in each worker process; a cache shared by the workers (Redis,
Memcached) makes one count for the site (docs/deployment.md).

The client address is the connection's (``REMOTE_ADDR``) unless a trusted reverse proxy
passes it in a header named by ``settings.CLIENT_ADDRESS_HEADER`` (``X-Forwarded-For``,
``X-Real-IP``...): then the last address of that header, the one the proxy saw, is the
client's. Without that setting the header is ignored, so a client cannot choose its
address.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    """At most `count` requests in each window of `seconds`."""

    count: int
    seconds: int


def client_address(request: HttpRequest) -> str:
    """The client's address: from the trusted proxy's header when one is configured, else
    the connection's. An address that does not parse is replaced by the connection's."""
    connection = str(request.META.get("REMOTE_ADDR", ""))
    header = str(getattr(settings, "CLIENT_ADDRESS_HEADER", "") or "")
    if not header:
        return connection
    key = "HTTP_" + header.upper().replace("-", "_")
    forwarded = str(request.META.get(key, "")).split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(forwarded))
    except ValueError:
        return connection


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
