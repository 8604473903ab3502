"""Every write to API tokens."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from concord.core import audit
from concord.core.refcache import ProcessCache

from .models import ApiToken

# Every API request looks its token up: a revocation reaches the other server processes within TOKEN_TTL seconds.
TOKEN_TTL = 2
_tokens = ProcessCache(TOKEN_TTL, ["api.ApiToken"])


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_api_token(actor, label: str) -> tuple[ApiToken, str]:
    """Issue a token; the raw value is returned once and never stored."""
    raw = "ccd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        label=label.strip(),
        token_hash=hash_token(raw),
        prefix=raw[:8],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.log_create(actor, "apitoken.issue", token)
    return token, raw


@transaction.atomic
def revoke_api_token(actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        before = audit.snapshot(token, ["revoked_at"])
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.log(actor, "apitoken.revoke", token, audit.diff(before, audit.snapshot(token, ["revoked_at"])))
    return token


def token_for(raw: str) -> ApiToken | None:
    digest = hash_token(raw)
    return _tokens.get(digest, lambda: ApiToken.objects.filter(token_hash=digest, revoked_at__isnull=True).first())
