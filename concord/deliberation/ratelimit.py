"""Rate limits on voting: per voter everywhere, and per client address on the public's page, where anyone may join.

Without them one script could cast votes as fast as the server answers, or join as thousands of members of the
public and sway the opinion groups. Counts live in Django's cache (per process by default, shared between the
server's processes when ``CONCORD_CACHE_URL`` names a shared cache such as Redis), in fixed clock windows: ``"60/m"``
allows 60 per minute. A refused vote records nothing; the votes cast before it stay as they are. When the cache
is unavailable the limits count nothing (logged) rather than refuse every vote.

The rates are settings (or environment variables) of the same names:

- ``CONCORD_VOTE_RATE`` (default ``60/m``): votes per voter, representatives and public alike;
- ``CONCORD_VOTE_RATE_IP`` (default ``600/m``): votes on the public's page per client address (a meeting room
  behind one address votes together);
- ``CONCORD_VOTE_JOIN_RATE_IP`` (default ``200/h``): members of the public starting to vote per client address.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from concord.contributions.ratelimit import count_hit, parse_rate
from concord.core.net import client_ip

logger = logging.getLogger(__name__)
DEFAULTS = {"CONCORD_VOTE_RATE": "60/m", "CONCORD_VOTE_RATE_IP": "600/m", "CONCORD_VOTE_JOIN_RATE_IP": "200/h"}


def rate(name: str) -> str:
    """A rate from the settings when a deployment's settings (or a test) give it, else the environment."""
    return getattr(settings, name, None) or os.environ.get(name, DEFAULTS[name])


@dataclass(frozen=True)
class Limited:
    scope: str  # "voter", "address" or "join"
    retry_after: int  # seconds

    def message(self) -> str:
        """What the voting page says, in its language."""
        if self.scope == "join":
            return _(
                "Too many people have started voting from your network in a short time. Try again in about "
                "%(minutes)d minutes."
            ) % {"minutes": max(1, round(self.retry_after / 60))}
        return _(
            "Too many votes in a short time: nothing was recorded for this one, and your earlier votes are kept. "
            "Vote again in %(seconds)d seconds."
        ) % {"seconds": self.retry_after}


def _hit(scope: str, key: str, rate_text: str, now: float) -> Limited | None:
    count, period = parse_rate(rate_text)
    try:
        over, retry_at = count_hit("vote-rate", scope, key, count, period, now)
    except Exception:
        # A shared cache that is down must not stop a meeting's vote: count nothing, say so in the log.
        logger.warning("vote rate limit: the cache is unavailable, not counting", exc_info=True)
        return None
    if not over:
        return None
    return Limited(scope, max(1, retry_at - int(now)))


def check_vote(request: HttpRequest, voter, *, public: bool, now: float | None = None) -> Limited | None:
    """Count a vote (or a join, for a member of the public not yet voting: ``voter`` None) against its limits;
    say how long to wait when one is exceeded."""
    now = time.time() if now is None else now
    if public:
        address = client_ip(request)
        limited = _hit("address", address, rate("CONCORD_VOTE_RATE_IP"), now)
        if limited is None and voter is None:
            limited = _hit("join", address, rate("CONCORD_VOTE_JOIN_RATE_IP"), now)
        if limited is not None:
            return limited
    if voter is None:
        return None
    return _hit("voter", f"{voter.phase_id}:{voter.number}", rate("CONCORD_VOTE_RATE"), now)
