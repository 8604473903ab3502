"""The client's address, as far as the configured proxies vouch for it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address of whoever sent this request, for rate limits and logs.

    With ``CONCORD_TRUSTED_PROXIES = N`` (default 0), Concord sits behind N proxies, each appending the address it
    received the request from to ``X-Forwarded-For``: the client is the Nth entry from the right. Entries further
    left were written by the client itself and prove nothing, so they are never read; with 0 trusted proxies the
    header is ignored altogether and the socket's peer (``REMOTE_ADDR``) is the client.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = getattr(settings, "CONCORD_TRUSTED_PROXIES", 0)
    if trusted <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: a proxy in the chain added none; the leftmost one is the furthest hop known.
    candidate = forwarded[-min(trusted, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        # A proxy that writes something other than an address (a port, "unknown") is misconfigured: fall back to the
        # peer rather than key a rate limit on text a client might choose.
        return remote
