"""Sending invitations: batches paced to a rate limit, each send retried a few times. Safe to run twice."""

import datetime
import time

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django_tasks import default_task_backend, task

from . import invitations
from .models import Invitation, InvitationState, InvitationTemplate
from .services import MAX_SEND_ATTEMPTS, claim_invitation, new_invitation_key, record_send


def _rate_per_second() -> float:
    # 0 or less: no limit (benchmarks, tests). The default suits a shared institutional mail relay.
    return float(getattr(settings, "CONCORD_INVITATIONS_PER_SECOND", 10))


def _batch_size() -> int:
    return int(getattr(settings, "CONCORD_INVITATION_BATCH", 200))


@task()
def send_invitations(campaign_id: int) -> int:
    """Send up to one batch of the campaign's queued invitations, then queue the next batch; returns how many
    were sent."""
    batch = list(
        Invitation.objects.filter(campaign_id=campaign_id, state=InvitationState.QUEUED, attempts__lt=MAX_SEND_ATTEMPTS)
        .select_related("consultation", "entity__category", "entity__group")
        .order_by("attempts", "id")[: _batch_size()]
    )
    if not batch:
        return 0
    templates = {t.language: t for t in InvitationTemplate.objects.filter(consultation_id=batch[0].consultation_id)}
    rate = _rate_per_second()
    interval = 1.0 / rate if rate > 0 else 0.0
    sent = failed = 0
    connection = get_connection()
    connection.open()
    try:
        next_at = time.monotonic()
        for invitation in batch:
            token, token_hash = new_invitation_key()
            if not claim_invitation(invitation.id, invitation.attempts, token_hash):
                continue
            invitation.attempts += 1
            if interval:
                delay = next_at - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                next_at = max(next_at, time.monotonic()) + interval
            subject, body = invitations.render(invitation, token, templates.get(invitation.language))
            message = EmailMessage(subject, body, None, invitation.emails, connection=connection)
            message.extra_headers["Content-Language"] = invitation.language
            try:
                message.send()
            except Exception as exc:  # any transport error is recorded and retried
                record_send(invitation, error=f"{type(exc).__name__}: {exc}")
                failed += 1
            else:
                record_send(invitation, now=timezone.now())
                sent += 1
    finally:
        connection.close()
    remaining = Invitation.objects.filter(
        campaign_id=campaign_id, state=InvitationState.QUEUED, attempts__lt=MAX_SEND_ATTEMPTS
    ).exists()
    if remaining:
        if failed and default_task_backend.supports_defer:
            # Give a failing relay time to recover before retrying.
            send_invitations.using(run_after=timezone.now() + datetime.timedelta(seconds=60)).enqueue(campaign_id)
        else:
            send_invitations.enqueue(campaign_id)
    return sent
