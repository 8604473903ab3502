"""Rate limits on the public written form, per client address and per e-mail address.

Each accepted submission creates or finds an entity and sends a receipt to the address typed: without a limit,
one client can fill the registry and mail anyone in a loop. Counts live in Django's cache (shared between workers
when ``CONCORD_CACHE_URL`` names a shared cache), in fixed windows: ``"20/h"`` allows 20 per clock hour. The
address comes from ``concord.core.net.client_ip``, which trusts forwarded headers only from configured proxies.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from concord.core.net import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"20/h"`` as (20, 3600): a count per period of s, m, h or d."""
    try:
        count, period = rate.split("/")
        return int(count), PERIODS[period.strip()[0]]
    except (ValueError, KeyError, IndexError):
        raise ImproperlyConfigured(f"A rate is written as COUNT/PERIOD, e.g. 20/h, not {rate!r}.") from None


@dataclass(frozen=True)
class Limited:
    """Why a submission must wait, and until when (seconds since the epoch)."""

    scope: str  # "ip" or "email"
    retry_at: int

    def retry_after(self, now: float) -> int:
        return max(1, self.retry_at - int(now))


def count_hit(namespace: str, scope: str, key: str, count: int, period: int, now: float) -> tuple[bool, int]:
    """Count one hit of ``key`` in its fixed window of ``period`` seconds: whether it goes past ``count``, and when
    the window ends (seconds since the epoch). Shared by every rate limit kept in the cache."""
    window = int(now) // period
    # Hashed: the cache never holds an address in clear, and any text fits in a key.
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    cache_key = f"concord:{namespace}:{scope}:{digest}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this request opens the window
        cache.set(cache_key, 1, timeout=period + 1)
        used = 1
    return used > count, (window + 1) * period


def _hit(scope: str, key: str, rate: str, now: float) -> Limited | None:
    over, retry_at = count_hit("form-rate", scope, key, *parse_rate(rate), now)
    return Limited(scope, retry_at) if over else None


def check_address(request: HttpRequest, now: float | None = None) -> Limited | None:
    """Count this post against its client address; say until when it must wait if over the limit."""
    return _hit("ip", client_ip(request), settings.CONCORD_FORM_RATE_IP, time.time() if now is None else now)


def check_email(email: str, now: float | None = None) -> Limited | None:
    """Count a submission to ``email`` (compared without case); say until when it must wait if over the limit."""
    key = email.strip().lower()
    return _hit("email", key, settings.CONCORD_FORM_RATE_EMAIL, time.time() if now is None else now)
