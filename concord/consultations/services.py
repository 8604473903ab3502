"""Every write to consultations: creation, editing, publication, closing, reporting."""

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.core import audit
from concord.stakeholders.models import StakeholderGroup

from .models import LANGUAGE_CODES, TRANSLATED_FIELDS, Consultation, ConsultationGroup, GuidingQuestion, Status

EDITABLE_FIELDS = [
    "title",
    "mandate_reference",
    "mandate",
    "description",
    "languages",
    "original_language",
    "opens_at",
    "closes_at",
    "receipt_prefix",
    "report_symbol",
    "allow_late",
    "premoderation",
]


def _groups_by_slug(slugs: Sequence[str]) -> list[StakeholderGroup]:
    found = {g.slug: g for g in StakeholderGroup.objects.filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in found]
    if missing:
        raise ValidationError(_("Unknown stakeholder groups: %s") % ", ".join(missing))
    if len(set(slugs)) != len(slugs):
        raise ValidationError(_("A stakeholder group is listed twice."))
    return [found[s] for s in slugs]


@transaction.atomic
def create_consultation(
    actor,
    *,
    slug: str,
    title: str,
    mandate_reference: str,
    opens_at: datetime,
    closes_at: datetime,
    receipt_prefix: str,
    group_slugs: Sequence[str],
    languages: Sequence[str] = ("ar", "zh-hans", "en", "fr", "ru", "es"),
    questions: Sequence[str] = (),
    mandate: str = "",
    description: str = "",
    original_language: str = "en",
    report_symbol: str = "",
    allow_late: bool = False,
    premoderation: bool = True,  # the model's default: online contributions wait for moderation
) -> Consultation:
    """Create a consultation in draft; it is public only once published."""
    if not group_slugs:
        raise ValidationError(_("A consultation hears at least one stakeholder group."))
    groups = _groups_by_slug(group_slugs)
    consultation = Consultation(
        slug=slug,
        title=title,
        mandate_reference=mandate_reference,
        mandate=mandate,
        description=description,
        languages=list(languages),
        original_language=original_language,
        opens_at=opens_at,
        closes_at=closes_at,
        receipt_prefix=receipt_prefix,
        report_symbol=report_symbol,
        allow_late=allow_late,
        premoderation=premoderation,
    )
    consultation.full_clean()
    consultation.save()
    ConsultationGroup.objects.bulk_create(
        ConsultationGroup(consultation=consultation, group=g, position=i) for i, g in enumerate(groups)
    )
    GuidingQuestion.objects.bulk_create(
        GuidingQuestion(consultation=consultation, position=i, text=q) for i, q in enumerate(questions)
    )
    changes = audit.diff({}, audit.snapshot(consultation))
    changes["groups"] = [None, list(group_slugs)]
    changes["questions"] = [None, list(questions)]
    audit.log(actor, "consultation.create", consultation, changes)
    return consultation


@transaction.atomic
def update_consultation(actor, consultation: Consultation, **changes) -> Consultation:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    audit.apply_changes(actor, "consultation.update", consultation, changes)
    return consultation


@transaction.atomic
def translate_consultation(actor, consultation: Consultation, language: str, **texts: str) -> Consultation:
    """The secretariat's own texts in ``language`` (keywords of TRANSLATED_FIELDS: title, mandate reference, mandate,
    description). An empty text removes that language's text: the original then shows, marked as such."""
    unknown = set(texts) - set(TRANSLATED_FIELDS)
    if unknown:
        raise ValueError(f"not translated: {sorted(unknown)}")
    if language not in LANGUAGE_CODES:
        raise ValidationError(_("Unknown language codes: %s") % language)
    if language == consultation.original_language:
        raise ValidationError(_("This is the consultation's original language: edit its title and mandate instead."))
    translations = with_texts(consultation.translations, language, texts)
    audit.apply_changes(
        actor, "consultation.translate", consultation, {"translations": translations}, fields=["translations"]
    )
    return consultation


def with_texts(translations: dict | None, language: str, texts: dict[str, str]) -> dict:
    """A copy of a ``translations`` field with ``texts`` set in ``language``; an empty text removes its entry."""
    translations = {code: dict(entry) for code, entry in (translations or {}).items()}
    entry = translations.setdefault(language, {})
    for field, text in texts.items():
        if text.strip():
            entry[field] = text.strip()
        else:
            entry.pop(field, None)
    if not entry:
        del translations[language]
    return translations


