"""Sending invitations one attempt at a time, their personal keys, bounces and retries."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.core import audit

from ..models import EntityContact, Invitation, InvitationState

MAX_SEND_ATTEMPTS = 3


def claim_invitation(invitation_id: int, attempts: int, token_hash: str) -> bool:
    """Take a queued invitation for one send attempt, with the hash of the key its e-mail will carry (committed
    before the e-mail leaves, so that the link works as soon as it arrives; a retry sends a new key, and an e-mail
    that was never sent leaves no working link behind). False when another worker took it first."""
    return bool(
        Invitation.objects.filter(pk=invitation_id, state=InvitationState.QUEUED, attempts=attempts).update(
            attempts=attempts + 1, token_hash=token_hash
        )
    )


def new_invitation_key() -> tuple[str, str]:
    """A personal link's key and its hash; only the hash is stored."""
    token = secrets.token_urlsafe(24)
    return token, hash_invitation_key(token)


def hash_invitation_key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def record_send(invitation: Invitation, *, error: str = "", now=None) -> Invitation:
    """The outcome of one send attempt: sent, queued again for a retry, or failed after the last attempt."""
    before = audit.snapshot(invitation, ["state", "sent_at", "last_error"])
    if error:
        invitation.last_error = error[:2000]
        if invitation.attempts >= MAX_SEND_ATTEMPTS:
            invitation.state = InvitationState.FAILED
    else:
        invitation.state = InvitationState.SENT
        invitation.sent_at = now or timezone.now()
        invitation.last_error = ""
    invitation.save(update_fields=["state", "sent_at", "last_error"])
    audit.log("system", "invitation.send", invitation, audit.diff(before, audit.snapshot(invitation, list(before))))
    return invitation


@transaction.atomic
def mark_bounced(actor, invitation: Invitation, reason: str = "", *, now=None) -> Invitation:
    """A delivery failure reported after sending (a bounce message, a wrong address)."""
    if invitation.state not in {InvitationState.SENT, InvitationState.BOUNCED}:
        raise ValidationError(_("Only a sent invitation can bounce."))
    before = audit.snapshot(invitation, ["state", "bounced_at", "last_error"])
    invitation.state = InvitationState.BOUNCED
    invitation.bounced_at = invitation.bounced_at or now or timezone.now()
    invitation.last_error = reason or invitation.last_error
    invitation.save(update_fields=["state", "bounced_at", "last_error"])
    audit.log(actor, "invitation.bounce", invitation, audit.diff(before, audit.snapshot(invitation, list(before))))
    return invitation


@transaction.atomic
def requeue_invitation(actor, invitation: Invitation) -> Invitation:
    """Send a failed or bounced invitation again (after correcting the address in the registry)."""
    if invitation.state not in {InvitationState.FAILED, InvitationState.BOUNCED}:
        raise ValidationError(_("Only a failed or bounced invitation can be sent again."))
    from ..tasks import send_invitations

    before = audit.snapshot(invitation, ["state", "attempts", "emails"])
    contact = EntityContact.objects.filter(entity=invitation.entity).first()
    invitation.emails = contact.emails if contact and contact.emails else invitation.emails
    invitation.state, invitation.attempts = InvitationState.QUEUED, 0
    invitation.save(update_fields=["state", "attempts", "emails"])
    audit.log(actor, "invitation.requeue", invitation, audit.diff(before, audit.snapshot(invitation, list(before))))
    transaction.on_commit(lambda: send_invitations.enqueue(invitation.campaign_id))
    return invitation
