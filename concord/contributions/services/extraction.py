"""Storing the text the worker extracted from a contribution's files."""

from __future__ import annotations

from django.db import transaction

from concord.core import audit

from .. import extraction
from ..language import detect
from ..models import Attachment, Contribution, ExtractionStatus
from .common import _record_changed, _seal


@transaction.atomic
def record_extraction(attachment_id: int, result: extraction.Extraction) -> Attachment | None:
    """Store a file's extracted text; once every file of the current version is done, refresh the contribution's
    extracted text and, when it had no typed text, its language. Safe to run twice."""
    attachment = Attachment.objects.select_for_update().select_related("version__contribution").get(pk=attachment_id)
    if attachment.extraction_status != ExtractionStatus.PENDING:
        return None
    fields = ["extraction_status", "extraction_method", "extraction_note", "extracted_text"]
    before = audit.snapshot(attachment, fields)
    attachment.extraction_status = result.status
    attachment.extraction_method = result.method
    attachment.extraction_note = result.note
    attachment.extracted_text = result.text
    attachment.save(update_fields=fields)
    audit.log("worker", "attachment.extract", attachment, audit.diff(before, audit.snapshot(attachment, fields)))

    version = attachment.version
    contribution = Contribution.objects.select_for_update().get(pk=version.contribution_id)
    if contribution.version != version.number:
        return attachment  # An amendment replaced this version meanwhile.
    siblings = list(version.attachments.all())
    if any(a.extraction_status == ExtractionStatus.PENDING for a in siblings):
        return attachment
    before = audit.snapshot(contribution, ["extracted_text", "language", "language_confidence"])
    contribution.extracted_text = "\n\n".join(a.extracted_text for a in siblings if a.extracted_text)
    if not contribution.language and contribution.extracted_text:
        detection = detect(contribution.extracted_text, contribution.consultation.languages)
        contribution.language, contribution.language_confidence = detection.lang, detection.confidence
    contribution.save(update_fields=["extracted_text", "language", "language_confidence"])
    after = audit.snapshot(contribution, ["extracted_text", "language", "language_confidence"])
    audit.log("worker", "contribution.extracted", contribution, audit.diff(before, after))
    _record_changed(contribution)
    _seal(contribution)
    return attachment
