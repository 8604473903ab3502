"""Receiving a written contribution from the form, the API or the secretariat."""

from __future__ import annotations

import contextlib
import datetime
import functools

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.consultations.models import Consultation, Status
from concord.core import audit
from concord.stakeholders.models import Entity

from .. import receipts
from ..idempotency import first_receipt_on_retry
from ..models import (
    CHANNEL_RECEIPT_LETTER,
    Attachment,
    Channel,
    Consent,
    Contribution,
    ContributionVersion,
    Moderation,
    ReceiptSequence,
    Source,
)
from ..submission import Submission, Submitter, Upload, new_token
from .common import ONLINE_SOURCES, _record_changed, refuse
from .content import _after_commit, _attachments, _inspect_uploads, _language, _manifest, _store_files, _typed_content
from .recording import next_receipt_number
from .speakers import _bound_speaker, _clean_submitter, _resolve_submitter, _Speaker


def _period_check(consultation: Consultation, received_at, now) -> bool:
    """Whether the contribution is late; refuses when the period does not admit it."""
    status = consultation.status_at(now)
    if status == Status.DRAFT:
        raise refuse(_("This consultation is not published yet."), "not-published")
    if received_at < consultation.opens_at:
        raise refuse(
            _("This consultation opens on %(date)s; contributions are accepted from then.")
            % {"date": consultation.opens_at.strftime("%Y-%m-%d %H:%M UTC")},
            "not-open-yet",
        )
    if received_at >= consultation.closes_at:
        if consultation.allow_late:
            return True
        raise refuse(_("This consultation is closed: contributions are no longer accepted."), "closed")
    return False


def _link(manage_url, contribution: Contribution, token: str) -> str | None:
    return manage_url(contribution.receipt_number, token) if manage_url else None


def _write_in_one_statement(actor, consultation, speaker: _Speaker, contribution, version, attachments) -> None:
    """PostgreSQL: the submission, its audit entry and the record's task row, with its entity found and its receipt
    numbered, committed by one statement (see ``receipts``), so that concurrent submissions wait on the receipt lock
    for as little as can be.

    A speaker new to the registry is created first, through its service and in its own transaction (a registry row,
    harmless if the submission then fails, and found again by its retry), and the statement runs again.
    """
    from concord.record.tasks import contribution_changed

    entry = audit.unsaved_entry(
        actor, "contribution.submit", contribution, audit.diff({}, audit.snapshot(contribution))
    )
    numbered = {
        "{id}": "jsonb_build_array(NULL, c.id)",
        "{receipt_number}": "jsonb_build_array(NULL, c.receipt_number)",
        "{entity_id}": "jsonb_build_array(NULL, c.entity_id)",
    }
    dependents = [
        receipts.Row(
            entry,
            {
                "target_id": ("c.id::text", []),
                "target_repr": ("c.receipt_number", []),
                "changes": receipts.json_with(entry, "changes", numbered),
            },
        )
    ]
    task = receipts.task_row(contribution_changed)
    if task is not None:
        dependents.append(task)
    prefix = f"{consultation.receipt_prefix}-{CHANNEL_RECEIPT_LETTER[Channel(contribution.channel)]}-"
    # Inside a caller's transaction, a savepoint: a refused duplicate must leave that transaction usable.
    with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
        write = functools.partial(
            receipts.insert_numbered,
            contribution,
            prefix,
            speaker.lookup_sql(),
            receipts.Row(version),
            [receipts.Row(a) for a in attachments],
            dependents,
        )
        if not write():
            # A new speaker, or the first receipt on this channel: neither row exists yet.
            speaker.find_or_create(actor)
            ReceiptSequence.objects.get_or_create(consultation=consultation, channel=contribution.channel)
            if not write():
                raise RuntimeError(f"could not record a submission to {consultation.slug}")
        if task is None:
            _record_changed(contribution)
    version.contribution = contribution


