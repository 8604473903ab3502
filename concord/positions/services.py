"""Every write to the positions app: the codebook, the stances the analysis finds, and the secretariat's review."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from concord.core import audit

from .models import Kind, Position, PositionSuggestion, Stance, StanceSource, StanceValue

POSITION_FIELDS = ["slug", "kind", "statement", "original_language", "translations", "examples", "order"]
RELATED_FIELDS = ["issues", "forums"]


def _related_snapshot(position: Position) -> dict:
    return {
        "issues": sorted(position.issues.values_list("slug", flat=True)),
        "forums": sorted(position.forums.values_list("slug", flat=True)),
    }


def _set_related(position: Position, issues, forums) -> None:
    if issues is not None:
        position.issues.set(issues)
    if forums is not None:
        position.forums.set(forums)


@transaction.atomic
def create_position(
    actor,
    consultation,
    *,
    slug: str,
    statement: str,
    kind: str = "proposal",
    original_language: str = "en",
    translations: Mapping | None = None,
    examples: Sequence[Mapping] | None = None,
    order: int = 0,
    issues: Iterable = (),
    forums: Iterable = (),
) -> Position:
    """Add a position to a consultation's codebook."""
    position = Position(
        consultation=consultation,
        slug=slug,
        kind=kind,
        statement=statement,
        original_language=original_language,
        translations=dict(translations or {}),
        examples=list(examples or []),
        order=order,
    )
    position.full_clean()
    position.save()
    _set_related(position, list(issues), list(forums))
    changes = audit.diff({}, {**audit.snapshot(position), **_related_snapshot(position)})
    audit.log(actor, "positions.position.create", position, changes)
    return position


