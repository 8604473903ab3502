"""Every write to reports: (re)generating a draft, the secretariat's edits to it, and the report's front matter."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from concord.core import audit

from .generate import draft_paragraphs, gather
from .models import Organ, ReportDraft, ReportParagraph, ReportSettings, Section

SECTION_ORDER = {value: i for i, value in enumerate(Section.values)}


def _digest(text: str, sources: list[str]) -> str:
    return hashlib.sha256(json.dumps([text, sources], ensure_ascii=False).encode()).hexdigest()


def _pinned(paragraph: ReportParagraph, produced: set[str]) -> bool:
    """Placed by a person, not by the generator: written or moved in the editor, or edited and no longer produced."""
    return paragraph.written_by_hand or paragraph.moved or (paragraph.key not in produced and paragraph.is_edited)


def _merged_order(specs, existing: list[ReportParagraph]) -> list[str]:
    """The keys in their new order: the generator's, with each paragraph a person placed kept right after the
    generated paragraph it followed (or at the start of its section), so that regeneration undoes no move."""
    produced = {spec.key for spec in specs}
    after: dict[str | None, list[ReportParagraph]] = defaultdict(list)
    anchor = None
    for paragraph in existing:  # in their current order
        if _pinned(paragraph, produced):
            after[anchor].append(paragraph)
        elif paragraph.key in produced:
            anchor = paragraph.key
    first_of_section: dict[str, list[ReportParagraph]] = defaultdict(list)
    for paragraph in after.pop(None, []):
        first_of_section[paragraph.section].append(paragraph)
    order, started = [], set()
    for spec in specs:
        if spec.section not in started:
            started.add(spec.section)
            order += [p.key for p in first_of_section.pop(spec.section, [])]
        order.append(spec.key)
        order += [p.key for p in after.pop(spec.key, [])]
    # Sections the generator no longer writes, and anchors it no longer produces: at the end (sorted by section).
    order += [p.key for group in first_of_section.values() for p in group]
    order += [p.key for group in after.values() for p in group]
    return order


@transaction.atomic
def generate_report(actor, consultation, language: str) -> ReportDraft:
    """Generate the draft, or regenerate it: generated parts follow the records, human edits (texts, footnotes,
    added, moved and removed paragraphs) are kept, and an edited paragraph whose generated text or sources changed
    underneath is flagged for its editor."""
    with translation.override(language):
        specs = draft_paragraphs(gather(consultation))
    draft, created = ReportDraft.objects.get_or_create(
        consultation=consultation, language=language, defaults={"generated_at": timezone.now()}
    )
    existing = {p.key: p for p in draft.paragraphs.order_by("position", "pk")}
    produced = {spec.key for spec in specs}
    position = {key: i for i, key in enumerate(_merged_order(specs, list(existing.values())))}
    for spec in specs:
        digest = _digest(spec.text, spec.sources)
        footnotes = list(getattr(spec, "footnotes", None) or [])
        paragraph = existing.get(spec.key)
        if paragraph is None:
            ReportParagraph.objects.create(
                draft=draft,
                key=spec.key,
                section=spec.section,
                position=position[spec.key],
                kind=spec.kind,
                generated_text=spec.text,
                sources=spec.sources,
                sources_digest=digest,
                footnotes=footnotes,
            )
            continue
        paragraph.position, paragraph.section, paragraph.kind = position[spec.key], spec.section, spec.kind
        paragraph.generated_text, paragraph.sources, paragraph.sources_digest = spec.text, spec.sources, digest
        paragraph.footnotes = footnotes
        paragraph.orphaned = False
        if paragraph.is_edited:
            paragraph.sources_changed = digest != paragraph.edited_sources_digest
        paragraph.save()
    for key, paragraph in existing.items():
        if key in produced:
            continue
        if paragraph.written_by_hand:
            paragraph.position = position[key]
            paragraph.save(update_fields=["position"])
        elif paragraph.is_edited:
            # The records no longer produce it, but a person wrote it: keep it, flagged, where it was.
            paragraph.orphaned, paragraph.sources_changed, paragraph.position = True, True, position[key]
            paragraph.save(update_fields=["orphaned", "sources_changed", "position"])
        else:
            paragraph.delete()
    draft.generated_at = timezone.now()
    draft.save(update_fields=["generated_at"])
    audit.log(actor, "report.generate" if created else "report.regenerate", draft, {"paragraphs": [None, len(specs)]})
    return draft


def _clean_notes(footnotes) -> list[str]:
    return [" ".join(str(note).split()) for note in footnotes or [] if str(note).strip()]


@transaction.atomic
def edit_paragraph(actor, paragraph: ReportParagraph, text: str, footnotes: list[str] | None = None) -> ReportParagraph:
    """The secretariat's words replace the generated ones, until it reverts them (``text=""``); its footnotes, when
    given, replace the generated ones (the generated ones again when they are the same)."""
    if paragraph.kind not in (ReportParagraph.Kind.TEXT, ReportParagraph.Kind.HEADING):
        raise ValidationError(_("Tables and charts are computed from the records; they cannot be edited."))
    fields = ["edited_text", "edited_sources_digest", "edited_at", "sources_changed", "edited_footnotes"]
    before = audit.snapshot(paragraph, fields)
    text = text.strip()
    if paragraph.written_by_hand:
        if not text:
            raise ValidationError(_("A paragraph you added needs a text; remove it instead."))
        paragraph.edited_text = text
    elif text == paragraph.generated_text.strip():
        paragraph.edited_text = None  # saving the generated text unchanged is no edit
    else:
        paragraph.edited_text = text or None
    if footnotes is not None:
        notes = _clean_notes(footnotes)
        paragraph.edited_footnotes = None if notes == list(paragraph.footnotes or []) else notes
    edited = paragraph.edited_text is not None or paragraph.edited_footnotes is not None
    paragraph.edited_sources_digest = paragraph.sources_digest if edited else ""
    paragraph.edited_at = timezone.now() if edited else None
    paragraph.sources_changed = False
    paragraph.save(update_fields=fields)
    audit.log(actor, "report.edit", paragraph, audit.diff(before, audit.snapshot(paragraph, fields)))
    return paragraph


@transaction.atomic
def add_paragraph(
    actor,
    draft: ReportDraft,
    section: str,
    text: str,
    *,
    after: ReportParagraph | None = None,
    kind: str = ReportParagraph.Kind.TEXT,
    footnotes: list[str] | None = None,
) -> ReportParagraph:
    """A paragraph (or a subheading) the secretariat writes: after ``after``, or at the end of ``section``."""
    if section not in Section.values:
        raise ValidationError(_("Unknown section."))
    if kind not in (ReportParagraph.Kind.TEXT, ReportParagraph.Kind.HEADING):
        raise ValidationError(_("Only paragraphs and subheadings can be added."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the text of the paragraph."))
    paragraphs = list(draft.paragraphs.order_by("position", "pk"))
    if after is not None:
        if after.draft_id != draft.pk:
            raise ValidationError(_("That paragraph belongs to another report."))
        section, position = after.section, after.position + 1
    else:
        in_section = [p.position for p in paragraphs if p.section == section]
        before = [p.position for p in paragraphs if SECTION_ORDER[p.section] <= SECTION_ORDER[section]]
        position = max(in_section or before or [-1]) + 1
    draft.paragraphs.filter(position__gte=position).update(position=F("position") + 1)
    paragraph = ReportParagraph.objects.create(
        draft=draft,
        key=f"added.{uuid.uuid4().hex[:12]}",
        section=section,
        position=position,
        kind=kind,
        edited_text=text,
        edited_at=timezone.now(),
        edited_footnotes=_clean_notes(footnotes),
        written_by_hand=True,
    )
    audit.log(actor, "report.add_paragraph", paragraph, audit.diff({}, audit.snapshot(paragraph)))
    return paragraph


@transaction.atomic
def remove_paragraph(actor, paragraph: ReportParagraph) -> None:
    """A paragraph the secretariat wrote is deleted; a generated one is set aside, so that regeneration does not
    bring it back, and can be restored."""
    if paragraph.written_by_hand:
        audit.log(actor, "report.delete_paragraph", paragraph, audit.diff(audit.snapshot(paragraph), {}))
        paragraph.delete()
        return
    paragraph.removed = True
    paragraph.save(update_fields=["removed"])
    audit.log(actor, "report.remove_paragraph", paragraph, {"removed": [False, True]})


@transaction.atomic
def restore_paragraph(actor, paragraph: ReportParagraph) -> ReportParagraph:
    paragraph.removed = False
    paragraph.save(update_fields=["removed"])
    audit.log(actor, "report.restore_paragraph", paragraph, {"removed": [True, False]})
    return paragraph


@transaction.atomic
def move_paragraph(actor, paragraph: ReportParagraph, step: int) -> ReportParagraph:
    """Swap the paragraph with the one before it (``step=-1``) or after it (``step=1``) in its section."""
    siblings = list(
        paragraph.draft.paragraphs.filter(section=paragraph.section).order_by("position", "pk").only("position")
    )
    index = next(i for i, p in enumerate(siblings) if p.pk == paragraph.pk)
    target = index + (1 if step > 0 else -1)
    if not 0 <= target < len(siblings):
        raise ValidationError(_("The paragraph is already at that end of its section."))
    other = siblings[target]
    before = paragraph.position
    paragraph.position, other.position = other.position, paragraph.position
    if paragraph.position == other.position:  # equal positions: make the order explicit
        paragraph.position += 1 if step > 0 else -1
    paragraph.moved = True
    paragraph.save(update_fields=["position", "moved"])
    other.save(update_fields=["position"])
    audit.log(actor, "report.move_paragraph", paragraph, {"position": [before, paragraph.position]})
    return paragraph


# A UN symbol names its organ: A/ the General Assembly, E/ the Economic and Social Council, and so on. Longest first.
SYMBOL_ORGANS = [
    ("A/HRC/", Organ.HUMAN_RIGHTS_COUNCIL),
    ("E/CN.16/", Organ.CSTD),
    ("A/", Organ.GENERAL_ASSEMBLY),
    ("E/", Organ.ECOSOC),
]


def organs_from_symbol(symbol: str) -> list[str]:
    """The organs a symbol names: ``"A/66/77-E/2011/103"`` (a joint report) gives the General Assembly and the
    Economic and Social Council."""
    organs = []
    for part in symbol.replace("–", "-").split("-"):
        part = part.strip()
        for prefix, organ in SYMBOL_ORGANS:
            if part.startswith(prefix):
                if organ.value not in organs:
                    organs.append(organ.value)
                break
    return organs


def settings_for(consultation) -> ReportSettings:
    """The consultation's front matter: as saved, or (not saved) what the consultation already says: its report
    symbol and the organs the symbol names, the day it was marked reported as the date of issue, its language."""
    try:
        return consultation.report_settings
    except ReportSettings.DoesNotExist:
        symbol = consultation.report_symbol
        return ReportSettings(
            consultation=consultation,
            symbol=symbol,
            organs=organs_from_symbol(symbol),
            date_of_issue=consultation.reported_at.date() if consultation.reported_at else None,
            original_language=consultation.original_language,
        )


SETTINGS_FIELDS = ["organs", "session", "agenda_items", "distribution", "symbol", "date_of_issue", "original_language"]


@transaction.atomic
def update_report_settings(actor, consultation, *, language: str | None = None, **values) -> ReportSettings:
    """Set the front matter. ``session`` and ``agenda_items`` given with a ``language`` other than the original
    one are that language's texts; the other fields are the same in every language."""
    report_settings = settings_for(consultation)
    created = report_settings.pk is None
    before = {} if created else audit.snapshot(report_settings)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Not front-matter fields: {sorted(unknown)}")
    if any(organ not in Organ.values for organ in values.get("organs", [])):
        raise ValidationError({"organs": _("Unknown organ.")})
    original = values.get("original_language", report_settings.original_language)
    for field, value in values.items():
        if field in ReportSettings.TRANSLATED_FIELDS and language and language != original:
            translations = dict(report_settings.translations or {})
            translations[language] = {**translations.get(language, {}), field: value}
            report_settings.translations = translations
        else:
            setattr(report_settings, field, value)
    report_settings.full_clean(exclude=["consultation"])
    report_settings.save()
    action = "report.settings_create" if created else "report.settings_update"
    audit.log(actor, action, report_settings, audit.diff(before, audit.snapshot(report_settings)))
    return report_settings


@transaction.atomic
def update_report_translations(actor, report_settings: ReportSettings, translations: dict) -> ReportSettings:
    """Replace the front matter's texts in the other languages: ``{"fr": {"session": ..., "agenda_items": ...}}``."""
    from django.conf import settings

    codes = {code for code, _name in settings.LANGUAGES}
    if not isinstance(translations, dict) or any(
        code not in codes or not isinstance(texts, dict) or set(texts) - set(ReportSettings.TRANSLATED_FIELDS)
        for code, texts in translations.items()
    ):
        raise ValidationError(
            {"translations": _('Give language codes, each with a session and agenda items: {"fr": {"session": ...}}.')}
        )
    before = audit.snapshot(report_settings, ["translations"])
    report_settings.translations = {code: dict(texts) for code, texts in translations.items()}
    report_settings.save(update_fields=["translations"])
    audit.log(
        actor,
        "report.settings_update",
        report_settings,
        audit.diff(before, audit.snapshot(report_settings, ["translations"])),
    )
    return report_settings