@first_receipt_on_retry
def submit_written_contribution(
    actor,
    consultation: Consultation,
    *,
    submitter: Submitter,
    text: str = "",
    title: str = "",
    answers=(),
    uploads: list[Upload] = (),
    consent: str = Consent.NAMED,
    source: str = Source.WEB,
    received_at: datetime.datetime | None = None,
    idempotency_key: str | None = None,
    idempotency_scope: str = "",
    request_sha256: str = "",
    entity: Entity | None = None,
    manage_url=None,
    receipt_language: str | None = None,
    now: datetime.datetime | None = None,
) -> Submission:
    """Receive a written contribution from the form, the API or the secretariat, with the same checks for all.

    Files are on disk (synced) before the transaction; the receipt exists only once it has committed. A retry
    with the same ``idempotency_key`` from the same client (``idempotency_scope``, see ``idempotency``) returns the
    first submission's receipt and creates nothing; ``request_sha256`` is filled in by that wrapper.
    ``entity``, when given (an API token's organisation), is who speaks, whatever ``submitter`` names; the
    submitter then gives only the contact e-mail. ``manage_url(receipt_number, token)`` builds the private link
    sent with the receipt.
    """
    now = now or timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise refuse(_("A contribution cannot be received in the future."), "invalid")
    late = _period_check(consultation, received_at, now)
    if consent not in Consent.values:
        raise refuse(_("Choose how your contribution may be published."), "invalid")
    submitter = _clean_submitter(submitter)
    if source in ONLINE_SOURCES and not submitter.email:
        raise refuse(_("Give an e-mail address where we can send your receipt."), "missing-email")
    title, text, answers = _typed_content(consultation, title, text, answers)
    if not text and not answers and not uploads:
        raise refuse(_("The contribution is empty: write a text, answer a question or attach a file."), "empty")
    checked = _inspect_uploads(list(uploads))
    language, confidence = _language(consultation, title, text, answers)

    # Durable before the receipt: the bytes are synced to disk first (an orphan file is harmless, a receipt
    # without its file would not be).
    files = _store_files(checked)
    sha256 = _manifest(title, text, answers, files)
    token, token_digest = new_token()
    if entity is not None:
        speaker = _bound_speaker(consultation, entity, submitter)
    else:
        speaker = _resolve_submitter(consultation, submitter)
    contribution = Contribution(
        consultation=consultation,
        receipt_number="",  # Numbered when written.
        # The group the entity is matched in: the table counts the contribution there.
        group_id=speaker.group.pk,
        channel=Channel.WRITTEN,
        language=language,
        language_confidence=confidence,
        title=title,
        text=text,
        answers=answers,
        received_at=received_at,
        source=source,
        consent=consent,
        contact_email=submitter.email,
        is_late=late,
        moderation=Moderation.PENDING if source in ONLINE_SOURCES else Moderation.PUBLISHED,
        idempotency_scope=idempotency_scope,
        idempotency_key=idempotency_key,
        request_sha256=request_sha256,
        manage_token_hash=token_digest,
        sha256=sha256,
        created_at=now,
    )
    version = ContributionVersion(
        number=1, title=title, text=text, answers=answers, sha256=sha256, created_at=received_at
    )
    attachments = _attachments(files)
    if connection.vendor == "postgresql":
        _write_in_one_statement(actor, consultation, speaker, contribution, version, attachments)
        _after_commit(contribution, version, _link(manage_url, contribution, token), receipt_language, bool(files))
    else:
        with transaction.atomic():
            contribution.entity = speaker.find_or_create(actor)
            contribution.receipt_number = next_receipt_number(consultation, Channel.WRITTEN)
            contribution.save(force_insert=True)
            version.contribution = contribution
            version.save(force_insert=True)
            for attachment in attachments:
                attachment.version = version
            Attachment.objects.bulk_create(attachments)
            audit.log_create(actor, "contribution.submit", contribution)
            link = _link(manage_url, contribution, token)
            _after_commit(contribution, version, link, receipt_language, has_files=bool(files))
            _record_changed(contribution)
    return Submission(contribution, created=True, manage_token=token)
