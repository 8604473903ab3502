"""Every write to API tokens."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.core import audit
from concord.core.refcache import ProcessCache

from .models import ApiToken

# Every API request looks its token up: a revocation reaches the other server processes within TOKEN_TTL seconds.
TOKEN_TTL = 2
# The through model's label: a change of a token's consultations is an ``m2m_changed`` of that model.
_tokens = ProcessCache(TOKEN_TTL, ["api.ApiToken", "api.ApiToken_consultations"])


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _bindings(token: ApiToken) -> dict:
    """What the token is bound to, for the audit log (slugs: stable and readable)."""
    return {
        "entity_id": token.entity_id,
        "consultations": sorted(token.consultations.values_list("slug", flat=True)),
    }


def _checked(entity, consultations) -> list:
    consultations = list(consultations)
    if entity is None:
        raise ValidationError(_("An API token is issued for one organization: choose it."), code="missing-entity")
    if not consultations:
        raise ValidationError(
            _("An API token is issued for one or more consultations: choose them."), code="missing-consultation"
        )
    return consultations


@transaction.atomic
def issue_api_token(actor, label: str, *, entity, consultations) -> tuple[ApiToken, str]:
    """Issue a token for ``entity`` (every contribution sent with it is in its name) and ``consultations`` (the
    only ones it may submit to); the raw value is returned once and never stored."""
    consultations = _checked(entity, consultations)
    raw = "ccd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        label=label.strip(),
        token_hash=hash_token(raw),
        prefix=raw[:8],
        entity=entity,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    token.consultations.set(consultations)
    audit.log(actor, "apitoken.issue", token, audit.diff({}, audit.snapshot(token) | _bindings(token)))
    return token, raw


@transaction.atomic
def bind_api_token(actor, token: ApiToken, *, entity, consultations) -> ApiToken:
    """Change the organisation and consultations a token is for (the admin's edit)."""
    consultations = _checked(entity, consultations)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    before = _bindings(token)
    token.entity = entity
    token.save(update_fields=["entity"])
    token.consultations.set(consultations)
    changes = audit.diff(before, _bindings(token))
    if changes:
        audit.log(actor, "apitoken.bind", token, changes)
    return token


@transaction.atomic
def revoke_api_token(actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        before = audit.snapshot(token, ["revoked_at"])
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.log(actor, "apitoken.revoke", token, audit.diff(before, audit.snapshot(token, ["revoked_at"])))
    return token


def _load(digest: str) -> ApiToken | None:
    token = (
        ApiToken.objects.filter(token_hash=digest, revoked_at__isnull=True)
        .select_related("entity__group", "entity__category")
        .first()
    )
    if token is not None:
        # Read on every submission: kept with the cached token rather than queried each time.
        token.consultation_ids = frozenset(token.consultations.values_list("pk", flat=True))
    return token


def token_for(raw: str) -> ApiToken | None:
    digest = hash_token(raw)
    return _tokens.get(digest, lambda: _load(digest))


def access_consultation_by_token(token: ApiToken, consultation) -> bool:
    """Whether ``token`` may submit to ``consultation``: bound to an organisation, and issued for it."""
    consultation_ids = getattr(token, "consultation_ids", None)
    if consultation_ids is None:
        consultation_ids = frozenset(token.consultations.values_list("pk", flat=True))
    return token.entity_id is not None and consultation.pk in consultation_ids
