"""Who the client is, for limits: its address, taken from the trusted reverse proxy's header
when the site runs behind one (``settings.CLIENT_ADDRESS_HEADER``), else ``REMOTE_ADDR``."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# An IPv6 client usually holds a whole /64: counting each of its addresses apart would let
# it try 2**64 times.
IPV6_PREFIX = 64


def client_address(request: HttpRequest) -> str:
    """The client's address (an IPv6 one as its /64 network).

    Behind a reverse proxy that appends the address it saw to ``X-Forwarded-For``, the
    client's address is the entry written by the first trusted proxy: the
    ``settings.TRUSTED_PROXIES``-th from the right (anything left of it was sent by the
    client and proves nothing). A request without the header (not through the proxy), or
    with fewer entries or an entry that is not an address, counts under ``REMOTE_ADDR``.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    header = settings.CLIENT_ADDRESS_HEADER
    if header != "REMOTE_ADDR":
        hops = [hop.strip() for hop in str(request.META.get(header, "")).split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= settings.TRUSTED_PROXIES:
            forwarded = normalised_address(hops[-settings.TRUSTED_PROXIES])
            if forwarded:
                return forwarded
    return normalised_address(remote) or remote[:64]


def normalised_address(text: str) -> str:
    """The address as one spelling ('' if it is not one): IPv4 as it is (also when written
    as IPv4-mapped IPv6), IPv6 as its /64 network."""
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)
