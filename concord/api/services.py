"""Every write to API tokens."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from concord.core import audit

from .models import ApiToken


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
    return ApiToken.objects.filter(token_hash=hash_token(raw), revoked_at__isnull=True).first()
