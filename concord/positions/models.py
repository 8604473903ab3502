"""The codebook of positions a consultation is read against, and each contribution's stance on them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class Kind(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal")
    ASSESSMENT = "assessment", _("Assessment")
    PRINCIPLE = "principle", _("Principle")


class Position(models.Model):
    """A position contributions may take a side on: a proposal ("create a CSTD working group"), an assessment
    ("privacy is not adequately addressed by existing mechanisms") or a principle.

    Like a consultation's title and mandate, the statement is written once in its original language, and the
    secretariat adds translations one language at a time; the detector compares texts with every one of them.
    """

    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    slug = models.SlugField(_("slug"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROPOSAL)
    statement = models.TextField(_("statement"))
    original_language = models.CharField(
        _("original language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    # {"fr": {"statement": "..."}}: the same shape as a consultation's translations.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    # [{"text": ..., "stance": "support" | "oppose" | "neutral"}]: sentences that teach the detector this position.
    examples = models.JSONField(_("examples"), default=list, blank=True)
    issues = models.ManyToManyField(
        "policy.PolicyIssue", verbose_name=_("public-policy issues"), blank=True, related_name="positions"
    )
    forums = models.ManyToManyField(
        "policy.Forum", verbose_name=_("international forums"), blank=True, related_name="positions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["consultation_id", "order", "slug"]
        constraints = [models.UniqueConstraint(fields=["consultation", "slug"], name="position_slug_unique")]

    def __str__(self) -> str:
        return self.slug

    def clean(self):
        unknown = [code for code in self.translations or {} if code not in LANGUAGE_CODES]
        if unknown:
            raise ValidationError({"translations": _("Unknown language codes: %s") % ", ".join(unknown)})
        for fields in (self.translations or {}).values():
            if not isinstance(fields, dict) or set(fields) - {"statement"}:
                raise ValidationError({"translations": _('Each language maps to {"statement": text}.')})
        for example in self.examples or []:
            if not isinstance(example, dict) or example.get("stance") not in StanceValue.values:
                raise ValidationError({"examples": _("Each example needs a text and a stance.")})
            if not str(example.get("text", "")).strip():
                raise ValidationError({"examples": _("Each example needs a text and a stance.")})

    def statement_in(self, language: str) -> tuple[str, str]:
        """The statement in ``language`` if the secretariat wrote it, else as originally written; with the
        language of the text returned, so that a reader can be told."""
        if language != self.original_language:
            text = (self.translations or {}).get(language, {}).get("statement")
            if text:
                return text, language
        return self.statement, self.original_language

    def statements(self) -> dict[str, str]:
        """Every written statement by language: what the detector compares texts with."""
        found = {self.original_language: self.statement}
        for code, fields in (self.translations or {}).items():
            if fields.get("statement"):
                found.setdefault(code, fields["statement"])
        return found


class StanceValue(models.TextChoices):
    SUPPORT = "support", _("supports")
    OPPOSE = "oppose", _("opposes")
    NEUTRAL = "neutral", _("mentions without taking a side")


class StanceSource(models.TextChoices):
    AUTOMATIC = "automatic", _("automatic")
    CONFIRMED = "confirmed", _("confirmed by the secretariat")
    CORRECTED = "corrected", _("corrected by the secretariat")


class Stance(models.Model):
    """What one contribution says about one position, with the sentences that say it.

    Automatic rows are replaced each time the analysis runs; rows the secretariat confirmed or corrected are kept.
    """

    contribution = models.ForeignKey(
        "contributions.Contribution", verbose_name=_("contribution"), on_delete=models.CASCADE, related_name="stances"
    )
    position = models.ForeignKey(Position, verbose_name=_("position"), on_delete=models.CASCADE, related_name="stances")
    stance = models.CharField(_("stance"), max_length=10, choices=StanceValue.choices)
    score = models.FloatField(_("score"), null=True, blank=True)
    # [{"text": ..., "start": ..., "end": ...}]: offsets into the contribution's analysis text, best first.
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=StanceSource.choices, default=StanceSource.AUTOMATIC)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stance")
        verbose_name_plural = _("stances")
        ordering = ["position_id", "contribution_id"]
        constraints = [
            models.UniqueConstraint(fields=["contribution", "position"], name="stance_contribution_position_unique")
        ]
        indexes = [models.Index(fields=["position", "stance"], name="stance_position_idx")]

    def __str__(self) -> str:
        return f"{self.contribution} · {self.position.slug} · {self.stance}"

    @property
    def is_reviewed(self) -> bool:
        return self.source != StanceSource.AUTOMATIC


class PositionSuggestion(models.Model):
    """A proposal several contributions make that no position of the codebook covers, found by the analysis run.

    Staff only: the secretariat promotes it to the codebook or dismisses it. Each run replaces the open suggestions
    and keeps the promoted and dismissed ones, so a decision is never asked twice for the same run's output.
    The stakeholder groups behind it are read from its members when shown, so a corrected contribution's group is
    never stale here.
    """

    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="position_suggestions",
    )
    representative = models.TextField(_("representative sentence"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    size = models.PositiveIntegerField(_("contributions"))
    members = models.ManyToManyField(
        "contributions.Contribution",
        verbose_name=_("contributions"),
        blank=True,
        related_name="position_suggestions",
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    promoted_to = models.ForeignKey(
        Position,
        verbose_name=_("promoted to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    dismissed = models.BooleanField(_("dismissed"), default=False)

    class Meta:
        verbose_name = _("position suggestion")
        verbose_name_plural = _("position suggestions")
        ordering = ["consultation_id", "-size", "id"]

    def __str__(self) -> str:
        return self.representative[:80]

    @property
    def is_open(self) -> bool:
        return self.promoted_to_id is None and not self.dismissed
