"""Recording a contribution on any channel with its receipt number, and changing its publication choice."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.consultations.models import Consultation, Status
from concord.core import audit
from concord.stakeholders.models import Entity

from ..models import CHANNEL_RECEIPT_LETTER, Channel, Consent, Contribution, ReceiptSequence, Source
from .common import _public_state_changed, _record_changed, _seal

MEETING_CHANNELS = {Channel.PRESENTATION, Channel.INTERVENTION}


def next_receipt_number(consultation: Consultation, channel: str) -> str:
    """Reserve the next number, e.g. ``EC2010-W-000123``. Call inside the recording transaction.

    One conditional ``UPDATE ... RETURNING`` takes the row lock on PostgreSQL and the write lock on SQLite, so two
    concurrent submissions never get the same number; a rolled-back submission gives its number back.
    """
    table = ReceiptSequence._meta.db_table
    sql = f"UPDATE {table} SET last = last + 1 WHERE consultation_id = %s AND channel = %s RETURNING last"
    with connection.cursor() as cursor:
        cursor.execute(sql, [consultation.pk, channel])
        row = cursor.fetchone()
        if row is None:
            ReceiptSequence.objects.get_or_create(consultation=consultation, channel=channel)
            cursor.execute(sql, [consultation.pk, channel])
            row = cursor.fetchone()
    letter = CHANNEL_RECEIPT_LETTER[Channel(channel)]
    return f"{consultation.receipt_prefix}-{letter}-{row[0]:06d}"


def _check(consultation, entity, channel, language, text, title, received_at, source, meeting, now):
    status = consultation.status_at(now)
    if status == Status.DRAFT:
        raise ValidationError(_("This consultation is not published yet."))
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel: %s") % channel)
    if entity.group_id not in {g.id for g in consultation.ordered_groups()}:
        raise ValidationError(
            _("This consultation does not hear the group “%(group)s”.") % {"group": entity.group.label}
        )
    if language not in consultation.languages:
        raise ValidationError(_("This consultation does not accept contributions in “%s”.") % language)
    if not (text or "").strip() and not (title or "").strip():
        raise ValidationError(_("A contribution needs a text."))
    if received_at > now:
        raise ValidationError(_("A contribution cannot be received in the future."))
    if source == Source.WEB and status != Status.OPEN:
        raise ValidationError(_("This consultation is not open for contributions."))
    if channel in MEETING_CHANNELS:
        if meeting is None or meeting.consultation_id != consultation.id:
            raise ValidationError(_("Presentations and interventions belong to a meeting of this consultation."))
    elif meeting is not None:
        raise ValidationError(_("Written contributions are not part of a meeting."))


@transaction.atomic
def record_contribution(
    actor,
    consultation: Consultation,
    *,
    entity: Entity,
    channel: str,
    language: str,
    text: str,
    title: str = "",
    source: str = Source.WEB,
    received_at: datetime.datetime | None = None,
    consent: str = Consent.NAMED,
    meeting=None,
    now: datetime.datetime | None = None,
) -> Contribution:
    """Record one contribution on any channel and give it its receipt number.

    The stakeholder group is copied from the entity at this moment, so the table keeps counting it where it
    was when it contributed.
    """
    now = now or timezone.now()
    received_at = received_at or now
    if consent not in Consent.values:
        raise ValidationError(_("Unknown publication choice: %s") % consent)
    _check(consultation, entity, channel, language, text, title, received_at, source, meeting, now)
    contribution = Contribution(
        consultation=consultation,
        receipt_number=next_receipt_number(consultation, channel),
        entity=entity,
        group_id=entity.group_id,
        channel=channel,
        language=language,
        title=title.strip(),
        text=text.strip(),
        received_at=received_at,
        source=source,
        consent=consent,
        meeting=meeting,
    )
    contribution.save()
    audit.log_create(actor, "contribution.record", contribution)
    _record_changed(contribution)
    _seal(contribution)
    return contribution


@transaction.atomic
def set_consent(actor, contribution: Contribution, consent: str) -> Contribution:
    """Change what the public record shows of a contribution (on the contributor's written request)."""
    if consent not in Consent.values:
        raise ValidationError(_("Unknown publication choice: %s") % consent)
    if contribution.consent == consent:
        return contribution
    before = audit.snapshot(contribution, ["consent"])
    contribution.consent = consent
    contribution.save(update_fields=["consent"])
    audit.log(
        actor,
        "contribution.consent",
        contribution,
        audit.diff(before, audit.snapshot(contribution, ["consent"])),
    )
    _public_state_changed(contribution)
    _seal(contribution)
    return contribution