@transaction.atomic
def update_position(actor, position: Position, **changes) -> Position:
    """Edit a position; ``issues`` and ``forums`` replace its links. Stances already found are kept: they refer
    to the position, whose meaning the secretariat is refining, not replacing."""
    unknown = set(changes) - set(POSITION_FIELDS) - set(RELATED_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be edited: %s") % ", ".join(sorted(unknown)))
    related_before = _related_snapshot(position)
    fields = {k: v for k, v in changes.items() if k in POSITION_FIELDS}
    delta = audit.apply_changes(actor, "positions.position.update", position, fields, POSITION_FIELDS)
    if any(k in changes for k in RELATED_FIELDS):
        _set_related(position, changes.get("issues"), changes.get("forums"))
        related = audit.diff(related_before, _related_snapshot(position))
        if related:
            audit.log(actor, "positions.position.relink", position, related)
            delta = {**delta, **related}
    return position


@transaction.atomic
def delete_position(actor, position: Position) -> None:
    """Remove a position from the codebook, with every stance on it (the audit entry keeps what it said)."""
    before = {**audit.snapshot(position), **_related_snapshot(position), "stances": position.stances.count()}
    audit.log(actor, "positions.position.delete", position, audit.diff(before, {}))
    position.delete()


def _clean_evidence(evidence: Iterable[Mapping]) -> list[dict]:
    """Each unit's text and offsets, and its translations by language when a translator stored any (the report
    quotes a translation in its own language, marked as such)."""
    cleaned = []
    for e in evidence:
        unit = {"text": str(e["text"]), "start": int(e["start"]), "end": int(e["end"])}
        translations = {str(k): str(v) for k, v in (e.get("translations") or {}).items() if str(v).strip()}
        if translations:
            unit["translations"] = translations
        cleaned.append(unit)
    return cleaned


@transaction.atomic
def save_stances(actor, consultation, results: Mapping[int, Sequence[Mapping]], summary: Mapping | None = None):
    """Replace a consultation's automatic stances with ``results``.

    ``results`` maps a contribution id to ``[{"position": slug, "stance", "score", "evidence": [{"text", "start",
    "end"}]}]``. Stances the secretariat confirmed or corrected are kept as they are: a new run never overrides a
    person's reading.
    """
    positions = {p.slug: p for p in Position.objects.filter(consultation=consultation)}
    reviewed = set(
        Stance.objects.filter(position__consultation=consultation)
        .exclude(source=StanceSource.AUTOMATIC)
        .values_list("contribution_id", "position_id")
    )
    Stance.objects.filter(position__consultation=consultation, source=StanceSource.AUTOMATIC).delete()
    rows = []
    for contribution_id, found in results.items():
        for item in found:
            position = positions.get(item["position"])
            if position is None or (contribution_id, position.pk) in reviewed:
                continue
            if item["stance"] not in StanceValue.values:
                raise ValidationError(_("Unknown stance: %s") % item["stance"])
            rows.append(
                Stance(
                    contribution_id=contribution_id,
                    position=position,
                    stance=item["stance"],
                    score=item.get("score"),
                    evidence=_clean_evidence(item.get("evidence", [])),
                )
            )
    Stance.objects.bulk_create(rows, batch_size=2000)
    counts = {value: sum(1 for r in rows if r.stance == value) for value in StanceValue.values}
    result = {"contributions": len(results), "stances": len(rows), "kept": len(reviewed), **counts, **(summary or {})}
    audit.log(actor, "positions.stances.save", consultation, {"stances": [None, result]})
    return result


def _review(actor, stance: Stance, value: str, source: str, action: str) -> Stance:
    before = audit.snapshot(stance, ["stance", "source", "confirmed_by", "confirmed_at"])
    stance.stance, stance.source = value, source
    stance.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
    stance.confirmed_at = timezone.now()
    stance.save(update_fields=["stance", "source", "confirmed_by", "confirmed_at"])
    after = audit.snapshot(stance, ["stance", "source", "confirmed_by", "confirmed_at"])
    audit.log(actor, action, stance, audit.diff(before, after))
    return stance


@transaction.atomic
def confirm_stance(actor, stance: Stance) -> Stance:
    """The secretariat agrees with the stance as found: it is kept when the analysis runs again, and teaches the
    detector."""
    return _review(actor, stance, stance.stance, StanceSource.CONFIRMED, "positions.stance.confirm")


@transaction.atomic
def correct_stance(actor, stance: Stance, value: str) -> Stance:
    """The secretariat reads the evidence otherwise: ``value`` replaces the stance and is kept from then on."""
    if value not in StanceValue.values:
        raise ValidationError(_("Unknown stance: %s") % value)
    if value == stance.stance:
        return _review(actor, stance, value, StanceSource.CONFIRMED, "positions.stance.confirm")
    return _review(actor, stance, value, StanceSource.CORRECTED, "positions.stance.correct")


@transaction.atomic
def save_suggestions(actor, consultation, suggestions: Sequence[Mapping]) -> dict:
    """Replace a consultation's open suggestions with ``suggestions``: ``[{"representative", "language", "size",
    "members": [contribution id], "languages": [code]}]``. Promoted and dismissed ones are kept: they record a
    decision the secretariat took."""
    stale = PositionSuggestion.objects.filter(consultation=consultation, promoted_to__isnull=True, dismissed=False)
    replaced = stale.count()
    stale.delete()
    valid = set(consultation.contributions.values_list("pk", flat=True))
    # A suggestion the secretariat dismissed comes back from every run; the same sentence or the same contributions
    # are not asked about again.
    dismissed = PositionSuggestion.objects.filter(consultation=consultation, dismissed=True).prefetch_related("members")
    seen_texts = {d.representative for d in dismissed}
    seen_members = {frozenset(m.pk for m in d.members.all()) for d in dismissed}
    kept = [
        item
        for item in suggestions
        if str(item["representative"]) not in seen_texts
        and frozenset(pk for pk in item.get("members", []) if pk in valid) not in seen_members
    ]
    for item in kept:
        suggestion = PositionSuggestion.objects.create(
            consultation=consultation,
            representative=str(item["representative"]),
            language=str(item.get("language") or ""),
            size=int(item["size"]),
            languages=list(item.get("languages", [])),
        )
        suggestion.members.set([pk for pk in item.get("members", []) if pk in valid])
    result = {"suggestions": len(kept), "already_dismissed": len(suggestions) - len(kept), "replaced": replaced}
    audit.log(actor, "positions.suggestions.save", consultation, {"suggestions": [None, result]})
    return result


def _slug_for(suggestion: PositionSuggestion) -> str:
    """A slug from the sentence's first words, unique in the consultation; sentences in scripts that slugify to
    nothing (Chinese, Arabic, Russian) fall back to the suggestion's number."""
    words = slugify(suggestion.representative).split("-")
    base = ""
    for word in words:
        if len(base) + len(word) + 1 > 60:
            break
        base = f"{base}-{word}" if base else word
    base = base or f"suggestion-{suggestion.pk}"
    taken = set(
        Position.objects.filter(consultation_id=suggestion.consultation_id, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_open(suggestion: PositionSuggestion) -> None:
    if not suggestion.is_open:
        raise ValidationError(_("This suggestion was already promoted or dismissed."))


@transaction.atomic
def promote_suggestion(actor, suggestion: PositionSuggestion) -> Position:
    """Put a suggestion in the codebook: a proposal whose statement is the representative sentence, in its
    language; the next run reads every contribution against it."""
    suggestion = PositionSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    _check_open(suggestion)
    language = suggestion.language if suggestion.language in dict(settings.LANGUAGES) else "en"
    order = (Position.objects.filter(consultation_id=suggestion.consultation_id).count() + 1) * 10
    position = create_position(
        actor,
        suggestion.consultation,
        slug=_slug_for(suggestion),
        statement=suggestion.representative,
        kind=Kind.PROPOSAL,
        original_language=language,
        order=order,
    )
    suggestion.promoted_to = position
    suggestion.save(update_fields=["promoted_to"])
    audit.log(actor, "positions.suggestion.promote", suggestion, {"promoted_to": [None, position.slug]})
    return position


@transaction.atomic
def dismiss_suggestion(actor, suggestion: PositionSuggestion) -> PositionSuggestion:
    """The secretariat judges the suggestion not a position of its own; later runs leave it dismissed."""
    suggestion = PositionSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    _check_open(suggestion)
    suggestion.dismissed = True
    suggestion.save(update_fields=["dismissed"])
    audit.log(actor, "positions.suggestion.dismiss", suggestion, {"dismissed": [False, True]})
    return suggestion