@transaction.atomic
def translate_questions(actor, consultation: Consultation, language: str, texts: Sequence[str]) -> None:
    """The guiding questions in ``language``, one text per question in order; an empty text leaves that question in
    the original. Audited once, with every question's old and new text."""
    if language not in LANGUAGE_CODES:
        raise ValidationError(_("Unknown language codes: %s") % language)
    if language == consultation.original_language:
        raise ValidationError(_("This is the consultation's original language: edit its title and mandate instead."))
    questions = list(consultation.questions.all())
    if len(texts) > len(questions):
        raise ValidationError(_("One line per guiding question, in the same order: there are more lines."))
    texts = list(texts) + [""] * (len(questions) - len(texts))
    old, new = [], []
    for question, text in zip(questions, texts, strict=True):
        translations = with_texts(question.translations, language, {"text": text})
        old.append((question.translations or {}).get(language, {}).get("text", ""))
        new.append(translations.get(language, {}).get("text", ""))
        if translations != (question.translations or {}):
            question.translations = translations
            question.save(update_fields=["translations"])
    if old != new:
        audit.log(actor, "consultation.questions.translate", consultation, {f"questions.{language}": [old, new]})


@transaction.atomic
def set_questions(actor, consultation: Consultation, questions: Sequence[str]) -> None:
    existing = list(consultation.questions.all())
    old = [q.text for q in existing]
    new = [q.strip() for q in questions if q.strip()]
    if old == new:
        return
    # A question kept word for word keeps its translations; a reworded one needs translating again.
    kept = {q.text: q.translations for q in existing}
    consultation.questions.all().delete()
    GuidingQuestion.objects.bulk_create(
        GuidingQuestion(consultation=consultation, position=i, text=q, translations=kept.get(q, {}))
        for i, q in enumerate(new)
    )
    audit.log(actor, "consultation.questions", consultation, {"questions": [old, new]})


@transaction.atomic
def set_groups(actor, consultation: Consultation, group_slugs: Sequence[str]) -> None:
    groups = _groups_by_slug(group_slugs)
    if not groups:
        raise ValidationError(_("A consultation hears at least one stakeholder group."))
    old = [g.slug for g in consultation.ordered_groups()]
    if old == list(group_slugs):
        return
    from concord.contributions.models import Contribution

    dropped = set(old) - set(group_slugs)
    if Contribution.objects.filter(consultation=consultation, group__slug__in=dropped).exists():
        raise ValidationError(_("A group that already has contributions cannot be removed."))
    consultation.consultation_groups.all().delete()
    ConsultationGroup.objects.bulk_create(
        ConsultationGroup(consultation=consultation, group=g, position=i) for i, g in enumerate(groups)
    )
    audit.log(actor, "consultation.groups", consultation, {"groups": [old, list(group_slugs)]})


def _stamp(actor, consultation: Consultation, field: str, action: str, when=None, **extra) -> Consultation:
    before = audit.snapshot(consultation)
    setattr(consultation, field, when or timezone.now())
    for key, value in extra.items():
        setattr(consultation, key, value)
    consultation.save()
    audit.log(actor, action, consultation, audit.diff(before, audit.snapshot(consultation)))
    return consultation


@transaction.atomic
def publish_consultation(actor, consultation: Consultation, when=None) -> Consultation:
    """Make the consultation public; it opens for contributions at ``opens_at``."""
    if consultation.published_at is not None:
        raise ValidationError(_("This consultation is already published."))
    if not consultation.consultation_groups.exists():
        raise ValidationError(_("Choose the stakeholder groups before publishing."))
    return _stamp(actor, consultation, "published_at", "consultation.publish", when)


@transaction.atomic
def close_consultation(actor, consultation: Consultation, when=None) -> Consultation:
    """Close the period now (earlier than planned)."""
    now = when or timezone.now()
    if consultation.status_at(now) != Status.OPEN:
        raise ValidationError(_("Only an open consultation can be closed."))
    return _stamp(actor, consultation, "closes_at", "consultation.close", now)


@transaction.atomic
def mark_reported(actor, consultation: Consultation, *, symbol: str = "", when=None) -> Consultation:
    """Record that the consultation's report is out; its record stays public."""
    now = when or timezone.now()
    if consultation.status_at(now) != Status.CLOSED:
        raise ValidationError(_("Only a closed consultation can be marked as reported."))
    extra = {"report_symbol": symbol} if symbol else {}
    return _stamp(actor, consultation, "reported_at", "consultation.report", now, **extra)
