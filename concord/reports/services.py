"""Every write to reports: (re)generating a draft and editing its paragraphs."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from concord.core import audit

from .generate import draft_paragraphs, gather
from .models import ReportDraft, ReportParagraph


def _digest(text: str, sources: list[str]) -> str:
    return hashlib.sha256(json.dumps([text, sources], ensure_ascii=False).encode()).hexdigest()


@transaction.atomic
def generate_report(actor, consultation, language: str) -> ReportDraft:
    """Generate the draft, or regenerate it: generated parts follow the records, human edits are kept, and an edited
    paragraph whose generated text or sources changed underneath is flagged for its editor."""
    with translation.override(language):
        specs = draft_paragraphs(gather(consultation))
    draft, created = ReportDraft.objects.get_or_create(
        consultation=consultation, language=language, defaults={"generated_at": timezone.now()}
    )
    existing = {p.key: p for p in draft.paragraphs.all()}
    seen = set()
    for position, spec in enumerate(specs):
        seen.add(spec.key)
        digest = _digest(spec.text, spec.sources)
        paragraph = existing.get(spec.key)
        if paragraph is None:
            ReportParagraph.objects.create(
                draft=draft,
                key=spec.key,
                section=spec.section,
                position=position,
                kind=spec.kind,
                generated_text=spec.text,
                sources=spec.sources,
                sources_digest=digest,
            )
            continue
        paragraph.position, paragraph.section, paragraph.kind = position, spec.section, spec.kind
        paragraph.generated_text, paragraph.sources, paragraph.sources_digest = spec.text, spec.sources, digest
        paragraph.orphaned = False
        if paragraph.is_edited:
            paragraph.sources_changed = digest != paragraph.edited_sources_digest
        paragraph.save()
    for key, paragraph in existing.items():
        if key in seen:
            continue
        if paragraph.is_edited:
            # The records no longer produce it, but a person wrote it: keep it, flagged, at the end of its section.
            paragraph.orphaned, paragraph.sources_changed = True, True
            paragraph.save(update_fields=["orphaned", "sources_changed"])
        else:
            paragraph.delete()
    draft.generated_at = timezone.now()
    draft.save(update_fields=["generated_at"])
    audit.log(actor, "report.generate" if created else "report.regenerate", draft, {"paragraphs": [None, len(specs)]})
    return draft


@transaction.atomic
def edit_paragraph(actor, paragraph: ReportParagraph, text: str) -> ReportParagraph:
    """The secretariat's words replace the generated ones, until it reverts them (``text=""``)."""
    if paragraph.kind != ReportParagraph.Kind.TEXT:
        raise ValidationError(_("Tables and charts are computed from the records; they cannot be edited."))
    fields = ["edited_text", "edited_sources_digest", "edited_at", "sources_changed"]
    before = audit.snapshot(paragraph, fields)
    text = text.strip()
    paragraph.edited_text = text or None
    paragraph.edited_sources_digest = paragraph.sources_digest if text else ""
    paragraph.edited_at = timezone.now() if text else None
    paragraph.sources_changed = False
    paragraph.save(update_fields=fields)
    audit.log(actor, "report.edit", paragraph, audit.diff(before, audit.snapshot(paragraph, fields)))
    return paragraph
